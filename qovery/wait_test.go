package qovery

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/qoverykit/qovery-go/internal/fixtures"
)

func TestWaitReachesTarget(t *testing.T) {
	srv := fixtures.NewServer(t, fixtures.WithSteps(2))
	ids := srv.Seed()
	c, _ := newTestClient(t, srv.URL)
	ctx := context.Background()
	db := uuid.MustParse(ids.DatabaseID)

	if err := Check(c.API().StopDatabaseWithResponse(ctx, db)); err != nil {
		t.Fatal(err)
	}
	st, err := c.Databases.Wait(ctx, ids.DatabaseID, StateStopped)
	if err != nil || st == nil || st.State == nil || *st.State != "STOPPED" {
		t.Fatalf("Databases.Wait(STOPPED) = %+v, %v", st, err)
	}
	if polls := srv.Received("getDatabaseStatus"); polls < 3 {
		t.Fatalf("reached STOPPED after %d polls: the wait did not see the intermediate states", polls)
	}

	if err := Check(c.API().DeployDatabaseWithResponse(ctx, db)); err != nil {
		t.Fatal(err)
	}
	if st, err := c.Databases.Wait(ctx, ids.DatabaseID, StateDeployed); err != nil || *st.State != "DEPLOYED" {
		t.Fatalf("Databases.Wait(DEPLOYED) = %+v, %v", st, err)
	}
}

func TestWaitEveryKind(t *testing.T) {
	srv := fixtures.NewServer(t)
	ids := srv.Seed()
	c, _ := newTestClient(t, srv.URL)
	ctx := context.Background()
	waits := map[string]func() error{
		"application": func() error { _, err := c.Applications.Wait(ctx, ids.ApplicationID, StateDeployed); return err },
		"container":   func() error { _, err := c.Containers.Wait(ctx, ids.ContainerID, StateDeployed); return err },
		"database":    func() error { _, err := c.Databases.Wait(ctx, ids.DatabaseID, StateDeployed); return err },
		"environment": func() error { _, err := c.Environments.Wait(ctx, ids.EnvironmentID, StateDeployed); return err },
	}
	for kind, wait := range waits {
		if err := wait(); err != nil {
			t.Errorf("%s: %v", kind, err)
		}
	}
	if _, err := c.Applications.Wait(ctx, "12345", StateDeployed); err == nil || !strings.Contains(err.Error(), "applicationID") {
		t.Errorf("bad ID: %v", err)
	}
}

func TestWaitFailureStateIsAnError(t *testing.T) {
	srv := fixtures.NewServer(t)
	ids := srv.Seed()
	c, _ := newTestClient(t, srv.URL)
	ctx := context.Background()
	app := uuid.MustParse(ids.ApplicationID)

	srv.FailNext(ids.ApplicationID, "pod refused to terminate: no Dockerfile")
	if err := Check(c.API().StopApplicationWithResponse(ctx, app)); err != nil {
		t.Fatal(err)
	}
	st, err := c.Applications.Wait(ctx, ids.ApplicationID, StateStopped)
	var se *StateError
	if st != nil || !errors.As(err, &se) {
		t.Fatalf("Applications.Wait = %+v, %v; want a *StateError", st, err)
	}
	if !se.State.Failed() || se.Kind != "application" || se.ID != ids.ApplicationID || se.Target != StateStopped ||
		!strings.Contains(err.Error(), string(se.State)) || !strings.Contains(err.Error(), "no Dockerfile") {
		t.Fatalf("error %q (%+v) does not name the state and its message", err, se)
	}
}

func TestWaitForDeletion(t *testing.T) {
	srv := fixtures.NewServer(t)
	ids := srv.Seed()
	c, _ := newTestClient(t, srv.URL)
	ctx := context.Background()

	if err := Check(c.API().DeleteContainerWithResponse(ctx, uuid.MustParse(ids.ContainerID))); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Containers.Wait(ctx, ids.ContainerID, StateDeleted); err != nil {
		t.Fatalf("Containers.Wait(DELETED): %v", err)
	}
	if srv.Exists(ids.ContainerID) {
		t.Fatal("returned before the container was gone")
	}
	// 404 is success only when waiting for deletion.
	if _, err := c.Containers.Wait(ctx, ids.ContainerID, StateDeleted); err != nil {
		t.Fatalf("already deleted: %v", err)
	}
	if _, err := c.Containers.Wait(ctx, ids.ContainerID, StateDeployed); !IsNotFound(err) {
		t.Fatalf("Containers.Wait(DEPLOYED) on a deleted container: %v, want not found", err)
	}
}

func TestWaitTimeout(t *testing.T) {
	srv := fixtures.NewServer(t)
	ids := srv.Seed()
	srv.SetState(ids.DatabaseID, "DEPLOYING") // and it never finishes
	c, _ := newTestClient(t, srv.URL, WithWaitPolicy(WaitPolicy{MinInterval: time.Millisecond, MaxInterval: 10 * time.Millisecond, Timeout: 150 * time.Millisecond}))
	start := time.Now()
	st, err := c.Databases.Wait(context.Background(), ids.DatabaseID, StateDeployed)
	if st != nil || !errors.Is(err, ErrWaitTimeout) {
		t.Fatalf("Databases.Wait = %+v, %v; want ErrWaitTimeout", st, err)
	}
	if el := time.Since(start); el < 150*time.Millisecond || el > time.Second {
		t.Fatalf("timed out after %s", el)
	}
	if !strings.Contains(err.Error(), "DEPLOYING") || !strings.Contains(err.Error(), "DEPLOYED") {
		t.Fatalf("error %q does not say where it was stuck", err)
	}
}

func TestWaitCancelIsPrompt(t *testing.T) {
	srv := fixtures.NewServer(t)
	ids := srv.Seed()
	srv.SetState(ids.EnvironmentID, "DEPLOYING")
	c, _ := newTestClient(t, srv.URL, WithWaitPolicy(WaitPolicy{MinInterval: 10 * time.Second}))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.Environments.Wait(ctx, ids.EnvironmentID, StateDeployed)
	if el := time.Since(start); el > 500*time.Millisecond {
		t.Fatalf("returned %s after the cancel", el)
	}
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrWaitTimeout) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestWaitToleratesTransientErrors(t *testing.T) {
	srv := fixtures.NewServer(t)
	ids := srv.Seed()
	p := fastPolicy()
	p.MaxAttempts = 1 // let the waiter, not the transport, see the faults
	c, _ := newTestClient(t, srv.URL, WithRetryPolicy(p))
	srv.InjectFault("getDatabaseStatus", 3, fixtures.Fault{Kind: fixtures.FaultHTML, Status: 502})
	if _, err := c.Databases.Wait(context.Background(), ids.DatabaseID, StateDeployed); err != nil {
		t.Fatalf("three 502 pages in a row: %v", err)
	}
	srv.InjectFault("getDatabaseStatus", 10, fixtures.Fault{Kind: fixtures.FaultStatus, Status: 503})
	_, err := c.Databases.Wait(context.Background(), ids.DatabaseID, StateDeployed)
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 503 || !strings.Contains(err.Error(), "failed polls") {
		t.Fatalf("ten 503s in a row: %v", err)
	}
	srv.ClearFaults()
	srv.InjectFault("getDatabaseStatus", 1, fixtures.Fault{Kind: fixtures.FaultStatus, Status: 403})
	if _, err := c.Databases.Wait(context.Background(), ids.DatabaseID, StateDeployed); !IsForbidden(err) {
		t.Fatalf("403: %v, want it returned at once", err)
	}
}

func TestPollBacksOff(t *testing.T) {
	c, err := New(testToken, WithWaitPolicy(WaitPolicy{MinInterval: 4 * time.Millisecond, MaxInterval: 20 * time.Millisecond, Timeout: 5 * time.Second}))
	if err != nil {
		t.Fatal(err)
	}
	var at []time.Time
	err = c.poll(context.Background(), "thing", "DONE", func(context.Context) (string, bool, error) {
		at = append(at, time.Now())
		return "BUSY", len(at) == 8, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	first, last := at[1].Sub(at[0]), at[7].Sub(at[6])
	if first >= 15*time.Millisecond || last < 18*time.Millisecond {
		t.Fatalf("intervals grew from %s to %s, want from ~4ms to the 20ms cap", first, last)
	}
}
