package qovery

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qoverykit/qovery-go/internal/fixtures"
)

// backupJSON decodes a backup written as JSON, the way the API sends it.
func backupJSON(t *testing.T, doc string) *Backup {
	t.Helper()
	var b Backup
	if err := json.Unmarshal([]byte(doc), &b); err != nil {
		t.Fatalf("decoding %s: %v", doc, err)
	}
	return &b
}

func TestBackupPhaseOf(t *testing.T) {
	tests := []struct {
		status string // the JSON status object, or "" for none
		want   BackupPhase
	}{
		{``, BackupPending},
		{`{}`, BackupPending},
		{`{"state":"QUEUED","status_details":{"action":"DEPLOY","status":"QUEUED"}}`, BackupPending},
		{`{"state":"DEPLOYING","status_details":{"status":"ONGOING"}}`, BackupPending},
		{`{"state":"BUILDING","service_deployment_status":"NEVER_DEPLOYED"}`, BackupPending},
		{`{"state":"DEPLOYED","status_details":{"status":"SUCCESS"}}`, BackupDone},
		{`{"state":"DEPLOYED"}`, BackupDone},
		{`{"state":"DEPLOYED","status_details":{"status":""}}`, BackupDone},
		{`{"status_details":{"status":"SUCCESS"}}`, BackupDone},
		{`{"state":"DEPLOYED","service_deployment_status":"NEVER_DEPLOYED","status_details":{"status":"SUCCESS"}}`, BackupDone},
		// status_details decides over state when both are present...
		{`{"state":"DEPLOYED","status_details":{"status":"ONGOING"}}`, BackupPending},
		{`{"state":"DEPLOYED","status_details":{"status":"ERROR"}}`, BackupFailed},
		// ...except that an engine failure is final.
		{`{"state":"DEPLOYMENT_ERROR","status_details":{"status":"SUCCESS"}}`, BackupFailed},
		{`{"state":"DEPLOYMENT_ERROR"}`, BackupFailed},
		{`{"state":"BUILD_ERROR","status_details":{"status":"QUEUED"}}`, BackupFailed},
		{`{"state":"CANCELED"}`, BackupFailed},
		{`{"state":"DEPLOYING","status_details":{"status":"CANCELED"}}`, BackupFailed},
		{`{"state":"DEPLOYING","status_details":{"status":"error"}}`, BackupFailed},
	}
	for _, tt := range tests {
		doc := `{"id":"0b6c7a3e-93a4-4a51-9d4e-3f1c2a0b9d77"}`
		if tt.status != "" {
			doc = `{"status":` + tt.status + `}`
		}
		if got := BackupPhaseOf(backupJSON(t, doc)); got != tt.want {
			t.Errorf("BackupPhaseOf(%s) = %v, want %v", tt.status, got, tt.want)
		}
	}
	if got := BackupPhaseOf(nil); got != BackupPending {
		t.Errorf("BackupPhaseOf(nil) = %v", got)
	}
	if s := BackupPhase(7).String(); s != "BackupPhase(7)" {
		t.Errorf("String() = %q", s)
	}
}

func TestBackupErrorText(t *testing.T) {
	b := backupJSON(t, `{"status":{"state":"DEPLOYMENT_ERROR","status_details":{"status":"ERROR"},
		"steps":{"details":[{"step_name":"PROVISION","status":"SUCCESS"},{"step_name":"DUMP","status":"ERROR"}]}}}`)
	err := newBackupError("db-1", "b-1", b, strings.TrimSpace)
	want := "qovery: backup b-1 of database db-1 failed: state DEPLOYMENT_ERROR, status ERROR, step DUMP"
	if err.Error() != want {
		t.Errorf("Error() = %q\nwant      %q", err, want)
	}
	if got := newBackupError("db-1", "b-1", nil, strings.TrimSpace).Error(); got != "qovery: backup b-1 of database db-1 failed" {
		t.Errorf("without a status: %q", got)
	}
}

func TestBackupsCreate(t *testing.T) {
	w := newCBWorld(t)
	b, err := w.c.Backups.Create(context.Background(), w.ids.DatabaseID, "before-migration", "schema v42")
	if err != nil {
		t.Fatalf("Backups.Create: %v", err)
	}
	if b.Id == nil || b.Name == nil || *b.Name != "before-migration" || b.Message == nil || *b.Message != "schema v42" {
		t.Fatalf("backup = %+v", b)
	}
	if got := w.srv.Kind(b.Id.String()); got != fixtures.KindBackup {
		t.Errorf("the fake holds no backup %s", b.Id)
	}
	if n := w.srv.Processed("addBackupDatabase"); n != 1 {
		t.Errorf("addBackupDatabase processed %d times, want 1", n)
	}
	if p := BackupPhaseOf(b); p != BackupPending {
		t.Errorf("a new backup is %v, want pending", p)
	}
	// An empty message is allowed.
	if _, err := w.c.Backups.Create(context.Background(), w.ids.DatabaseID, "nightly", ""); err != nil {
		t.Errorf("Backups.Create without a message: %v", err)
	}
}

func TestBackupsCreateErrors(t *testing.T) {
	w := newCBWorld(t)
	ctx := context.Background()

	_, err := w.c.Backups.Create(ctx, unknownID, "b", "m")
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown database: err = %v, want ErrNotFound", err)
	}

	w.srv.ResetCounts()
	w.inject("addBackupDatabase", 1, http.StatusConflict, "operation in progress")
	_, err = w.c.Backups.Create(ctx, w.ids.DatabaseID, "b", "m")
	if !errors.Is(err, ErrConflict) {
		t.Errorf("409: err = %v, want ErrConflict", err)
	}
	if n := w.srv.Received("addBackupDatabase"); n != 1 {
		t.Errorf("addBackupDatabase received %d requests after a 409, want 1", n)
	}

	// A 502 may hide a processed request: sent once, so no second backup.
	w.srv.ResetCounts()
	w.srv.InjectFault("addBackupDatabase", 1, fixtures.Fault{Kind: fixtures.FaultStatus, Status: http.StatusBadGateway, Apply: true})
	_, err = w.c.Backups.Create(ctx, w.ids.DatabaseID, "b2", "m")
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusBadGateway {
		t.Errorf("502: err = %v, want the 502", err)
	}
	if n := w.srv.Processed("addBackupDatabase"); n != 1 {
		t.Errorf("addBackupDatabase processed %d times, want 1", n)
	}
}

func TestBackupHelpersCheckArgumentsFirst(t *testing.T) {
	w := newCBWorld(t)
	w.srv.ResetCounts()
	ctx := context.Background()
	db, b := w.ids.DatabaseID, unknownID
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"create: database id", func() error { _, err := w.c.Backups.Create(ctx, "db", "n", "m"); return err }, "databaseID"},
		{"create: name", func() error { _, err := w.c.Backups.Create(ctx, db, "", "m"); return err }, "name"},
		{"create: blank name", func() error { _, err := w.c.Backups.Create(ctx, db, " \t", "m"); return err }, "name"},
		{"wait: database id", func() error { _, err := w.c.Backups.Wait(ctx, "", b); return err }, "databaseID"},
		{"wait: backup id", func() error { _, err := w.c.Backups.Wait(ctx, db, "latest"); return err }, "backupID"},
		{"delete: database id", func() error { return w.c.Backups.Delete(ctx, db+" ", b) }, "databaseID"},
		{"delete: backup id", func() error { return w.c.Backups.Delete(ctx, db, strings.ToUpper(b)+"0") }, "backupID"},
		{"latest: database id", func() error { _, err := w.c.Backups.Latest(ctx, "primary"); return err }, "databaseID"},
		{"list: database id", func() error {
			for _, err := range w.c.Backups.ListIter(ctx, "primary", nil) {
				return err
			}
			return nil
		}, "databaseID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want an error naming %s", err, tt.want)
			}
			var arg *ArgError
			if !errors.As(err, &arg) || arg.Arg != tt.want {
				t.Errorf("err = %v (%T), want an *ArgError for %s", err, err, tt.want)
			}
		})
	}
	if n := w.srv.Requests(); n != 0 {
		t.Errorf("%d requests were sent for invalid arguments, want 0", n)
	}
}

func TestBackupsWait(t *testing.T) {
	w := newCBWorld(t, fixtures.WithSteps(2))
	ctx := context.Background()
	created, err := w.c.Backups.Create(ctx, w.ids.DatabaseID, "nightly", "")
	if err != nil {
		t.Fatal(err)
	}
	b, err := w.c.Backups.Wait(ctx, w.ids.DatabaseID, created.Id.String())
	if err != nil {
		t.Fatalf("Backups.Wait: %v", err)
	}
	if BackupPhaseOf(b) != BackupDone || *b.Id != *created.Id {
		t.Errorf("Backups.Wait returned %s in phase %v", describeBackup(b), BackupPhaseOf(b))
	}
	if n := w.srv.Received("listDatabaseBackup"); n < 3 {
		t.Errorf("listDatabaseBackup received %d requests; the backup was not polled", n)
	}
}

func TestBackupsWaitFindsItOnALaterPage(t *testing.T) {
	w := newCBWorld(t)
	ctx := context.Background()
	first, err := w.c.Backups.Create(ctx, w.ids.DatabaseID, "old", "")
	if err != nil {
		t.Fatal(err)
	}
	w.srv.SeedBackups(w.ids.DatabaseID, 25) // pushes the first backup to page 2
	w.srv.ResetCounts()
	b, err := w.c.Backups.Wait(ctx, w.ids.DatabaseID, first.Id.String())
	if err != nil {
		t.Fatalf("Backups.Wait: %v", err)
	}
	if *b.Name != "old" {
		t.Errorf("found %q", *b.Name)
	}
	// Each poll reads two pages. The fake moves the backup one state at
	// each read (QUEUED, then DEPLOYING, then DEPLOYED): two polls.
	if n := w.srv.Received("listDatabaseBackup"); n != 4 {
		t.Errorf("listDatabaseBackup received %d requests, want 4 (2 polls of 2 pages)", n)
	}
}

func TestBackupsWaitFails(t *testing.T) {
	w := newCBWorld(t)
	ctx := context.Background()
	w.srv.FailNext("addBackupDatabase", "pg_dump: connection refused")
	created, err := w.c.Backups.Create(ctx, w.ids.DatabaseID, "nightly", "")
	if err != nil {
		t.Fatal(err)
	}
	b, err := w.c.Backups.Wait(ctx, w.ids.DatabaseID, created.Id.String())
	var be *BackupError
	if !errors.As(err, &be) {
		t.Fatalf("err = %v, want a *BackupError", err)
	}
	if !State(be.State).Failed() || be.BackupID != created.Id.String() || be.DatabaseID != w.ids.DatabaseID {
		t.Errorf("BackupError = %+v", be)
	}
	if !strings.Contains(err.Error(), be.State) {
		t.Errorf("error %q does not name the state", err)
	}
	if b == nil || be.Backup != b {
		t.Error("the failed backup is not returned with the error")
	}
	if n := w.srv.Received("listDatabaseBackup"); n > 4 {
		t.Errorf("listDatabaseBackup received %d requests: the failure was polled again", n)
	}
}

func TestBackupsWaitNotFound(t *testing.T) {
	w := newCBWorld(t)
	ctx := context.Background()
	_, err := w.c.Backups.Wait(ctx, w.ids.DatabaseID, unknownID)
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), unknownID) {
		t.Errorf("unknown backup: err = %v, want ErrNotFound naming it", err)
	}
	if n := w.srv.Received("listDatabaseBackup"); n < 2 || n > 20 {
		t.Errorf("listDatabaseBackup received %d requests; a missing backup is polled for during the 20 ms grace only", n)
	}
	_, err = w.c.Backups.Wait(ctx, unknownID, unknownID)
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusNotFound {
		t.Errorf("unknown database: err = %v, want the API's 404", err)
	}
}

func TestBackupsWaitCancel(t *testing.T) {
	w := newCBWorld(t, fixtures.WithSteps(1_000_000))
	created, err := w.c.Backups.Create(context.Background(), w.ids.DatabaseID, "nightly", "")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for w.srv.Received("listDatabaseBackup") < 3 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	start := time.Now()
	_, err = w.c.Backups.Wait(ctx, w.ids.DatabaseID, created.Id.String())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Backups.Wait took %v to notice the cancellation", d)
	}
}

func TestBackupsWaitTimeout(t *testing.T) {
	srv := fixtures.NewServer(t, fixtures.WithSteps(1_000_000))
	ids := srv.Seed()
	c, _ := newTestClient(t, srv.URL, WithWaitPolicy(WaitPolicy{MinInterval: time.Millisecond, MaxInterval: 2 * time.Millisecond, Timeout: 50 * time.Millisecond}))
	created, err := c.Backups.Create(context.Background(), ids.DatabaseID, "nightly", "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Backups.Wait(context.Background(), ids.DatabaseID, created.Id.String())
	if !errors.Is(err, ErrWaitTimeout) {
		t.Fatalf("err = %v, want ErrWaitTimeout", err)
	}
	if !strings.Contains(err.Error(), "backup "+created.Id.String()) {
		t.Errorf("error %q does not name the backup", err)
	}
}

func TestBackupsWaitRidesOutServerErrors(t *testing.T) {
	w := newCBWorld(t)
	created, err := w.c.Backups.Create(context.Background(), w.ids.DatabaseID, "nightly", "")
	if err != nil {
		t.Fatal(err)
	}
	// More 503s than the transport retries: the waiter polls again.
	w.inject("listDatabaseBackup", 6, http.StatusServiceUnavailable, "maintenance")
	b, err := w.c.Backups.Wait(context.Background(), w.ids.DatabaseID, created.Id.String())
	if err != nil || BackupPhaseOf(b) != BackupDone {
		t.Fatalf("Backups.Wait: %v", err)
	}
}

func TestBackupsAcrossPages(t *testing.T) {
	w := newCBWorld(t)
	seeded := w.srv.SeedBackups(w.ids.DatabaseID, 45)
	w.srv.ResetCounts()

	var got []string
	for b, err := range w.c.Backups.ListIter(context.Background(), w.ids.DatabaseID, nil) {
		if err != nil {
			t.Fatalf("Backups: %v", err)
		}
		got = append(got, b.Id.String())
	}
	if len(got) != len(seeded) {
		t.Fatalf("got %d backups, want %d", len(got), len(seeded))
	}
	for i, id := range got { // newest first
		if want := seeded[len(seeded)-1-i]; id != want {
			t.Fatalf("backup %d = %s, want %s", i, id, want)
		}
	}
	if n := w.srv.Received("listDatabaseBackup"); n != 3 {
		t.Errorf("listDatabaseBackup received %d requests, want 3 pages", n)
	}

	// Stopping early fetches no further page.
	w.srv.ResetCounts()
	for _, err := range w.c.Backups.ListIter(context.Background(), w.ids.DatabaseID, nil) {
		_ = err // what counts here is the number of pages fetched
		break
	}
	if n := w.srv.Received("listDatabaseBackup"); n != 1 {
		t.Errorf("breaking out of the loop: %d requests, want 1", n)
	}
}

func TestBackupsErrors(t *testing.T) {
	w := newCBWorld(t)
	w.srv.SeedBackups(w.ids.DatabaseID, 30)
	var n int
	var last error
	for b, err := range w.c.Backups.ListIter(context.Background(), w.ids.DatabaseID, nil) {
		if err != nil {
			last = err
			break
		}
		n++
		if n == 20 { // the second page is asked for after this one
			w.inject("listDatabaseBackup", 1, http.StatusForbidden, "no access")
		}
		_ = b
	}
	if n != 20 || !errors.Is(last, ErrForbidden) {
		t.Errorf("got %d backups then %v, want 20 then ErrForbidden", n, last)
	}

	for _, err := range w.c.Backups.ListIter(context.Background(), unknownID, nil) {
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown database: err = %v, want ErrNotFound", err)
		}
	}
}

func TestBackupsDelete(t *testing.T) {
	w := newCBWorld(t)
	ctx := context.Background()
	ids := w.srv.SeedBackups(w.ids.DatabaseID, 2)

	if err := w.c.Backups.Delete(ctx, w.ids.DatabaseID, ids[0]); err != nil {
		t.Fatalf("Backups.Delete: %v", err)
	}
	if w.srv.Exists(ids[0]) || !w.srv.Exists(ids[1]) {
		t.Error("the wrong backup was deleted")
	}
	if err := w.c.Backups.Delete(ctx, w.ids.DatabaseID, ids[0]); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleting again: err = %v, want ErrNotFound", err)
	}
	if err := w.c.Backups.Delete(ctx, unknownID, ids[1]); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown database: err = %v, want ErrNotFound", err)
	}
	w.srv.ResetCounts()
	w.inject("removeDatabaseBackup", 1, http.StatusConflict, "backup in use by a restore")
	if err := w.c.Backups.Delete(ctx, w.ids.DatabaseID, ids[1]); !errors.Is(err, ErrConflict) {
		t.Errorf("409: err = %v, want ErrConflict", err)
	}
	if n := w.srv.Received("removeDatabaseBackup"); n != 1 {
		t.Errorf("removeDatabaseBackup received %d requests after a 409, want 1", n)
	}
}

func TestBackupsDeleteRetriedAfterProcessing(t *testing.T) {
	w := newCBWorld(t)
	ids := w.srv.SeedBackups(w.ids.DatabaseID, 1)
	// The API deletes the backup but the answer is lost: the retry gets 404.
	w.srv.InjectFault("removeDatabaseBackup", 1, fixtures.Fault{Kind: fixtures.FaultStatus, Status: http.StatusBadGateway, Apply: true})
	if err := w.c.Backups.Delete(context.Background(), w.ids.DatabaseID, ids[0]); err != nil {
		t.Fatalf("Backups.Delete: %v", err)
	}
	if n := w.srv.Received("removeDatabaseBackup"); n != 2 {
		t.Errorf("removeDatabaseBackup received %d requests, want 2", n)
	}
	if w.srv.Exists(ids[0]) {
		t.Error("the backup still exists")
	}
}

func TestBackupsLatest(t *testing.T) {
	// A clock a minute ahead at each reading gives every backup its own
	// creation time.
	var tick atomic.Int64
	base := time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)
	clock := func() time.Time { return base.Add(time.Duration(tick.Add(1)) * time.Minute) }
	w := newCBWorld(t, fixtures.WithClock(clock))
	ctx := context.Background()

	ids := w.srv.SeedBackups(w.ids.DatabaseID, 23) // all done; ids[22] is the newest
	w.srv.SetState(ids[22], "DEPLOYMENT_ERROR")    // the newest failed,
	pending, err := w.c.Backups.Create(ctx, w.ids.DatabaseID, "running", "")
	if err != nil { // and a newer one is still running
		t.Fatal(err)
	}
	w.srv.ResetCounts()

	b, err := w.c.Backups.Latest(ctx, w.ids.DatabaseID)
	if err != nil {
		t.Fatalf("Backups.Latest: %v", err)
	}
	if b.Id.String() != ids[21] {
		t.Errorf("Backups.Latest = %s (%s), want %s", b.Id, *b.Name, ids[21])
	}
	if *b.Id == *pending.Id {
		t.Error("Backups.Latest returned the pending backup")
	}
	if n := w.srv.Received("listDatabaseBackup"); n != 1 {
		t.Errorf("listDatabaseBackup received %d requests, want 1 (the first page holds a completed backup)", n)
	}
}

// Latest reads pages only until one holds a completed backup: the list is
// newest first.
func TestBackupsLatestReadsUntilAPageHoldsACompletedBackup(t *testing.T) {
	var tick atomic.Int64
	base := time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)
	clock := func() time.Time { return base.Add(time.Duration(tick.Add(1)) * time.Minute) }
	ctx := context.Background()

	t.Run("95 backups", func(t *testing.T) {
		w := newCBWorld(t, fixtures.WithClock(clock))
		ids := w.srv.SeedBackups(w.ids.DatabaseID, 95)
		w.srv.ResetCounts()
		b, err := w.c.Backups.Latest(ctx, w.ids.DatabaseID)
		if err != nil || b.Id.String() != ids[94] {
			t.Fatalf("Latest = %v, %v; want %s", b, err, ids[94])
		}
		if n := w.srv.Received("listDatabaseBackup"); n != 1 {
			t.Errorf("%d requests for 95 backups, want 1", n)
		}
	})
	t.Run("first page failed or pending", func(t *testing.T) {
		w := newCBWorld(t, fixtures.WithClock(clock))
		ids := w.srv.SeedBackups(w.ids.DatabaseID, 45)
		for _, id := range ids[23:] { // the 22 newest: more than a page
			w.srv.SetState(id, "DEPLOYMENT_ERROR")
		}
		w.srv.ResetCounts()
		b, err := w.c.Backups.Latest(ctx, w.ids.DatabaseID)
		if err != nil || b.Id.String() != ids[22] {
			t.Fatalf("Latest = %v, %v; want %s", b, err, ids[22])
		}
		if n := w.srv.Received("listDatabaseBackup"); n != 2 {
			t.Errorf("%d requests, want 2: the second page holds the first completed backup", n)
		}
	})
}

// Should the API list a newer completed backup on a later page, against
// its order, Latest does not see it: it returns the newest of the first
// page holding a completed backup, as its documentation says.
func TestBackupsLatestTrustsTheOrder(t *testing.T) {
	first := []string{"0b5f4b41-4d1c-4a4e-9d55-4b0a4f6f0a01"}
	for i := 2; i <= 20; i++ {
		first = append(first, fmt.Sprintf("0b5f4b41-4d1c-4a4e-9d55-4b0a4f6f0a%02d", i))
	}
	later := "0b5f4b41-4d1c-4a4e-9d55-4b0a4f6f0b99"
	backup := func(id, created string) string {
		return `{"id":"` + id + `","name":"b","created_at":"` + created + `","status":{"state":"DEPLOYED","status_details":{"status":"SUCCESS"}}}`
	}
	var pages atomic.Int32
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		var items []string
		if pages.Add(1) == 1 {
			for _, id := range first {
				items = append(items, backup(id, "2026-03-01T02:00:00Z"))
			}
		} else {
			items = append(items, backup(later, "2026-03-02T02:00:00Z"))
		}
		_, _ = io.WriteString(w, `{"page":1,"page_size":20,"results":[`+strings.Join(items, ",")+`]}`)
	}))
	c, _ := newTestClient(t, srv.URL)
	b, err := c.Backups.Latest(context.Background(), someDB)
	if err != nil {
		t.Fatal(err)
	}
	if b.Id.String() == later || pages.Load() != 1 {
		t.Errorf("Latest = %s after %d pages; want a backup of the first page, after 1", b.Id, pages.Load())
	}
}

func TestBackupsLatestNone(t *testing.T) {
	w := newCBWorld(t)
	ctx := context.Background()

	_, err := w.c.Backups.Latest(ctx, w.ids.DatabaseID)
	if !errors.Is(err, ErrNotFound) || !errors.Is(err, ErrNoBackup) {
		t.Fatalf("no backups: err = %v, want ErrNotFound and ErrNoBackup", err)
	}
	if !strings.Contains(err.Error(), w.ids.DatabaseID) || !strings.Contains(err.Error(), "no completed backup") {
		t.Errorf("error %q is unclear", err)
	}

	ids := w.srv.SeedBackups(w.ids.DatabaseID, 2)
	w.srv.SetState(ids[0], "DEPLOYMENT_ERROR")
	w.srv.SetState(ids[1], "QUEUED")
	_, err = w.c.Backups.Latest(ctx, w.ids.DatabaseID)
	if !errors.Is(err, ErrNoBackup) || !strings.Contains(err.Error(), "(1 pending, 1 failed)") {
		t.Errorf("only failed and pending backups: err = %v", err)
	}

	_, err = w.c.Backups.Latest(ctx, unknownID)
	if !errors.Is(err, ErrNotFound) || errors.Is(err, ErrNoBackup) {
		t.Errorf("unknown database: err = %v, want the API's 404", err)
	}
}

func TestBackupFlowOnFlakyAPI(t *testing.T) {
	// A quarter of the requests fail in a retryable way. Reads are retried
	// by the transport and the waiter; a POST that may have been processed
	// (503, reset connection) is sent once, so no backup is ever taken twice.
	w := newCBWorld(t, fixtures.WithFaultMix(7, 0.25,
		fixtures.Fault{Kind: fixtures.FaultRateLimit, RetryAfter: time.Millisecond},
		fixtures.Fault{Kind: fixtures.FaultStatus, Status: http.StatusServiceUnavailable, Apply: true},
		fixtures.Fault{Kind: fixtures.FaultReset, Apply: true},
	))
	ctx := context.Background()
	done := 0
	for i := range 8 {
		b, err := w.c.Backups.Create(ctx, w.ids.DatabaseID, fmt.Sprintf("b%d", i), "")
		if err != nil {
			continue // reported to the caller, not retried
		}
		if _, err := w.c.Backups.Wait(ctx, w.ids.DatabaseID, b.Id.String()); err != nil {
			t.Fatalf("Backups.Wait: %v", err)
		}
		done++
	}
	if done == 0 {
		t.Fatal("no backup went through")
	}
	names := map[string]int{}
	for b, err := range w.c.Backups.ListIter(ctx, w.ids.DatabaseID, nil) {
		if err != nil {
			t.Fatalf("Backups: %v", err)
		}
		names[*b.Name]++
	}
	for name, n := range names {
		if n > 1 {
			t.Errorf("backup %s was taken %d times", name, n)
		}
	}
	if _, err := w.c.Backups.Latest(ctx, w.ids.DatabaseID); err != nil {
		t.Fatalf("Backups.Latest: %v", err)
	}
}
