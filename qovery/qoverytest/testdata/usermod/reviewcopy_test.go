package reviewcopy_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/qoverykit/qovery-go/qovery"
	"github.com/qoverykit/qovery-go/qovery/qoverytest"

	"example.com/reviewcopy"
)

func TestCopyThroughARateLimitAndAnOutage(t *testing.T) {
	t.Parallel()
	srv := qoverytest.NewServer(t)
	srv.Fail("cloneDatabase", qoverytest.TooManyRequests(time.Second))
	srv.Fail("getDatabaseStatus", qoverytest.ServiceUnavailable())

	start := time.Now()
	id, err := reviewcopy.Copy(context.Background(), srv.Client(), srv.World.DatabaseID, srv.World.StagingEnvironmentID, "db-review")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("copied through a 429 and a 503 in %v", time.Since(start))

	if state, _ := srv.State(id); state != "DEPLOYED" {
		t.Errorf("the copy is %s, want DEPLOYED", state)
	}
	// Exactly one clone took effect, though two were sent.
	if sent, done := srv.Calls("cloneDatabase"), srv.Processed("cloneDatabase"); sent != 2 || done != 1 {
		t.Errorf("cloneDatabase: %d sent, %d took effect; want 2 and 1", sent, done)
	}
	var faults []string
	for _, r := range srv.Requests() {
		if r.Fault != "" {
			faults = append(faults, r.Operation+": "+r.Fault)
		}
	}
	if len(faults) != 2 {
		t.Errorf("faults met: %q", faults)
	}
}

func TestCopyReportsAFailedDeploy(t *testing.T) {
	t.Parallel()
	srv := qoverytest.NewServer(t)
	srv.FailNextAction("deployDatabase", "not enough storage")

	id, err := reviewcopy.Copy(context.Background(), srv.Client(), srv.World.DatabaseID, srv.World.EnvironmentID, "db-review")
	var failed *qovery.StateError
	if !errors.As(err, &failed) || id == "" {
		t.Fatalf("Copy = %q, %v; want the copy's ID and a *qovery.StateError", id, err)
	}
	if state, _ := srv.State(id); state != "DEPLOYMENT_ERROR" {
		t.Errorf("the copy is %s", state)
	}
}

func TestCopyKeepsNamesUnique(t *testing.T) {
	t.Parallel()
	srv := qoverytest.NewServer(t)
	srv.AddDatabase(srv.World.StagingEnvironmentID, "db-review")

	_, err := reviewcopy.Copy(context.Background(), srv.Client(), srv.World.DatabaseID, srv.World.StagingEnvironmentID, "db-review")
	if !qovery.IsConflict(err) {
		t.Errorf("err = %v, want a conflict", err)
	}
	if n := srv.Calls("cloneDatabase"); n != 1 {
		t.Errorf("cloneDatabase sent %d times, want once", n)
	}
}
