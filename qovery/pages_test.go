package qovery

import (
	"context"
	"errors"
	"iter"
	"strconv"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/qoverykit/qovery-go/internal/fixtures"
)

// collect drains an iterator, stopping at its first error.
func collect[T any](seq iter.Seq2[T, error]) (items []T, err error) {
	for it, err := range seq {
		if err != nil {
			return items, err
		}
		items = append(items, it)
	}
	return items, nil
}

func TestBackupsIterateEveryPage(t *testing.T) {
	for _, n := range []int{0, 1, 19, 20, 40, 47} {
		srv := fixtures.NewServer(t)
		ids := srv.Seed()
		seeded := srv.SeedBackups(ids.DatabaseID, n)
		c, _ := newTestClient(t, srv.URL)

		got, err := collect(c.Backups.ListIter(context.Background(), ids.DatabaseID, nil))
		if err != nil {
			t.Fatalf("%d backups: %v", n, err)
		}
		if len(got) != n {
			t.Fatalf("%d backups: iterated %d", n, len(got))
		}
		for i, b := range got { // newest first, none skipped or repeated
			if want := seeded[n-1-i]; b.Id == nil || b.Id.String() != want {
				t.Fatalf("%d backups: item %d is %v, want %s", n, i, b.Id, want)
			}
		}
		// A short page ends the walk; a full one needs one more request.
		if want := n/20 + 1; srv.Received("listDatabaseBackup") != want {
			t.Fatalf("%d backups: %d requests, want %d", n, srv.Received("listDatabaseBackup"), want)
		}
	}
}

func TestIteratorsCoverEveryPaginatedList(t *testing.T) {
	srv := fixtures.NewServer(t)
	ids := srv.Seed()
	c, _ := newTestClient(t, srv.URL)
	ctx := context.Background()
	cases := []struct {
		op   string
		seed func() []string
		seq  iter.Seq2[map[string]any, error]
	}{
		{"listDatabaseEvent", func() []string { return srv.SeedEvents(ids.DatabaseID, 45) }, c.Databases.ListEventsIter(ctx, ids.DatabaseID, nil)},
		{"listDatabaseDeploymentHistory", func() []string { return srv.SeedDeployments(ids.DatabaseID, 45) }, c.Databases.ListDeploymentHistoryIter(ctx, ids.DatabaseID, nil)},
		{"listApplicationEvent", func() []string { return srv.SeedEvents(ids.ApplicationID, 45) }, c.Applications.ListEventsIter(ctx, ids.ApplicationID, nil)},
		{"listApplicationDeploymentHistory", func() []string { return srv.SeedDeployments(ids.ApplicationID, 45) }, c.Applications.ListDeploymentHistoryIter(ctx, ids.ApplicationID, nil)},
		{"listEnvironmentDeploymentHistory", func() []string { return srv.SeedDeployments(ids.EnvironmentID, 45) }, c.Environments.ListDeploymentHistoryIter(ctx, ids.EnvironmentID, nil)},
	}
	for _, tc := range cases {
		t.Run(tc.op, func(t *testing.T) {
			seeded := tc.seed()
			got, err := collect(tc.seq)
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			for _, it := range got {
				id, _ := it["id"].(string)
				seen[id] = true
			}
			for _, id := range seeded {
				if !seen[id] {
					t.Fatalf("seeded item %s was not iterated (got %d items)", id, len(got))
				}
			}
			if srv.Received(tc.op) < 3 {
				t.Fatalf("%d requests for %d items", srv.Received(tc.op), len(got))
			}
		})
	}
}

func TestIteratorStopsAtFirstError(t *testing.T) {
	srv := fixtures.NewServer(t)
	ids := srv.Seed()
	srv.SeedBackups(ids.DatabaseID, 70)
	c, _ := newTestClient(t, srv.URL)

	var items, errs int
	var last error
	for _, err := range c.Backups.ListIter(context.Background(), ids.DatabaseID, nil) {
		if err != nil {
			errs++
			last = err
			continue // the iterator must end by itself
		}
		items++
		if items == 30 { // part-way through page 2: make page 3 fail
			srv.InjectFault("listDatabaseBackup", 1, fixtures.Fault{Kind: fixtures.FaultStatus, Status: 403, Message: "access revoked"})
		}
	}
	if items != 40 || errs != 1 {
		t.Fatalf("%d items and %d errors, want 40 then 1", items, errs)
	}
	if !IsForbidden(last) || !strings.Contains(last.Error(), "access revoked") {
		t.Fatalf("err = %v", last)
	}
	if srv.Received("listDatabaseBackup") != 3 {
		t.Fatalf("%d requests, want 3", srv.Received("listDatabaseBackup"))
	}
}

func TestIteratorIsLazy(t *testing.T) {
	srv := fixtures.NewServer(t)
	ids := srv.Seed()
	srv.SeedBackups(ids.DatabaseID, 100)
	c, _ := newTestClient(t, srv.URL)

	seq := c.Backups.ListIter(context.Background(), ids.DatabaseID, nil)
	if srv.Received("listDatabaseBackup") != 0 {
		t.Fatal("building the iterator sent a request")
	}
	n := 0
	for _, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 25 {
			break
		}
	}
	if srv.Received("listDatabaseBackup") != 2 {
		t.Fatalf("%d requests for 25 items, want 2", srv.Received("listDatabaseBackup"))
	}
}

func TestIteratorRetriesTransientFaults(t *testing.T) {
	srv := fixtures.NewServer(t)
	ids := srv.Seed()
	srv.SeedBackups(ids.DatabaseID, 45)
	srv.InjectFault("listDatabaseBackup", 2, fixtures.Fault{Kind: fixtures.FaultReset})
	c, _ := newTestClient(t, srv.URL)
	got, err := collect(c.Backups.ListIter(context.Background(), ids.DatabaseID, nil))
	if err != nil || len(got) != 45 {
		t.Fatalf("%d items, err %v", len(got), err)
	}
}

func TestIteratorBadIDOrCancelledContext(t *testing.T) {
	srv := fixtures.NewServer(t)
	ids := srv.Seed()
	c, _ := newTestClient(t, srv.URL)

	_, err := collect(c.Backups.ListIter(context.Background(), "not-a-uuid", nil))
	if err == nil || !strings.Contains(err.Error(), "databaseID") {
		t.Fatalf("err = %v, want one naming the argument", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = collect(c.Backups.ListIter(ctx, ids.DatabaseID, nil))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if srv.Received("listDatabaseBackup") != 0 {
		t.Fatal("a request went out")
	}
}

// The sequence an Iter method returns can be ranged over again, from the
// start, whatever the pagination: each range is a walk of its own.
func TestWalksRangeTwice(t *testing.T) {
	all := pagedItems(25)
	byStart := func(_ context.Context, after *uuid.UUID) ([]pagedItem, int, error) {
		i := 0
		for after != nil && i < len(all) && *pagedID(&all[i]) != *after {
			i++
		}
		if after != nil {
			i++
		}
		return all[i:min(i+10, len(all))], 10, nil
	}
	byNumber := func(_ context.Context, page int) ([]pagedItem, int, error) {
		lo := min((page-1)*10, len(all))
		return all[lo:min(lo+10, len(all))], 10, nil
	}
	byToken := func(_ context.Context, token string) ([]pagedItem, string, error) {
		page, _ := strconv.Atoi(token)
		lo, hi := min(page*10, len(all)), min((page+1)*10, len(all))
		next := ""
		if hi < len(all) {
			next = strconv.Itoa(page + 1)
		}
		return all[lo:hi], next, nil
	}
	for name, seq := range map[string]iter.Seq2[pagedItem, error]{
		"startId": listPages(context.Background(), "things", byStart, pagedID),
		"number":  listNumberedPages(context.Background(), "things", 1, byNumber, pagedID),
		"token":   listTokenPages(context.Background(), "things", "", byToken, pagedID),
	} {
		for round := 1; round <= 2; round++ {
			got, err := collect(seq)
			if err != nil || len(got) != len(all) {
				t.Errorf("%s, range %d: %d items, %v; want %d", name, round, len(got), err, len(all))
			}
		}
	}
}
