package qovery

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qoverykit/qovery-go/internal/fixtures"
)

// cbWorld is a seeded fake API and a client for it, for the clone and backup
// tests.
type cbWorld struct {
	srv *fixtures.Server
	c   *Client
	ids fixtures.Seeded
	rec *bodyRecorder // the request bodies the client sent
}

// newCBWorld starts a fake holding an organization, a project, an
// environment and a deployed application, container and database, and a
// client that polls every few milliseconds.
func newCBWorld(t *testing.T, opts ...fixtures.Option) *cbWorld {
	t.Helper()
	srv := fixtures.NewServer(t, opts...)
	ids := srv.Seed()
	rec := &bodyRecorder{next: http.DefaultTransport}
	c, _ := newTestClient(t, srv.URL, WithHTTPClient(&http.Client{Transport: rec}))
	return &cbWorld{srv: srv, c: c, ids: ids, rec: rec}
}

// newEnv adds a second environment to the seeded project.
func (w *cbWorld) newEnv(name string) string {
	return w.srv.SeedEnvironment(w.ids.ProjectID, name)
}

// inject makes the next n requests to op answer status with message.
func (w *cbWorld) inject(op string, n, status int, message string) {
	w.srv.InjectFault(op, n, fixtures.Fault{Kind: fixtures.FaultStatus, Status: status, Message: message})
}

const unknownID = "0b6c7a3e-93a4-4a51-9d4e-3f1c2a0b9d77"

func TestDatabasesClone(t *testing.T) {
	w := newCBWorld(t)
	staging := w.newEnv("staging")

	db, err := w.c.Databases.Clone(context.Background(), w.ids.DatabaseID, "db-copy", staging)
	if err != nil {
		t.Fatalf("Databases.Clone: %v", err)
	}
	if db.Name != "db-copy" {
		t.Errorf("name = %q, want db-copy", db.Name)
	}
	if db.Environment.Id == nil || db.Environment.Id.String() != staging {
		t.Errorf("environment = %v, want %s", db.Environment.Id, staging)
	}
	if got := w.srv.Kind(db.Id.String()); got != fixtures.KindDatabase {
		t.Errorf("the fake holds no database %s (kind %q)", db.Id, got)
	}
	if n := w.srv.Processed("cloneDatabase"); n != 1 {
		t.Errorf("cloneDatabase processed %d times, want 1", n)
	}
	if n := w.srv.Received("deployDatabase"); n != 0 {
		t.Errorf("deployDatabase received %d requests without WithDeploy", n)
	}
}

func TestDatabasesCloneWithDeploy(t *testing.T) {
	w := newCBWorld(t, fixtures.WithSteps(2))
	db, err := w.c.Databases.Clone(context.Background(), w.ids.DatabaseID, "db-copy", w.ids.EnvironmentID, WithDeploy())
	if err != nil {
		t.Fatalf("Databases.Clone: %v", err)
	}
	if n := w.srv.Processed("deployDatabase"); n != 1 {
		t.Errorf("deployDatabase processed %d times, want 1", n)
	}
	if st, _ := w.srv.State(db.Id.String()); st != string(StateDeployed) {
		t.Errorf("state after Databases.Clone = %q, want DEPLOYED", st)
	}
	if n := w.srv.Received("getDatabaseStatus"); n < 2 {
		t.Errorf("getDatabaseStatus received %d requests; the clone was not waited for", n)
	}
}

func TestDatabasesCloneDeployFails(t *testing.T) {
	w := newCBWorld(t)
	w.srv.FailNext("deployDatabase", "disk quota exceeded")

	db, err := w.c.Databases.Clone(context.Background(), w.ids.DatabaseID, "db-copy", w.ids.EnvironmentID, WithDeploy())
	var se *StateError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v, want a *StateError", err)
	}
	if !State(se.State).Failed() || se.Message != "disk quota exceeded" {
		t.Errorf("StateError = %+v, want a failure state with the API's message", se)
	}
	if !strings.Contains(err.Error(), string(se.State)) || !strings.Contains(err.Error(), "disk quota exceeded") {
		t.Errorf("error %q does not name the state and message", err)
	}
	if db == nil || db.Name != "db-copy" {
		t.Fatalf("the clone is not returned with the error: %+v", db)
	}
}

// A deploy refused with 409 (the environment busy) is sent again once the
// environment settles; one still refused after that many times is the
// conflict, with the clone.
func TestCloneDeployRequestConflict(t *testing.T) {
	w := newCBWorld(t)
	w.inject("deployDatabase", 1, http.StatusConflict, "operation in progress")
	db, err := w.c.Databases.Clone(context.Background(), w.ids.DatabaseID, "db-copy", w.ids.EnvironmentID, WithDeploy())
	if err != nil || db == nil {
		t.Fatalf("one 409: %v", err)
	}
	if n := w.srv.Received("deployDatabase"); n != 2 {
		t.Errorf("deployDatabase received %d requests, want 2 (refused, then sent again once the environment settled)", n)
	}

	w = newCBWorld(t)
	w.inject("deployDatabase", maxBusy, http.StatusConflict, "operation in progress")
	db, err = w.c.Databases.Clone(context.Background(), w.ids.DatabaseID, "db-copy", w.ids.EnvironmentID, WithDeploy())
	if !errors.Is(err, ErrConflict) {
		t.Fatalf("err = %v, want a conflict", err)
	}
	if db == nil {
		t.Fatal("the clone is not returned with the error")
	}
	if !strings.Contains(err.Error(), "was cloned, but deploying it failed") || strings.Contains(err.Error(), "qovery: qovery:") {
		t.Errorf("error reads badly: %q", err)
	}
	if n := w.srv.Received("deployDatabase"); n != maxBusy {
		t.Errorf("deployDatabase received %d requests, want %d", n, maxBusy)
	}
}

func TestCloneConflict(t *testing.T) {
	w := newCBWorld(t)
	ctx := context.Background()

	// The API's "operation in progress" answer.
	w.inject("cloneDatabase", 1, http.StatusConflict, "operation in progress")
	_, err := w.c.Databases.Clone(ctx, w.ids.DatabaseID, "db-copy", w.ids.EnvironmentID)
	if !errors.Is(err, ErrConflict) || !IsConflict(err) {
		t.Fatalf("err = %v, want ErrConflict", err)
	}
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusConflict || !strings.Contains(ae.Message, "operation in progress") {
		t.Errorf("err = %#v, want the 409 with its message", err)
	}
	if n := w.srv.Received("cloneDatabase"); n != 1 {
		t.Errorf("cloneDatabase received %d requests, want 1 (a 409 is not retried)", n)
	}

	// A name already taken in the target environment.
	_, err = w.c.Applications.Clone(ctx, w.ids.ApplicationID, "web", w.ids.EnvironmentID)
	if !errors.Is(err, ErrConflict) {
		t.Errorf("cloning onto an existing name: err = %v, want ErrConflict", err)
	}
	w.inject("cloneEnvironment", 1, http.StatusConflict, "operation in progress")
	_, err = w.c.Environments.Clone(ctx, w.ids.EnvironmentID, "preview-1")
	if !errors.Is(err, ErrConflict) {
		t.Errorf("Environments.Clone: err = %v, want ErrConflict", err)
	}
	if n := w.srv.Received("cloneEnvironment"); n != 1 {
		t.Errorf("cloneEnvironment received %d requests, want 1", n)
	}
}

func TestCloneNotFound(t *testing.T) {
	w := newCBWorld(t)
	ctx := context.Background()
	tests := []struct {
		name string
		op   string
		call func() error
	}{
		{"database", "cloneDatabase", func() error {
			_, err := w.c.Databases.Clone(ctx, unknownID, "x", w.ids.EnvironmentID)
			return err
		}},
		{"application", "cloneApplication", func() error {
			_, err := w.c.Applications.Clone(ctx, unknownID, "x", w.ids.EnvironmentID)
			return err
		}},
		{"environment", "cloneEnvironment", func() error {
			_, err := w.c.Environments.Clone(ctx, unknownID, "x")
			return err
		}},
		{"target environment", "cloneDatabase", func() error {
			_, err := w.c.Databases.Clone(ctx, w.ids.DatabaseID, "x", unknownID)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w.srv.ResetCounts()
			err := tt.call()
			if !errors.Is(err, ErrNotFound) || !IsNotFound(err) {
				t.Fatalf("err = %v, want ErrNotFound", err)
			}
			if n := w.srv.Received(tt.op); n != 1 {
				t.Errorf("%s received %d requests, want 1", tt.op, n)
			}
		})
	}
}

func TestCloneChecksArgumentsFirst(t *testing.T) {
	w := newCBWorld(t)
	w.srv.ResetCounts()
	ctx := context.Background()
	db, env, app := w.ids.DatabaseID, w.ids.EnvironmentID, w.ids.ApplicationID
	tests := []struct {
		name string
		call func() error
		want string // the argument or option the error must name
	}{
		{"database id", func() error { _, err := w.c.Databases.Clone(ctx, "db-1", "x", env); return err }, "databaseID"},
		{"empty database id", func() error { _, err := w.c.Databases.Clone(ctx, "", "x", env); return err }, "databaseID"},
		{"database name", func() error { _, err := w.c.Databases.Clone(ctx, db, "", env); return err }, "name"},
		{"blank name", func() error { _, err := w.c.Databases.Clone(ctx, db, "  ", env); return err }, "name"},
		{"target environment", func() error { _, err := w.c.Databases.Clone(ctx, db, "x", env+"0"); return err }, "environmentID"},
		{"braced uuid", func() error { _, err := w.c.Databases.Clone(ctx, "{"+db+"}", "x", env); return err }, "databaseID"},
		{"cluster on a database", func() error {
			_, err := w.c.Databases.Clone(ctx, db, "x", env, WithCluster(unknownID))
			return err
		}, "WithCluster"},
		{"mode on an application", func() error {
			_, err := w.c.Applications.Clone(ctx, app, "x", env, WithMode("PREVIEW"))
			return err
		}, "WithMode"},
		{"application id", func() error { _, err := w.c.Applications.Clone(ctx, "web", "x", env); return err }, "applicationID"},
		{"application name", func() error { _, err := w.c.Applications.Clone(ctx, app, "", env); return err }, "name"},
		{"commit without deploy", func() error {
			_, err := w.c.Applications.Clone(ctx, app, "x", env, WithGitCommit("abc123"))
			return err
		}, "WithDeploy"},
		{"empty commit", func() error {
			_, err := w.c.Applications.Clone(ctx, app, "x", env, WithDeploy(), WithGitCommit(""))
			return err
		}, "WithGitCommit"},
		{"commit on a database", func() error {
			_, err := w.c.Databases.Clone(ctx, db, "x", env, WithDeploy(), WithGitCommit("abc123"))
			return err
		}, "WithGitCommit"},
		{"environment id", func() error { _, err := w.c.Environments.Clone(ctx, "prod", "x"); return err }, "environmentID"},
		{"environment name", func() error { _, err := w.c.Environments.Clone(ctx, env, ""); return err }, "name"},
		{"cluster id", func() error {
			_, err := w.c.Environments.Clone(ctx, env, "x", WithCluster("eks-1"))
			return err
		}, "clusterID"},
		{"mode", func() error {
			_, err := w.c.Environments.Clone(ctx, env, "x", WithMode("TESTING"))
			return err
		}, "mode"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not name %s", err, tt.want)
			}
			// The same typed error as the generated methods give for
			// an argument, with the argument or option named.
			var arg *ArgError
			if !errors.As(err, &arg) || !strings.Contains(arg.Arg+" "+arg.Reason, tt.want) {
				t.Errorf("error %q (%T) is not an *ArgError naming %s", err, err, tt.want)
			}
			var ae *APIError
			if errors.As(err, &ae) {
				t.Errorf("got an API error, want a local one: %v", err)
			}
		})
	}
	if n := w.srv.Requests(); n != 0 {
		t.Errorf("%d requests were sent for invalid arguments, want 0", n)
	}
}

func TestApplicationsClone(t *testing.T) {
	w := newCBWorld(t)
	app, err := w.c.Applications.Clone(context.Background(), w.ids.ApplicationID, "web-copy", w.ids.EnvironmentID)
	if err != nil {
		t.Fatalf("Applications.Clone: %v", err)
	}
	if app.Name != "web-copy" || app.Environment.Id == nil || app.Environment.Id.String() != w.ids.EnvironmentID {
		t.Errorf("clone = %s in %v", app.Name, app.Environment.Id)
	}
	if w.srv.Kind(app.Id.String()) != fixtures.KindApplication {
		t.Errorf("the fake holds no application %s", app.Id)
	}
}

func TestApplicationsCloneWithDeploy(t *testing.T) {
	ctx := context.Background()
	t.Run("commit given", func(t *testing.T) {
		w := newCBWorld(t)
		app, err := w.c.Applications.Clone(ctx, w.ids.ApplicationID, "web-copy", w.ids.EnvironmentID, WithDeploy(), WithGitCommit("4f2a9c1"))
		if err != nil {
			t.Fatalf("Applications.Clone: %v", err)
		}
		if got, want := w.rec.body("/application/"+app.Id.String()+"/deploy"), `{"git_commit_id":"4f2a9c1"}`; got != want {
			t.Errorf("deploy body = %s, want %s", got, want)
		}
		if st, _ := w.srv.State(app.Id.String()); st != string(StateDeployed) {
			t.Errorf("state = %q, want DEPLOYED", st)
		}
		if n := w.srv.Processed("deployApplication"); n != 1 {
			t.Errorf("deployApplication processed %d times, want 1", n)
		}
		if n := w.srv.Received("getApplication"); n != 0 {
			t.Errorf("the source was read %d times although the commit was given", n)
		}
	})
	t.Run("commit of the clone", func(t *testing.T) {
		w := newCBWorld(t)
		w.srv.Set(w.ids.ApplicationID, map[string]any{"git_repository": map[string]any{
			"url": "https://github.com/acme/web.git", "branch": "main", "deployed_commit_id": "9e1d3b7",
		}})
		app, err := w.c.Applications.Clone(ctx, w.ids.ApplicationID, "web-copy", w.ids.EnvironmentID, WithDeploy())
		if err != nil {
			t.Fatalf("Applications.Clone: %v", err)
		}
		if got, want := w.rec.body("/application/"+app.Id.String()+"/deploy"), `{"git_commit_id":"9e1d3b7"}`; got != want {
			t.Errorf("deploy body = %s, want %s", got, want)
		}
		if n := w.srv.Processed("deployApplication"); n != 1 {
			t.Errorf("deployApplication processed %d times, want 1", n)
		}
	})
	t.Run("no commit known", func(t *testing.T) {
		w := newCBWorld(t)
		w.srv.Set(w.ids.ApplicationID, map[string]any{"git_repository": map[string]any{
			"url": "https://github.com/acme/web.git", "branch": "main", "deployed_commit_id": "",
		}})
		app, err := w.c.Applications.Clone(ctx, w.ids.ApplicationID, "web-copy", w.ids.EnvironmentID, WithDeploy())
		if err == nil || !strings.Contains(err.Error(), "WithGitCommit") {
			t.Fatalf("err = %v, want one pointing to WithGitCommit", err)
		}
		if app == nil {
			t.Error("the clone is not returned with the error")
		}
		if n := w.srv.Received("getApplication"); n != 1 {
			t.Errorf("the source was read %d times, want 1", n)
		}
		if n := w.srv.Received("deployApplication"); n != 0 {
			t.Errorf("deployApplication received %d requests without a commit", n)
		}
	})
	t.Run("deploy fails", func(t *testing.T) {
		w := newCBWorld(t)
		w.srv.FailNext("deployApplication", "build failed: exit status 1")
		app, err := w.c.Applications.Clone(ctx, w.ids.ApplicationID, "web-copy", w.ids.EnvironmentID, WithDeploy(), WithGitCommit("4f2a9c1"))
		var se *StateError
		if !errors.As(err, &se) || se.Message != "build failed: exit status 1" || !se.State.Failed() {
			t.Fatalf("err = %v, want a *StateError with the API's message", err)
		}
		if app == nil {
			t.Error("the clone is not returned with the error")
		}
	})
}

func TestEnvironmentsClone(t *testing.T) {
	w := newCBWorld(t)
	cluster := "5a0b3c7e-2f41-4c8e-9d12-6e7f8a9b0c1d"
	env, err := w.c.Environments.Clone(context.Background(), w.ids.EnvironmentID, "preview-42",
		WithMode("preview"), WithCluster(cluster))
	if err != nil {
		t.Fatalf("Environments.Clone: %v", err)
	}
	if env.Id == nil || env.Name == nil || *env.Name != "preview-42" {
		t.Fatalf("clone = %+v", env)
	}
	sent := w.rec.body("/environment/" + w.ids.EnvironmentID + "/clone")
	if want := `{"cluster_id":"` + cluster + `","mode":"PREVIEW","name":"preview-42"}`; sent != want {
		t.Errorf("request body = %s, want %s", sent, want)
	}
	if env.Mode == nil || string(*env.Mode) != "PREVIEW" {
		t.Errorf("mode = %v, want PREVIEW", env.Mode)
	}
	if env.ClusterId == nil || env.ClusterId.String() != cluster {
		t.Errorf("cluster = %v, want %s", env.ClusterId, cluster)
	}
	if got := w.srv.Children(env.Id.String(), fixtures.KindDatabase); len(got) != 1 {
		t.Errorf("the new environment holds %d databases, want 1", len(got))
	}
}

func TestEnvironmentsCloneWithDeploy(t *testing.T) {
	ctx := context.Background()
	t.Run("deployed", func(t *testing.T) {
		w := newCBWorld(t, fixtures.WithSteps(2))
		env, err := w.c.Environments.Clone(ctx, w.ids.EnvironmentID, "staging", WithDeploy())
		if err != nil {
			t.Fatalf("Environments.Clone: %v", err)
		}
		if st, _ := w.srv.State(env.Id.String()); st != string(StateDeployed) {
			t.Errorf("state = %q, want DEPLOYED", st)
		}
		if n := w.srv.Processed("deployEnvironment"); n != 1 {
			t.Errorf("deployEnvironment processed %d times, want 1", n)
		}
	})
	t.Run("deploy fails", func(t *testing.T) {
		w := newCBWorld(t)
		w.srv.FailNext("deployEnvironment", "cluster unreachable")
		env, err := w.c.Environments.Clone(ctx, w.ids.EnvironmentID, "staging", WithDeploy())
		var se *StateError
		if !errors.As(err, &se) || se.Kind != "environment" || se.Message != "cluster unreachable" {
			t.Fatalf("err = %v, want a *StateError for the environment", err)
		}
		if env == nil || env.Id == nil || se.ID != env.Id.String() {
			t.Errorf("the error is not about the clone: %v", err)
		}
	})
}

func TestCloneCancelDuringWait(t *testing.T) {
	// With a million reads per state, the deploy never ends.
	w := newCBWorld(t, fixtures.WithSteps(1_000_000))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for w.srv.Received("getDatabaseStatus") < 3 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	start := time.Now()
	db, err := w.c.Databases.Clone(ctx, w.ids.DatabaseID, "db-copy", w.ids.EnvironmentID, WithDeploy())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Databases.Clone returned %v after the cancellation", d)
	}
	if db == nil {
		t.Error("the clone is not returned with the error")
	}
}

func TestCloneRespectsCancelledContext(t *testing.T) {
	w := newCBWorld(t)
	w.srv.ResetCounts()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := w.c.Environments.Clone(ctx, w.ids.EnvironmentID, "staging")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n := w.srv.Processed("cloneEnvironment"); n != 0 {
		t.Errorf("cloneEnvironment processed %d times with a cancelled context", n)
	}
}

// bodyRecorder keeps the body of every request, by URL path suffix.
type bodyRecorder struct {
	next   http.RoundTripper
	mu     sync.Mutex
	bodies map[string]string
}

func (r *bodyRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		_ = req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(b))
		r.mu.Lock()
		if r.bodies == nil {
			r.bodies = map[string]string{}
		}
		r.bodies[req.URL.Path] = string(b)
		r.mu.Unlock()
	}
	return r.next.RoundTrip(req)
}

// body returns the last body sent to a path ending in suffix.
func (r *bodyRecorder) body(suffix string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	for p, b := range r.bodies {
		if strings.HasSuffix(p, suffix) {
			return strings.TrimSpace(b)
		}
	}
	return ""
}
