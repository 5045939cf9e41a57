package qoverytest_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/qoverykit/qovery-go/qovery"
	"github.com/qoverykit/qovery-go/qovery/qoverytest"
)

// reads calls getStatus n times and returns the states answered.
func reads(t *testing.T, n int, getStatus func() (*qovery.Status, error)) []string {
	t.Helper()
	var out []string
	for range n {
		st, err := getStatus()
		if err != nil {
			t.Fatalf("status read %d: %v", len(out)+1, err)
		}
		out = append(out, *st.State)
	}
	return out
}

func wantReads(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s read %v, want %v", what, got, want)
	}
}

// wantAPIError expects err to be an *APIError with status and a message
// containing msg.
func wantAPIError(t *testing.T, what string, err error, status int, msg string) {
	t.Helper()
	var apiErr *qovery.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != status || !strings.Contains(apiErr.Message, msg) {
		t.Errorf("%s: %v, want a %d saying %q", what, err, status, msg)
	}
}

// deploy deploys the world's application at commit.
func deploy(ctx context.Context, t *testing.T, c *qovery.Client, srv *qoverytest.Server, commit string) *qovery.Status {
	t.Helper()
	st, err := c.Applications.Deploy(ctx, srv.World.ApplicationID, qovery.DeployApplicationRequest{GitCommitId: commit})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestWithStaleStatus(t *testing.T) {
	ctx := ctxFor(t)
	for _, tc := range []struct {
		name string
		opts []qoverytest.Option
		want []string
	}{
		{"default", nil, []string{"DEPLOYING", "DEPLOYED", "DEPLOYED"}},
		{"stale", []qoverytest.Option{qoverytest.WithStaleStatus(2)}, []string{"DEPLOYED", "DEPLOYED", "DEPLOYING", "DEPLOYED"}},
	} {
		srv := qoverytest.NewServer(t, tc.opts...)
		c := srv.Client()
		if st := deploy(ctx, t, c, srv, "abc"); *st.State != "QUEUED" {
			t.Errorf("%s: the deploy answered %s, want QUEUED", tc.name, *st.State)
		}
		got := reads(t, len(tc.want), func() (*qovery.Status, error) { return c.Applications.GetStatus(ctx, srv.World.ApplicationID) })
		wantReads(t, tc.name, got, tc.want...)
	}

	// An environment's action: its reads and its services' are stale.
	srv := qoverytest.NewServer(t, qoverytest.WithStaleStatus(1))
	c := srv.Client()
	if _, err := c.Environments.Stop(ctx, srv.World.EnvironmentID); err != nil {
		t.Fatal(err)
	}
	wantReads(t, "the container", reads(t, 3, func() (*qovery.Status, error) { return c.Containers.GetStatus(ctx, srv.World.ContainerID) }),
		"DEPLOYED", "STOPPING", "STOPPED")
	wantReads(t, "the environment", reads(t, 3, func() (*qovery.Status, error) { return c.Environments.GetStatus(ctx, srv.World.EnvironmentID) }),
		"DEPLOYED", "STOPPING", "STOPPED")
}

func TestWithDeletedStatus(t *testing.T) {
	ctx := ctxFor(t)
	for _, tc := range []struct {
		opts   []qoverytest.Option
		status int
	}{
		{nil, http.StatusNotFound},
		{[]qoverytest.Option{qoverytest.WithDeletedStatus(http.StatusForbidden)}, http.StatusForbidden},
		{[]qoverytest.Option{qoverytest.WithDeletedStatus(http.StatusBadRequest)}, http.StatusBadRequest},
	} {
		srv := qoverytest.NewServer(t, append(tc.opts, qoverytest.WithSteps(0))...)
		c := srv.Client()
		id := srv.World.DatabaseID
		if err := c.Databases.Delete(ctx, id); err != nil {
			t.Fatal(err)
		}
		_, err := c.Databases.GetStatus(ctx, id)
		wantAPIError(t, "status of the deleted database", err, tc.status, id)
		_, err = c.Databases.Get(ctx, id)
		wantAPIError(t, "get of the deleted database", err, tc.status, id)
		_, err = c.Databases.Stop(ctx, id)
		wantAPIError(t, "stop of the deleted database", err, tc.status, id)
		if tc.status == http.StatusForbidden && !qovery.IsForbidden(err) {
			t.Errorf("IsForbidden(%v) is false", err)
		}
	}

	for _, code := range []int{http.StatusGone, http.StatusInternalServerError} {
		rec := &recorder{TB: t}
		rec.run(func() { qoverytest.NewServer(rec, qoverytest.WithDeletedStatus(code)) })
		if !rec.fatal || !strings.Contains(rec.reported(), "403 or 400") || strings.Contains(rec.reported(), "fixtures") {
			t.Errorf("WithDeletedStatus(%d): fatal %v, reported %q", code, rec.fatal, rec.reported())
		}
	}
}

func TestWithBusyConflict(t *testing.T) {
	ctx := ctxFor(t)
	srv := qoverytest.NewServer(t, qoverytest.WithBusyConflict())
	c := srv.Client()
	deploy(ctx, t, c, srv, "abc")

	_, err := c.Containers.Deploy(ctx, srv.World.ContainerID, qovery.DeployContainerRequest{ImageTag: "2"})
	wantAPIError(t, "deploy of a container beside a deploying application", err, http.StatusConflict, "environment "+srv.World.EnvironmentID+" is busy")
	if !qovery.IsConflict(err) {
		t.Errorf("IsConflict(%v) is false", err)
	}
	err = c.Environments.Delete(ctx, srv.World.EnvironmentID)
	wantAPIError(t, "delete of the busy environment", err, http.StatusConflict, "is busy")
	if n := srv.Processed("deployContainer") + srv.Processed("deleteEnvironment"); n != 0 {
		t.Errorf("%d refused actions were processed", n)
	}

	// Once the environment reads DEPLOYED, it is free.
	if _, err := c.Environments.Wait(ctx, srv.World.EnvironmentID, qovery.StateDeployed); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Containers.Deploy(ctx, srv.World.ContainerID, qovery.DeployContainerRequest{ImageTag: "2"}); err != nil {
		t.Errorf("deploy once the environment is free: %v", err)
	}

	// By default a deploy beside another is accepted.
	srv = qoverytest.NewServer(t)
	c = srv.Client()
	deploy(ctx, t, c, srv, "abc")
	if _, err := c.Containers.Deploy(ctx, srv.World.ContainerID, qovery.DeployContainerRequest{ImageTag: "2"}); err != nil {
		t.Errorf("default: %v", err)
	}
}

func TestWithNewStateAndFailureStates(t *testing.T) {
	ctx := ctxFor(t)
	srv := qoverytest.NewServer(t, qoverytest.WithNewState("WARMING_UP"), qoverytest.WithFailureState("BUILD_ERROR"))
	c := srv.Client()
	app := func() (*qovery.Status, error) { return c.Applications.GetStatus(ctx, srv.World.ApplicationID) }
	deploy(ctx, t, c, srv, "abc")
	wantReads(t, "the deploy", reads(t, 3, app), "DEPLOYING", "WARMING_UP", "DEPLOYED")

	srv.FailNextAction(srv.World.ApplicationID, "no Dockerfile")
	deploy(ctx, t, c, srv, "def")
	wantReads(t, "the failing deploy", reads(t, 3, app), "DEPLOYING", "WARMING_UP", "BUILD_ERROR")
	var failed *qovery.StateError
	if _, err := c.Applications.Wait(ctx, srv.World.ApplicationID, qovery.StateDeployed); !errors.As(err, &failed) || !strings.Contains(err.Error(), "no Dockerfile") {
		t.Errorf("wait for the failed deploy: %v", err)
	}

	// One failure state for the next action only.
	srv = qoverytest.NewServer(t)
	c = srv.Client()
	srv.FailNextActionIn(srv.World.ContainerID, "IMAGE_PULL_ERROR", "no such tag")
	if _, err := c.Containers.Deploy(ctx, srv.World.ContainerID, qovery.DeployContainerRequest{ImageTag: "9"}); err != nil {
		t.Fatal(err)
	}
	ctr := func() (*qovery.Status, error) { return c.Containers.GetStatus(ctx, srv.World.ContainerID) }
	wantReads(t, "the failing container", reads(t, 2, ctr), "DEPLOYING", "IMAGE_PULL_ERROR")

	for name, f := range map[string]func(testing.TB){
		"FailNextActionIn": func(tb testing.TB) {
			qoverytest.NewServer(tb).FailNextActionIn(srv.World.ContainerID, "BROKEN", "x")
		},
		"WithFailureState": func(tb testing.TB) { qoverytest.NewServer(tb, qoverytest.WithFailureState("BROKEN")) },
		"WithNewState":     func(tb testing.TB) { qoverytest.NewServer(tb, qoverytest.WithNewState("WARMING_ERROR")) },
	} {
		rec := &recorder{TB: t}
		rec.run(func() { f(rec) })
		if !rec.fatal || !strings.Contains(rec.reported(), "_ERROR") {
			t.Errorf("%s misused: fatal %v, reported %q", name, rec.fatal, rec.reported())
		}
	}
}

func TestWithLiveBehaviours(t *testing.T) {
	ctx := ctxFor(t)
	srv := qoverytest.NewServer(t, qoverytest.WithLiveBehaviours())
	c := srv.Client()
	app := func() (*qovery.Status, error) { return c.Applications.GetStatus(ctx, srv.World.ApplicationID) }
	deploy(ctx, t, c, srv, "abc")
	wantReads(t, "the deploy", reads(t, 2, app), "DEPLOYED", "DEPLOYED")
	_, err := c.Databases.Stop(ctx, srv.World.DatabaseID)
	wantAPIError(t, "stop beside the deploy", err, http.StatusConflict, "busy")
	wantReads(t, "the deploy", reads(t, 3, app), "DEPLOYING", "EXECUTING", "DEPLOYED")

	if err := c.Applications.Delete(ctx, srv.World.ApplicationID); err != nil {
		t.Fatal(err)
	}
	wantReads(t, "the delete", reads(t, 5, app), "DEPLOYED", "DEPLOYED", "DELETING", "EXECUTING", "DELETED")
	_, err = app()
	wantAPIError(t, "status of the deleted application", err, http.StatusForbidden, srv.World.ApplicationID)

	// Options after it override it.
	srv = qoverytest.NewServer(t, qoverytest.WithLiveBehaviours(), qoverytest.WithStaleStatus(0))
	c = srv.Client()
	deploy(ctx, t, c, srv, "abc")
	wantReads(t, "the deploy without stale reads", reads(t, 1, app), "DEPLOYING")
}

// Always on: an environment reads final only once its services do, and a
// deploy at a commit installs it.
func TestEnvironmentStatusAndDeployedCommit(t *testing.T) {
	ctx := ctxFor(t)
	srv := qoverytest.NewServer(t, qoverytest.WithSteps(2))
	c := srv.Client()
	deploy(ctx, t, c, srv, "4f2a9c1")
	env := func() (*qovery.Status, error) { return c.Environments.GetStatus(ctx, srv.World.EnvironmentID) }
	wantReads(t, "the environment", reads(t, 5, env), "QUEUED", "DEPLOYING", "DEPLOYING", "DEPLOYED", "DEPLOYED")

	got, err := c.Applications.Get(ctx, srv.World.ApplicationID)
	if err != nil {
		t.Fatal(err)
	}
	if got.GitRepository == nil || got.GitRepository.DeployedCommitId == nil || *got.GitRepository.DeployedCommitId != "4f2a9c1" {
		t.Errorf("git_repository after the deploy: %+v", got.GitRepository)
	}
	history, err := c.Applications.ListDeploymentHistory(ctx, srv.World.ApplicationID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if commit, _ := history[0]["commit"].(map[string]any); commit["git_commit_id"] != "4f2a9c1" {
		t.Errorf("newest deployment: %v", history[0])
	}

	// Waiting for the environment, then deleting it, meets no 409.
	deploy(ctx, t, c, srv, "5b3e0d2")
	if _, err := c.Environments.Wait(ctx, srv.World.EnvironmentID, qovery.StateDeployed); err != nil {
		t.Fatal(err)
	}
	if err := c.Environments.Delete(ctx, srv.World.EnvironmentID); err != nil {
		t.Errorf("delete after the wait: %v", err)
	}
}
