package qovery

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/uuid"
)

// The tests of this file are the defects a Wait after an action had: they
// use only what the package had before the waits read actions, so that
// they can be run against it.

const (
	waitedDB      = "5b0f1d2e-6a4c-4f8e-9b3a-7c1d2e3f4a5b"
	waitedOrg     = "1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d"
	waitedCluster = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b"
)

// phase is a state an action goes through: until the time since the action
// that it lasts; the last phase of a plan lasts. A phase of state "" is the
// resource deleted.
type phase struct {
	state string
	until time.Duration
}

// liveStatus serves one resource as the live API does, in memory, on the
// clock of the synctest bubble it runs in: a database (or, with cluster,
// a cluster) whose actions are accepted with their plan's first state, and
// whose status reads show the state from before an action for stale reads
// after it, then the plan's states in turn. With dates, a status carries a
// last_deployment_date: the action's time once the action shows, the
// earlier one before (and in the action's answer). A deleted resource
// answers gone (404 when 0).
type liveStatus struct {
	mu sync.Mutex

	state   string
	stale   int
	gone    int
	dates   bool
	cluster bool
	plans   map[string][]phase // by action: deploy, stop, restart, delete

	date      time.Time // the last deployment before the action
	acted     time.Time
	plan      []phase
	staleLeft int
	reads     []time.Time
}

func (s *liveStatus) RoundTrip(r *http.Request) (*http.Response, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, _ = io.Copy(io.Discard, r.Body)
	switch path := r.URL.Path; {
	case r.Method == http.MethodGet && strings.HasSuffix(path, "/status"):
		return s.read(r), nil
	case r.Method == http.MethodDelete:
		return s.act(r, "delete"), nil
	case r.Method == http.MethodPost:
		return s.act(r, path[strings.LastIndexByte(path, '/')+1:]), nil
	}
	return reply(r, http.StatusNotFound, `{"message":"no such route"}`), nil
}

// act starts the plan of the action, and answers with its first state.
func (s *liveStatus) act(r *http.Request, action string) *http.Response {
	if s.acted.IsZero() {
		s.date = time.Now().Add(-time.Hour)
	} else {
		s.state, s.date = s.current(), s.acted
	}
	s.acted, s.plan, s.staleLeft = time.Now(), s.plans[action], s.stale
	switch {
	case action == "delete":
		return reply(r, http.StatusNoContent, "")
	case s.cluster:
		return reply(r, http.StatusCreated, s.body(s.plan[0].state, s.date))
	}
	return reply(r, http.StatusAccepted, s.body(s.plan[0].state, s.date))
}

// read answers a status read: the state from before the last action while
// it is stale, then the phase the action is in.
func (s *liveStatus) read(r *http.Request) *http.Response {
	s.reads = append(s.reads, time.Now())
	state, date := s.state, s.date
	switch {
	case s.acted.IsZero():
	case s.staleLeft > 0:
		s.staleLeft--
	default:
		state, date = s.current(), s.acted
	}
	if state == "" {
		code := s.gone
		if code == 0 {
			code = http.StatusNotFound
		}
		return reply(r, code, `{"message":"this resource is not available"}`)
	}
	return reply(r, http.StatusOK, s.body(state, date))
}

// current is the state of the plan of the last action at this time.
func (s *liveStatus) current() string {
	since := time.Since(s.acted)
	for _, p := range s.plan {
		if since < p.until {
			return p.state
		}
	}
	return s.plan[len(s.plan)-1].state
}

func (s *liveStatus) body(state string, date time.Time) string {
	v := map[string]any{"id": waitedDB, "state": state}
	if s.cluster {
		v = map[string]any{"cluster_id": waitedCluster, "status": state}
	}
	if s.dates && !s.cluster {
		v["last_deployment_date"] = date.UTC().Format(time.RFC3339Nano)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func (s *liveStatus) readTimes() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.reads...)
}

func reply(r *http.Request, code int, body string) *http.Response {
	h := http.Header{}
	if body != "" {
		h.Set("Content-Type", "application/json")
	}
	return &http.Response{StatusCode: code, Header: h, Body: io.NopCloser(strings.NewReader(body)), Request: r}
}

// liveClient is a client of api with the wait policy p, whose zero fields
// take the package's defaults. Call it inside the bubble.
func liveClient(t *testing.T, api *liveStatus, p WaitPolicy) *Client {
	t.Helper()
	c, err := New(testToken, WithBaseURL(memBaseURL), WithHTTPClient(&http.Client{Transport: api}), WithWaitPolicy(p))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// deployPlan is a deploy of a minute: queued for 10 s, then deploying.
var deployPlan = []phase{{"QUEUED", 10 * time.Second}, {"DEPLOYING", time.Minute}, {"DEPLOYED", 0}}

// Right after a deploy the API still answers the DEPLOYED from before it;
// the wait must not take it for the deploy's outcome.
func TestWaitAfterDeployOutwaitsTheStaleStatus(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := &liveStatus{state: "DEPLOYED", stale: 2, plans: map[string][]phase{"deploy": deployPlan}}
		c := liveClient(t, api, WaitPolicy{Timeout: time.Hour})
		ctx := context.Background()
		start := time.Now()
		if _, err := c.Databases.Deploy(ctx, waitedDB); err != nil {
			t.Fatal(err)
		}
		st, err := c.Databases.Wait(ctx, waitedDB, StateDeployed)
		if err != nil || st == nil || st.State == nil || *st.State != "DEPLOYED" {
			t.Fatalf("Wait = %+v, %v; want the DEPLOYED status", st, err)
		}
		if took := time.Since(start); took < time.Minute {
			t.Fatalf("Wait returned after %v, %d reads, before the deploy ended at 1m0s: it took the stale DEPLOYED for the outcome", took, len(api.readTimes()))
		}
	})
}

// A redeploy after a failed deploy: the stale status is the old failure,
// which is not the new deploy's outcome.
func TestWaitAfterRedeployOutwaitsTheStaleFailure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := &liveStatus{state: "DEPLOYMENT_ERROR", stale: 2, plans: map[string][]phase{"deploy": deployPlan}}
		c := liveClient(t, api, WaitPolicy{Timeout: time.Hour})
		ctx := context.Background()
		if _, err := c.Databases.Deploy(ctx, waitedDB); err != nil {
			t.Fatal(err)
		}
		if st, err := c.Databases.Wait(ctx, waitedDB, StateDeployed); err != nil || st == nil {
			t.Fatalf("Wait = %+v, %v; want the DEPLOYED status, not the failure from before the redeploy", st, err)
		}
	})
}

// A deploy quick enough that no read sees it under way: a read is fresh
// when its last_deployment_date is later than the one in the answer.
func TestWaitAfterQuickDeployReadsTheDeploymentDate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := &liveStatus{state: "DEPLOYED", stale: 1, dates: true, plans: map[string][]phase{"deploy": {{"DEPLOYED", 0}}}}
		c := liveClient(t, api, WaitPolicy{Timeout: time.Hour})
		ctx := context.Background()
		start := time.Now()
		answer, err := c.Databases.Deploy(ctx, waitedDB)
		if err != nil {
			t.Fatal(err)
		}
		st, err := c.Databases.Wait(ctx, waitedDB, StateDeployed)
		if err != nil || st == nil || st.LastDeploymentDate == nil || !st.LastDeploymentDate.After(*answer.LastDeploymentDate) {
			t.Fatalf("Wait = %+v, %v; want the status of the new deployment, dated after %v", st, err, answer.LastDeploymentDate)
		}
		if took := time.Since(start); took >= 30*time.Second {
			t.Errorf("Wait took %v: it waited out the grace instead of reading the date", took)
		}
	})
}

// After a delete, the API may answer 403 or 400 for the resource rather
// than 404: it is deleted all the same.
func TestWaitAfterDeleteTakesForbiddenAsDeleted(t *testing.T) {
	for _, code := range []int{http.StatusForbidden, http.StatusBadRequest, http.StatusNotFound} {
		t.Run(http.StatusText(code), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				api := &liveStatus{state: "DEPLOYED", stale: 1, gone: code, plans: map[string][]phase{
					"delete": {{"DELETE_QUEUED", 10 * time.Second}, {"DELETING", 30 * time.Second}, {"", 0}},
				}}
				c := liveClient(t, api, WaitPolicy{Timeout: time.Hour})
				ctx := context.Background()
				if err := c.Databases.Delete(ctx, waitedDB); err != nil {
					t.Fatal(err)
				}
				if st, err := c.Databases.Wait(ctx, waitedDB, StateDeleted); err != nil || st != nil {
					t.Fatalf("Wait(DELETED) = %+v, %v; want nil, nil once the database answers %d", st, err, code)
				}
			})
		})
	}
}

// Without a delete of this client, 403 is not taken for a deletion: the
// token may just not be allowed to read the resource.
func TestWaitWithoutDeleteKeepsForbidden(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := &liveStatus{state: "DEPLOYED", gone: http.StatusForbidden, plans: map[string][]phase{"delete": {{"", 0}}}}
		c := liveClient(t, api, WaitPolicy{Timeout: time.Hour})
		ctx := context.Background()
		if err := Check(c.API().DeleteDatabaseWithResponse(ctx, uuid.MustParse(waitedDB))); err != nil {
			t.Fatal(err)
		}
		if st, err := c.Databases.Wait(ctx, waitedDB, StateDeleted); !IsForbidden(err) || st != nil {
			t.Fatalf("Wait(DELETED) = %+v, %v; want ErrForbidden", st, err)
		}
	})
}
