package tasks_test

import (
	"context"
	"strings"
	"testing"

	"github.com/qoverykit/qovery-go/qovery/qoverytest"

	"example.com/tasks"
)

// check compares what a task printed with want, and fails on anything that
// looks like a pointer printed in place of its value.
func check(t *testing.T, got strings.Builder, want string) {
	t.Helper()
	if strings.Contains(got.String(), "0xc") {
		t.Errorf("a pointer was printed:\n%s", got.String())
	}
	if got.String() != want {
		t.Errorf("printed:\n%s\nwant:\n%s", got.String(), want)
	}
}

func TestTree(t *testing.T) {
	t.Parallel()
	srv := qoverytest.NewServer(t)
	var out strings.Builder
	if err := tasks.Tree(context.Background(), srv.Client(), &out); err != nil {
		t.Fatal(err)
	}
	check(t, out, "acme\n  shop\n    production DEVELOPMENT\n    staging DEVELOPMENT\n")
}

func TestDatabaseName(t *testing.T) {
	t.Parallel()
	srv := qoverytest.NewServer(t)
	ctx := context.Background()
	if name, ok, err := tasks.DatabaseName(ctx, srv.Client(), srv.World.DatabaseID); err != nil || !ok || name != "db" {
		t.Errorf("the seeded database: %q, %v, %v", name, ok, err)
	}
	if name, ok, err := tasks.DatabaseName(ctx, srv.Client(), "0b6c7a3e-93a4-4a51-9d4e-3f1c2a0b9d77"); err != nil || ok {
		t.Errorf("no such database: %q, %v, %v", name, ok, err)
	}
}

func TestCloneAndWait(t *testing.T) {
	t.Parallel()
	srv := qoverytest.NewServer(t)
	id, state, err := tasks.CloneAndWait(context.Background(), srv.Client(), srv.World.DatabaseID, srv.World.StagingEnvironmentID, "db-copy")
	if err != nil {
		t.Fatal(err)
	}
	if state != "DEPLOYED" {
		t.Errorf("the clone reads %q, want DEPLOYED", state)
	}
	if st, _ := srv.State(id); st != "DEPLOYED" {
		t.Errorf("the server has the clone %s", st)
	}
}

func TestBackup(t *testing.T) {
	t.Parallel()
	srv := qoverytest.NewServer(t)
	databaseID := srv.AddDatabase(srv.World.EnvironmentID, "analytics")
	srv.AddBackups(databaseID, 2)
	var out strings.Builder
	if err := tasks.Backup(context.Background(), srv.Client(), &out, databaseID, "nightly"); err != nil {
		t.Fatal(err)
	}
	check(t, out, "nightly done\nbackup-002 done\nbackup-001 done\nlatest: nightly true\n")
}

func TestDeployAt(t *testing.T) {
	t.Parallel()
	srv := qoverytest.NewServer(t, qoverytest.WithLiveBehaviours())
	var out strings.Builder
	commit := "a3f1c9e0b7d2c4e6f8a0b1c2d3e4f5a6b7c8d9e0"
	if err := tasks.DeployAt(context.Background(), srv.Client(), &out, srv.World.ApplicationID, "LOG_LEVEL", "debug", commit); err != nil {
		t.Fatal(err)
	}
	check(t, out, "variable LOG_LEVEL APPLICATION\nstate DEPLOYED at "+commit+"\n")
}

func TestDescribe(t *testing.T) {
	t.Parallel()
	srv := qoverytest.NewServer(t)
	var out strings.Builder
	if err := tasks.Describe(context.Background(), srv.Client(), &out, srv.World.ApplicationID, "storefront", 2); err != nil {
		t.Fatal(err)
	}
	check(t, out, "web storefront 2\n")
}
