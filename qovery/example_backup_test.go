package qovery_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/qoverykit/qovery-go/qovery"
	"github.com/qoverykit/qovery-go/qovery/qoverytest"
)

func ExampleBackupsService_Create() {
	srv, err := qoverytest.Start() // a fake Qovery API; qovery.NewFromEnv() for the real one
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()
	databaseID := srv.World.DatabaseID

	// Take a backup and wait until it is done.
	b, err := c.Backups.Create(ctx, databaseID, "before-migration", "schema v42")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(b.GetName(), qovery.BackupPhaseOf(b))

	b, err = c.Backups.Wait(ctx, databaseID, b.GetId())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(b.GetName(), qovery.BackupPhaseOf(b))
	// Output:
	// before-migration pending
	// before-migration done
}

func ExampleBackupsService_Wait() {
	srv, err := qoverytest.Start() // a fake Qovery API; qovery.NewFromEnv() for the real one
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()
	databaseID := srv.World.DatabaseID

	srv.FailNextAction("addBackupDatabase", "pg_dump failed") // make the fake fail this one
	b, err := c.Backups.Create(ctx, databaseID, "nightly", "")
	if err != nil {
		fmt.Println(err)
		return
	}

	_, err = c.Backups.Wait(ctx, databaseID, b.GetId())
	var failed *qovery.BackupError
	if errors.As(err, &failed) {
		fmt.Println("backup failed:", failed.State, failed.Status)
	}
	// Output: backup failed: DEPLOYMENT_ERROR ERROR
}

func ExampleBackupsService_Latest() {
	srv, err := qoverytest.Start() // a fake Qovery API; qovery.NewFromEnv() for the real one
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()
	databaseID := srv.AddDatabase(srv.World.EnvironmentID, "analytics") // a database with no backup yet

	_, err = c.Backups.Latest(ctx, databaseID)
	fmt.Println("none yet:", errors.Is(err, qovery.ErrNotFound), errors.Is(err, qovery.ErrNoBackup))

	srv.AddBackups(databaseID, 3) // backup-001 to backup-003
	b, err := c.Backups.Latest(ctx, databaseID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("latest:", b.GetName())
	// Output:
	// none yet: true true
	// latest: backup-003
}

func ExampleBackupsService_Delete() {
	srv, err := qoverytest.Start() // a fake Qovery API; qovery.NewFromEnv() for the real one
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()
	databaseID := srv.World.DatabaseID
	srv.AddBackups(databaseID, 27) // 30, with the three the fake starts with

	// Keep the 25 newest backups. Backups lists them newest first; the IDs
	// are collected before deleting, so that the list does not shift under
	// the loop.
	var old []string
	n := 0
	for b, err := range c.Backups.ListIter(ctx, databaseID, nil) {
		if err != nil {
			fmt.Println(err)
			return
		}
		if n++; n > 25 {
			old = append(old, b.GetId())
		}
	}
	for _, id := range old {
		if err := c.Backups.Delete(ctx, databaseID, id); err != nil && !errors.Is(err, qovery.ErrNotFound) {
			fmt.Println(err)
			return
		}
	}
	fmt.Println("deleted", len(old))
	// Output: deleted 5
}

func ExampleBackupsService_ListIter_phases() {
	srv, err := qoverytest.Start() // a fake Qovery API; qovery.NewFromEnv() for the real one
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()
	srv.AddBackups(srv.World.DatabaseID, 42) // 45, with the three the fake starts with

	// Every backup, across pages of 20, counted by phase.
	count := map[qovery.BackupPhase]int{}
	for b, err := range c.Backups.ListIter(ctx, srv.World.DatabaseID, nil) {
		if err != nil {
			fmt.Println(err)
			return
		}
		count[qovery.BackupPhaseOf(&b)]++
	}
	fmt.Println(count[qovery.BackupDone], "done,", count[qovery.BackupFailed], "failed,", count[qovery.BackupPending], "pending")
	// Output: 45 done, 0 failed, 0 pending
}

func ExampleBackupPhaseOf() {
	srv, err := qoverytest.Start() // a fake Qovery API; qovery.NewFromEnv() for the real one
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	b, err := c.Backups.Create(ctx, srv.World.DatabaseID, "adhoc", "")
	if err != nil {
		fmt.Println(err)
		return
	}
	switch qovery.BackupPhaseOf(b) {
	case qovery.BackupDone:
		fmt.Println("ready to restore")
	case qovery.BackupFailed:
		fmt.Println("failed")
	default:
		fmt.Println("still running; see Backups.Wait")
	}
	// Output: still running; see Backups.Wait
}
