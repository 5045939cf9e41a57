package qovery_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/qoverykit/qovery-go/qovery"
	"github.com/qoverykit/qovery-go/qovery/qoverytest"
)

// These tests run the jobs users write against the fake with the live
// API's behaviours turned on, one at a time: what passes here passes where
// the API lags, answers 403 for what is gone, or refuses a busy
// environment.

// liveClient is a client of srv that polls every millisecond.
func liveClient(srv *qoverytest.Server) *qovery.Client {
	return srv.Client(qovery.WithWaitPolicy(qovery.WaitPolicy{
		MinInterval: time.Millisecond, MaxInterval: 2 * time.Millisecond, Timeout: 10 * time.Second,
	}))
}

// Right after an action, the status still reads the state from before it:
// deploy, then wait, returns only once the deploy is done.
func TestLiveDeployThenWaitOutlastsAStaleStatus(t *testing.T) {
	for _, kind := range []string{"application", "container", "database", "environment"} {
		t.Run(kind, func(t *testing.T) {
			srv := qoverytest.NewServer(t, qoverytest.WithStaleStatus(2))
			c, ctx := liveClient(srv), context.Background()
			id, deploy, wait := serviceOf(c, srv.World, kind)
			if err := deploy(ctx, id); err != nil {
				t.Fatal(err)
			}
			if _, err := wait(ctx, id, qovery.StateDeployed); err != nil {
				t.Fatalf("Wait: %v", err)
			}
			if real, _ := srv.State(id); real != "DEPLOYED" {
				t.Errorf("Wait returned while the %s was still %s: it took the stale status for the end of the deploy", kind, real)
			}
		})
	}
}

// Stop, then wait, on a service that was stopped already: the stale
// STOPPED before the stop is not its end either.
func TestLiveStopThenWaitOutlastsAStaleStatus(t *testing.T) {
	srv := qoverytest.NewServer(t, qoverytest.WithStaleStatus(2))
	c, ctx := liveClient(srv), context.Background()
	app := srv.World.ApplicationID
	srv.SetState(app, "STOPPED")
	if _, err := c.Applications.Stop(ctx, app); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Applications.Wait(ctx, app, qovery.StateStopped); err != nil {
		t.Fatalf("Wait: %v", err)
	}
	if real, _ := srv.State(app); real != "STOPPED" {
		t.Errorf("Wait returned while the application was still %s", real)
	}
}

// A deleted resource answers 403 on its status: after a delete by this
// client, that is the deletion the wait is for.
func TestLiveDeleteThenWaitTakes403AsDeleted(t *testing.T) {
	for _, code := range []int{403, 400} {
		// Steps 0: the first read after the delete finds it gone, with no
		// DELETED read first.
		srv := qoverytest.NewServer(t, qoverytest.WithDeletedStatus(code), qoverytest.WithSteps(0))
		c, ctx := liveClient(srv), context.Background()
		app := srv.World.ApplicationID
		if err := c.Applications.Delete(ctx, app); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Applications.Wait(ctx, app, qovery.StateDeleted); err != nil {
			t.Errorf("%d: Wait for the deletion: %v", code, err)
		}
		if srv.Exists(app) {
			t.Errorf("%d: the application still exists", code)
		}
	}
}

// serviceOf returns the ID of the world's object of kind, with its deploy
// and its wait.
func serviceOf(c *qovery.Client, w qoverytest.World, kind string) (id string, deploy func(context.Context, string) error, wait func(context.Context, string, qovery.State) (*qovery.Status, error)) {
	switch kind {
	case "application":
		return w.ApplicationID, func(ctx context.Context, id string) error {
			_, err := c.Applications.Deploy(ctx, id, qovery.DeployApplicationRequest{})
			return err
		}, c.Applications.Wait
	case "container":
		return w.ContainerID, func(ctx context.Context, id string) error {
			_, err := c.Containers.Deploy(ctx, id, qovery.DeployContainerRequest{})
			return err
		}, c.Containers.Wait
	case "database":
		return w.DatabaseID, func(ctx context.Context, id string) error {
			_, err := c.Databases.Deploy(ctx, id)
			return err
		}, c.Databases.Wait
	}
	return w.EnvironmentID, func(ctx context.Context, id string) error {
		_, err := c.Environments.Deploy(ctx, id)
		return err
	}, c.Environments.Wait
}

// An action on a busy environment is refused with 409; WhenIdle waits for
// the environment to settle and acts then.
func TestLiveActionOnABusyEnvironmentWaitsForIt(t *testing.T) {
	srv := qoverytest.NewServer(t, qoverytest.WithBusyConflict(), qoverytest.WithSteps(3))
	c, ctx := liveClient(srv), context.Background()
	env, app := srv.World.EnvironmentID, srv.World.ApplicationID
	if _, err := c.Environments.Deploy(ctx, env); err != nil {
		t.Fatal(err)
	}
	deploy := func(ctx context.Context) error {
		_, err := c.Applications.Deploy(ctx, app, qovery.DeployApplicationRequest{})
		return err
	}
	if err := deploy(ctx); !qovery.IsConflict(err) {
		t.Fatalf("a deploy while the environment deploys: err = %v, want a 409", err)
	}
	if err := c.Environments.WhenIdle(ctx, env, deploy); err != nil {
		t.Fatalf("WhenIdle: %v", err)
	}
	if _, err := c.Applications.Wait(ctx, app, qovery.StateDeployed); err != nil {
		t.Fatal(err)
	}
	if n := srv.Calls("deployApplication"); n != 3 {
		t.Errorf("deployApplication received %d requests, want 3: refused, refused, then accepted", n)
	}
}

// New states appear, and failure states other than the ones we know: a
// wait goes through the first and stops on the second.
func TestLiveNewStatesAreWaitedThroughAndNewFailuresStop(t *testing.T) {
	srv := qoverytest.NewServer(t, qoverytest.WithNewState("WARMING_UP"))
	c, ctx := liveClient(srv), context.Background()
	app := srv.World.ApplicationID
	if _, err := c.Applications.Deploy(ctx, app, qovery.DeployApplicationRequest{}); err != nil {
		t.Fatal(err)
	}
	st, err := c.Applications.Wait(ctx, app, qovery.StateSettled)
	if err != nil || qovery.State(*st.State) != qovery.StateDeployed {
		t.Fatalf("Wait(StateSettled) through a new state = %v, %v", st, err)
	}

	srv.FailNextActionIn(app, "BUILD_ERROR", "no Dockerfile")
	if _, err := c.Applications.Deploy(ctx, app, qovery.DeployApplicationRequest{}); err != nil {
		t.Fatal(err)
	}
	_, err = c.Applications.Wait(ctx, app, qovery.StateDeployed)
	var se *qovery.StateError
	if !errors.As(err, &se) || se.State != "BUILD_ERROR" || se.Message != "no Dockerfile" {
		t.Errorf("Wait after a deploy failing in BUILD_ERROR: err = %v", err)
	}
}

// A clone is refused a deploy while the environment is still making it;
// Clone with WithDeploy waits for the environment and deploys then.
func TestLiveCloneWithDeployWaitsForABusyEnvironment(t *testing.T) {
	srv := qoverytest.NewServer(t, qoverytest.WithLiveBehaviours())
	c, ctx := liveClient(srv), context.Background()
	db, err := c.Databases.Clone(ctx, srv.World.DatabaseID, "db-copy", srv.World.StagingEnvironmentID, qovery.WithDeploy())
	if err != nil {
		t.Fatalf("Databases.Clone with WithDeploy: %v", err)
	}
	if state, _ := srv.State(db.GetId()); state != "DEPLOYED" {
		t.Errorf("the clone is %s", state)
	}
	app, err := c.Applications.Clone(ctx, srv.World.ApplicationID, "front-copy", srv.World.StagingEnvironmentID, qovery.WithDeploy())
	if err != nil {
		t.Fatalf("Applications.Clone with WithDeploy: %v", err)
	}
	if state, _ := srv.State(app.GetId()); state != "DEPLOYED" {
		t.Errorf("the clone is %s", state)
	}
}
