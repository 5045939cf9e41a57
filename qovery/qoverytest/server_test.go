package qoverytest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/qoverykit/qovery-go/gen"
	"github.com/qoverykit/qovery-go/qovery"
	"github.com/qoverykit/qovery-go/qovery/qoverytest"
)

func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestWorldIsReachable(t *testing.T) {
	srv := qoverytest.NewServer(t)
	c := srv.Client()
	ctx := ctxFor(t)
	w := srv.World
	db, err := qovery.Result[gen.DatabaseResponse](c.API().GetDatabaseWithResponse(ctx, uuid.MustParse(w.DatabaseID)))
	if err != nil {
		t.Fatal(err)
	}
	if db.Name != "db" || db.Environment.Id == nil || db.Environment.Id.String() != w.EnvironmentID {
		t.Errorf("database: %+v", db)
	}
	var names []string
	for b, err := range c.Backups.ListIter(ctx, w.DatabaseID, nil) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, *b.Name)
	}
	if len(names) != 3 || len(w.BackupIDs) != 3 {
		t.Errorf("backups %v, IDs %v", names, w.BackupIDs)
	}
	envs, err := qovery.Result[gen.EnvironmentResponseList](c.API().ListEnvironmentWithResponse(ctx, uuid.MustParse(w.ProjectID)))
	if err != nil {
		t.Fatal(err)
	}
	if len(envs.Results) != 2 {
		t.Errorf("%d environments, want production and staging", len(envs.Results))
	}
	for _, id := range []string{w.OrganizationID, w.ProjectID, w.EnvironmentID, w.StagingEnvironmentID, w.ApplicationID, w.ContainerID, w.DatabaseID} {
		if !srv.Exists(id) {
			t.Errorf("%s is not stored", id)
		}
	}
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") || !strings.HasSuffix(srv.URL, "/api") {
		t.Errorf("URL %q", srv.URL)
	}
}

func TestEmptyWorldAndAdditions(t *testing.T) {
	srv := qoverytest.NewServer(t, qoverytest.WithEmptyWorld())
	if srv.World.DatabaseID != "" {
		t.Fatalf("world: %+v", srv.World)
	}
	org := srv.AddOrganization("o")
	prj := srv.AddProject(org, "p")
	env := srv.AddEnvironment(prj, "e")
	app := srv.AddApplication(env, "a")
	ctr := srv.AddContainer(env, "c")
	db := srv.AddDatabase(env, "d")
	backups := srv.AddBackups(db, 2)
	srv.AddVariable(app, "PORT", "8080")
	srv.AddSecret(ctr, "TOKEN", "s")
	deployments := srv.AddDeployments(app, 3)
	srv.Set(db, map[string]any{"version": "15"})
	if len(backups) != 2 || len(deployments) != 3 {
		t.Errorf("backups %v, deployments %v", backups, deployments)
	}
	c := srv.Client()
	ctx := ctxFor(t)
	got, err := qovery.Result[gen.DatabaseResponse](c.API().GetDatabaseWithResponse(ctx, uuid.MustParse(db)))
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != "15" || got.Name != "d" {
		t.Errorf("database: %+v", got)
	}
	vars, err := qovery.Result[gen.ApplicationEnvironmentVariableResponseList](c.API().ListApplicationEnvironmentVariableWithResponse(ctx, uuid.MustParse(app)))
	if err != nil {
		t.Fatal(err)
	}
	if len(vars.Results) != 1 || *vars.Results[0].Key != "PORT" || *vars.Results[0].Value != "8080" {
		t.Errorf("variables: %+v", vars.Results)
	}
}

// recorder is a testing.TB that keeps what a test would report.
type recorder struct {
	testing.TB
	mu     sync.Mutex
	errors []string
	fatal  bool
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatal(args ...any) {
	r.mu.Lock()
	r.errors = append(r.errors, fmt.Sprint(args...))
	r.fatal = true
	r.mu.Unlock()
	runtime.Goexit()
}

func (r *recorder) Fatalf(format string, args ...any) { r.Fatal(fmt.Sprintf(format, args...)) }

func (r *recorder) reported() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.errors, "\n")
}

// run calls f in a goroutine of its own, so that a Fatal only ends f.
func (r *recorder) run(f func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	<-done
}

func post(t *testing.T, url, body string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Token qoverytest-token")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode
}

func TestInvalidRequestFailsTheTestReadably(t *testing.T) {
	rec := &recorder{TB: t}
	srv := qoverytest.NewServer(rec)
	url := srv.URL + "/database/" + srv.World.DatabaseID + "/backup"
	if status := post(t, url, `{"name": 7, "note": "x"}`); status != http.StatusBadRequest {
		t.Errorf("status %d, want 400", status)
	}
	msg := rec.reported()
	for _, want := range []string{
		"addBackupDatabase (POST /database/{databaseId}/backup): 400",
		`body.message: property "message" is missing`,
		"body.name: value must be a string (value: 7)",
		"body.note: is not a property of",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("the failure does not say %q:\n%s", want, msg)
		}
	}
	if rec.fatal {
		t.Error("an invalid request stopped the test instead of failing it")
	}
	if len(srv.Rejected()) != 1 {
		t.Errorf("Rejected: %q", srv.Rejected())
	}

	// A path the API does not have fails the test too.
	rec.errors = nil
	post(t, srv.URL+"/database/"+srv.World.DatabaseID+"/snapshot", `{}`)
	if msg := rec.reported(); !strings.Contains(msg, "no operation of the API description matches POST /database/") {
		t.Errorf("unknown path reported as %q", msg)
	}

	// WithInvalidRequests lets the code under test see the 400 quietly.
	quiet := &recorder{TB: t}
	lenient := qoverytest.NewServer(quiet, qoverytest.WithInvalidRequests())
	if status := post(t, lenient.URL+"/database/"+lenient.World.DatabaseID+"/backup", `{}`); status != http.StatusBadRequest {
		t.Errorf("status %d, want 400", status)
	}
	if msg := quiet.reported(); msg != "" || len(lenient.Rejected()) != 1 {
		t.Errorf("WithInvalidRequests reported %q, recorded %q", msg, lenient.Rejected())
	}
}

func TestMistakesInTheTestStopIt(t *testing.T) {
	srv := qoverytest.NewServer(t)
	for _, tc := range []struct {
		name string
		f    func(s *qoverytest.Server)
		want string
	}{
		{"unknown operation", func(s *qoverytest.Server) { s.Fail("clonedatabase", qoverytest.ConnectionReset()) }, `no operation "clonedatabase" (operations are named by their operationId, as in the spec); did you mean cloneDatabase?`},
		{"zero fault", func(s *qoverytest.Server) { s.Fail("getDatabase", qoverytest.Fault{}) }, "the zero Fault is not a fault"},
		{"missing parent", func(s *qoverytest.Server) { s.AddDatabase(srv.World.ProjectID, "x") }, "no environment " + srv.World.ProjectID},
		{"unknown counter", func(s *qoverytest.Server) { s.Calls("getDatabases") }, "did you mean"},
	} {
		rec := &recorder{TB: t}
		s := qoverytest.NewServer(rec)
		rec.run(func() { tc.f(s) })
		if !rec.fatal || !strings.Contains(rec.reported(), tc.want) {
			t.Errorf("%s: fatal %v, reported %q, want %q", tc.name, rec.fatal, rec.reported(), tc.want)
		}
	}
}

func TestServersInParallelTestsAreIndependent(t *testing.T) {
	for i := range 4 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			srv := qoverytest.NewServer(t)
			c := srv.Client()
			ctx := ctxFor(t)
			// The same name in each server: no server sees another's.
			_, err := qovery.Result[gen.ProjectResponse](c.API().CreateProjectWithResponse(ctx, uuid.MustParse(srv.World.OrganizationID), gen.CreateProjectJSONRequestBody{Name: "same"}))
			if err != nil {
				t.Fatal(err)
			}
			list, err := qovery.Result[gen.ProjectResponseList](c.API().ListProjectWithResponse(ctx, uuid.MustParse(srv.World.OrganizationID)))
			if err != nil {
				t.Fatal(err)
			}
			if len(list.Results) != 2 {
				t.Errorf("%d projects, want shop and same", len(list.Results))
			}
		})
	}
}

func TestCloneAndWaitThroughFaults(t *testing.T) {
	srv := qoverytest.NewServer(t)
	srv.Fail("cloneDatabase", qoverytest.TooManyRequests(2*time.Second))
	srv.Fail("getDatabaseStatus", qoverytest.ServiceUnavailable().Times(2))
	c := srv.Client()
	start := time.Now()
	clone, err := c.Databases.Clone(ctxFor(t), srv.World.DatabaseID, "db-copy", srv.World.StagingEnvironmentID, qovery.WithDeploy())
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	if state, _ := srv.State(clone.Id.String()); state != "DEPLOYED" {
		t.Errorf("the clone is %s", state)
	}
	if srv.Calls("cloneDatabase") != 2 || srv.Processed("cloneDatabase") != 1 {
		t.Errorf("cloneDatabase: %d calls, %d processed; want 2 and 1", srv.Calls("cloneDatabase"), srv.Processed("cloneDatabase"))
	}
	clones := srv.Requests("cloneDatabase")
	if len(clones) != 2 || clones[0].Fault != "rate-limit" || clones[0].Status != 429 || clones[1].Status/100 != 2 {
		t.Errorf("clone requests: %+v", clones)
	}
	var body struct {
		Name          string `json:"name"`
		EnvironmentID string `json:"environment_id"`
	}
	if err := clones[1].Decode(&body); err != nil || body.Name != "db-copy" || body.EnvironmentID != srv.World.StagingEnvironmentID {
		t.Errorf("clone body %+v, %v", body, err)
	}
	var faulted int
	for _, r := range srv.Requests("getDatabaseStatus") {
		if r.Fault == "status 503" {
			faulted++
		}
	}
	if faulted != 2 {
		t.Errorf("%d status polls got the 503, want 2", faulted)
	}
	// The 2 s Retry-After was not slept: a second would show here.
	if took >= time.Second {
		t.Errorf("clone and wait took %v", took)
	}
	t.Logf("clone and wait with a 429 and two 503s: %v", took)
}

func TestFaultKinds(t *testing.T) {
	ctx := ctxFor(t)
	t.Run("always", func(t *testing.T) {
		srv := qoverytest.NewServer(t)
		srv.Fail("getDatabase", qoverytest.TooManyRequests(time.Second).Always())
		_, err := qovery.Result[gen.DatabaseResponse](srv.Client().API().GetDatabaseWithResponse(ctx, uuid.MustParse(srv.World.DatabaseID)))
		if !qovery.IsRateLimited(err) {
			t.Errorf("err = %v, want a rate limit", err)
		}
		if n := srv.Calls("getDatabase"); n != 4 {
			t.Errorf("%d attempts, want the policy's 4", n)
		}
		srv.ClearFaults()
		if _, err := qovery.Result[gen.DatabaseResponse](srv.Client().API().GetDatabaseWithResponse(ctx, uuid.MustParse(srv.World.DatabaseID))); err != nil {
			t.Errorf("after ClearFaults: %v", err)
		}
	})
	t.Run("reset on a write is not retried", func(t *testing.T) {
		srv := qoverytest.NewServer(t)
		srv.Fail("deployDatabase", qoverytest.ConnectionReset())
		_, err := srv.Client().API().DeployDatabaseWithResponse(ctx, uuid.MustParse(srv.World.DatabaseID))
		if err == nil || srv.Calls("deployDatabase") != 1 || srv.Processed("deployDatabase") != 0 {
			t.Errorf("err %v, %d calls, %d processed", err, srv.Calls("deployDatabase"), srv.Processed("deployDatabase"))
		}
	})
	t.Run("answer lost after the write", func(t *testing.T) {
		srv := qoverytest.NewServer(t)
		srv.Fail("deployDatabase", qoverytest.ServerError(http.StatusBadGateway).AfterProcessing())
		_, err := qovery.Result[gen.Status](srv.Client().API().DeployDatabaseWithResponse(ctx, uuid.MustParse(srv.World.DatabaseID)))
		var apiErr *qovery.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadGateway || srv.Processed("deployDatabase") != 1 {
			t.Errorf("err %v, processed %d", err, srv.Processed("deployDatabase"))
		}
		if state, _ := srv.State(srv.World.DatabaseID); state != "QUEUED" {
			t.Errorf("state %s: the deploy did not start", state)
		}
	})
	t.Run("truncated body on a read is retried", func(t *testing.T) {
		srv := qoverytest.NewServer(t)
		srv.Fail("getDatabase", qoverytest.TruncatedBody().Times(2))
		db, err := qovery.Result[gen.DatabaseResponse](srv.Client().API().GetDatabaseWithResponse(ctx, uuid.MustParse(srv.World.DatabaseID)))
		if err != nil || db.Name != "db" || srv.Calls("getDatabase") != 3 {
			t.Errorf("db %v, err %v, %d calls", db, err, srv.Calls("getDatabase"))
		}
	})
	t.Run("slow", func(t *testing.T) {
		srv := qoverytest.NewServer(t)
		srv.Fail("getDatabase", qoverytest.Slow(20*time.Millisecond))
		start := time.Now()
		if _, err := qovery.Result[gen.DatabaseResponse](srv.Client().API().GetDatabaseWithResponse(ctx, uuid.MustParse(srv.World.DatabaseID))); err != nil {
			t.Fatal(err)
		}
		if took := time.Since(start); took < 20*time.Millisecond {
			t.Errorf("answered after %v, before the delay", took)
		}
		srv.Fail("deployDatabase", qoverytest.Slow(time.Minute))
		short, cancel := context.WithTimeout(ctx, 30*time.Millisecond)
		defer cancel()
		if _, err := srv.Client().API().DeployDatabaseWithResponse(short, uuid.MustParse(srv.World.DatabaseID)); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err %v, want the deadline", err)
		}
	})
	t.Run("any operation", func(t *testing.T) {
		srv := qoverytest.NewServer(t)
		srv.Fail("*", qoverytest.ServiceUnavailable())
		if _, err := qovery.Result[gen.DatabaseResponse](srv.Client().API().GetDatabaseWithResponse(ctx, uuid.MustParse(srv.World.DatabaseID))); err != nil {
			t.Fatal(err)
		}
		if got := srv.Requests(); len(got) != 2 || got[0].Fault != "status 503" || got[1].Fault != "" {
			t.Errorf("requests: %+v", got)
		}
	})
}

func TestServerErrorNeedsA5xx(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "5xx") {
			t.Errorf("ServerError(404) did not panic with a reason: %v", r)
		}
	}()
	qoverytest.ServerError(http.StatusNotFound)
}

func TestLifecycles(t *testing.T) {
	srv := qoverytest.NewServer(t)
	c := srv.Client()
	ctx := ctxFor(t)
	w := srv.World
	db := uuid.MustParse(w.DatabaseID)

	if _, err := qovery.Result[gen.Status](c.API().StopDatabaseWithResponse(ctx, db)); err != nil {
		t.Fatal(err)
	}
	if st, _ := srv.State(w.DatabaseID); st != "STOP_QUEUED" {
		t.Errorf("after stop: %s", st)
	}
	// A deploy while it stops is refused, as the API does.
	if _, err := qovery.Result[gen.Status](c.API().DeployDatabaseWithResponse(ctx, db)); !qovery.IsConflict(err) {
		t.Errorf("deploy while stopping: %v", err)
	}
	if _, err := c.Databases.Wait(ctx, w.DatabaseID, qovery.StateStopped); err != nil {
		t.Fatal(err)
	}
	if _, err := qovery.Result[gen.Status](c.API().RestartApplicationWithResponse(ctx, uuid.MustParse(w.ApplicationID))); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Applications.Wait(ctx, w.ApplicationID, qovery.StateDeployed); err != nil {
		t.Fatal(err)
	}

	// A failure scripted for the next deploy.
	srv.FailNextAction(w.ContainerID, "image not found")
	if _, err := qovery.Result[gen.Status](c.API().DeployContainerWithResponse(ctx, uuid.MustParse(w.ContainerID), gen.DeployContainerJSONRequestBody{})); err != nil {
		t.Fatal(err)
	}
	var failed *qovery.StateError
	if _, err := c.Containers.Wait(ctx, w.ContainerID, qovery.StateDeployed); !errors.As(err, &failed) || !strings.Contains(err.Error(), "image not found") {
		t.Errorf("wait for a failing deploy: %v", err)
	}

	// Clones of an application and of an environment.
	app, err := c.Applications.Clone(ctx, w.ApplicationID, "web-copy", w.StagingEnvironmentID, qovery.WithDeploy())
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := srv.State(app.Id.String()); st != "DEPLOYED" {
		t.Errorf("application clone: %s", st)
	}
	env, err := c.Environments.Clone(ctx, w.EnvironmentID, "preview", qovery.WithMode("PREVIEW"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Environments.Wait(ctx, env.Id.String(), qovery.StateDeployed); err != nil {
		t.Fatal(err)
	}

	// A backup, waited for, then the latest.
	b, err := c.Backups.Create(ctx, w.DatabaseID, "nightly", "from the test")
	if err != nil {
		t.Fatal(err)
	}
	if b, err = c.Backups.Wait(ctx, w.DatabaseID, b.Id.String()); err != nil || qovery.BackupPhaseOf(b) != qovery.BackupDone {
		t.Fatalf("backup %v: %v", b, err)
	}
	latest, err := c.Backups.Latest(ctx, w.DatabaseID)
	if err != nil || *latest.Id != *b.Id {
		t.Errorf("latest %v: %v", latest, err)
	}

	// Delete, then 404.
	if _, err := c.API().DeleteDatabaseWithResponse(ctx, db); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Databases.Wait(ctx, w.DatabaseID, qovery.StateDeleted); err != nil {
		t.Fatal(err)
	}
	if srv.Exists(w.DatabaseID) {
		t.Error("the deleted database is still stored")
	}
	_, err = qovery.Result[gen.DatabaseResponse](c.API().GetDatabaseWithResponse(ctx, db))
	if !qovery.IsNotFound(err) {
		t.Errorf("get after delete: %v", err)
	}
}

func TestSetStateMakesWaitsFail(t *testing.T) {
	srv := qoverytest.NewServer(t)
	srv.SetState(srv.World.ApplicationID, "DEPLOYMENT_ERROR")
	_, err := srv.Client().Applications.Wait(ctxFor(t), srv.World.ApplicationID, qovery.StateDeployed)
	var failed *qovery.StateError
	if !errors.As(err, &failed) {
		t.Errorf("err = %v, want a *qovery.StateError", err)
	}
}

func TestTokenIsChecked(t *testing.T) {
	rec := &recorder{TB: t}
	srv := qoverytest.NewServer(rec, qoverytest.WithToken("right"))
	ctx := ctxFor(t)
	if _, err := qovery.Result[gen.DatabaseResponse](srv.Client().API().GetDatabaseWithResponse(ctx, uuid.MustParse(srv.World.DatabaseID))); err != nil {
		t.Errorf("with the server's token: %v", err)
	}
	other, err := qovery.New("wrong", qovery.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	_, err = qovery.Result[gen.DatabaseResponse](other.API().GetDatabaseWithResponse(ctx, uuid.MustParse(srv.World.DatabaseID)))
	if !qovery.IsUnauthorized(err) || !strings.Contains(rec.reported(), `header "Authorization": invalid token`) {
		t.Errorf("err %v, reported %q", err, rec.reported())
	}
}

// By default the server accepts one token, "qoverytest-token", which Token
// gives to a client built on URL; another token is refused.
func TestDefaultTokenIsTheOneAccepted(t *testing.T) {
	rec := &recorder{TB: t}
	srv := qoverytest.NewServer(rec)
	ctx := ctxFor(t)
	if srv.Token() != "qoverytest-token" {
		t.Errorf("Token() = %q, want qoverytest-token", srv.Token())
	}
	own, err := qovery.New(srv.Token(), qovery.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := own.Databases.Get(ctx, srv.World.DatabaseID); err != nil {
		t.Errorf("with srv.Token(): %v", err)
	}
	other, err := qovery.New("any-well-formed-token", qovery.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Databases.Get(ctx, srv.World.DatabaseID); !qovery.IsUnauthorized(err) {
		t.Errorf("with another token: err = %v, want 401", err)
	}
}

// Only the client of Client reads Retry-After as "now"; other clients see
// the wait the fault announces.
func TestOtherClientsSeeTheAnnouncedWait(t *testing.T) {
	srv := qoverytest.NewServer(t)
	srv.Fail("getDatabase", qoverytest.TooManyRequests(2*time.Second))
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/database/"+srv.World.DatabaseID, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Token qoverytest-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "2" || resp.Header.Get("X-Ratelimit-Reset") == "" {
		t.Errorf("status %d, headers %v", resp.StatusCode, resp.Header)
	}
}

// Options given to Client come last and win.
func TestClientOptionsOverride(t *testing.T) {
	srv := qoverytest.NewServer(t)
	srv.Fail("getDatabase", qoverytest.ServiceUnavailable().Times(2))
	c := srv.Client(qovery.WithRetryPolicy(qovery.RetryPolicy{MaxAttempts: 1}))
	_, err := qovery.Result[gen.DatabaseResponse](c.API().GetDatabaseWithResponse(ctxFor(t), uuid.MustParse(srv.World.DatabaseID)))
	var apiErr *qovery.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusServiceUnavailable || srv.Calls("getDatabase") != 1 {
		t.Errorf("err %v after %d calls; want the 503 after one", err, srv.Calls("getDatabase"))
	}
	srv.ResetRecord()
	if srv.Calls("getDatabase") != 0 || len(srv.Requests()) != 0 {
		t.Error("ResetRecord kept the record")
	}
}
