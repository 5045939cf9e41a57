package qovery

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

func TestStateClasses(t *testing.T) {
	for _, tc := range []struct {
		state                    State
		final, succeeded, failed bool
	}{
		{"DEPLOYED", true, true, false},
		{"stopped", true, true, false},
		{"Deleted", true, true, false},
		{"RESTARTED", true, true, false},
		{"READY", true, true, false},
		{"DEPLOYMENT_ERROR", true, false, true},
		{"build_error", true, false, true},
		{"CANCELED", true, false, true},
		{"QUEUED", false, false, false},
		{"DEPLOYMENT_QUEUED", false, false, false},
		{"deploying", false, false, false},
		{"WARMING_UP", false, false, false}, // unknown: in progress
		{"", false, false, false},
		{StateSettled, false, false, false},
	} {
		if tc.state.Final() != tc.final || tc.state.Succeeded() != tc.succeeded || tc.state.Failed() != tc.failed {
			t.Errorf("State(%q): Final %v, Succeeded %v, Failed %v; want %v, %v, %v", tc.state,
				tc.state.Final(), tc.state.Succeeded(), tc.state.Failed(), tc.final, tc.succeeded, tc.failed)
		}
	}
	for _, s := range []State{"DEPLOYING", "stop_queued", "EXECUTING_SOMETHING"} {
		if want := s != "EXECUTING_SOMETHING"; s.known() != want {
			t.Errorf("State(%q).known() = %v, want %v", s, s.known(), want)
		}
	}
}

func TestWaitPolicyDefaults(t *testing.T) {
	p := WaitPolicy{}.withDefaults()
	if p.MinInterval != 5*time.Second || p.MaxInterval != 30*time.Second || p.Timeout != 4*time.Hour || p.StaleGrace != 30*time.Second {
		t.Errorf("defaults %+v; want 5s, 30s, 4h and a grace of 30s", p)
	}
	if p := (WaitPolicy{Timeout: 10 * time.Second}).withDefaults(); p.StaleGrace != 5*time.Second {
		t.Errorf("StaleGrace with a timeout of 10s = %v, want half of it", p.StaleGrace)
	}
}

// waitAfter runs action ("deploy", "stop" or none) on the database, then waits for
// target; it returns the status, how long both took, and the error.
func waitAfter(t *testing.T, c *Client, action string, target State) (*Status, time.Duration, error) {
	t.Helper()
	ctx := context.Background()
	start := time.Now()
	var err error
	switch action {
	case "deploy":
		_, err = c.Databases.Deploy(ctx, waitedDB)
	case "stop":
		_, err = c.Databases.Stop(ctx, waitedDB)
	case "":
	default:
		t.Fatalf("no action %q", action)
	}
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.Databases.Wait(ctx, waitedDB, target)
	return st, time.Since(start), err
}

func TestWaitSettledReturnsAnyFinalState(t *testing.T) {
	for _, end := range []string{"DEPLOYED", "DEPLOYMENT_ERROR"} {
		t.Run(end, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				api := &liveStatus{state: "STOPPED", stale: 1, plans: map[string][]phase{"deploy": {{"QUEUED", 20 * time.Second}, {end, 0}}}}
				st, took, err := waitAfter(t, liveClient(t, api, WaitPolicy{}), "deploy", StateSettled)
				if err != nil || st == nil || *st.State != end || took < 20*time.Second {
					t.Fatalf("Wait(StateSettled) = %+v, %v after %v; want the %s status, no error, after the deploy", st, err, took, end)
				}
			})
		})
	}
}

// A failure state in the action's answer ends the wait without a read;
// StateSettled reads on until a status shows it.
func TestWaitAnswerFailureEndsAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := &liveStatus{state: "DEPLOYED", plans: map[string][]phase{"deploy": {{"BUILD_ERROR", 0}}}}
		c := liveClient(t, api, WaitPolicy{})
		_, took, err := waitAfter(t, c, "deploy", StateDeployed)
		var se *StateError
		if !errors.As(err, &se) || se.State != "BUILD_ERROR" || took != 0 || len(api.readTimes()) != 0 {
			t.Fatalf("Wait = %v after %v and %d reads; want a *StateError in BUILD_ERROR at once", err, took, len(api.readTimes()))
		}
		st, _, err := waitAfter(t, c, "deploy", StateSettled)
		if err != nil || st == nil || *st.State != "BUILD_ERROR" || len(api.readTimes()) != 1 {
			t.Fatalf("Wait(StateSettled) = %+v, %v after %d reads; want the BUILD_ERROR status from one read", st, err, len(api.readTimes()))
		}
	})
}

// An action that changes nothing: the state read is the one from before,
// and only the grace ends the wait.
func TestWaitAfterNoOpActionEndsAfterTheGrace(t *testing.T) {
	for _, tc := range []struct{ grace, want time.Duration }{{0, 30 * time.Second}, {10 * time.Second, 10 * time.Second}} {
		t.Run(tc.want.String(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				api := &liveStatus{state: "STOPPED", plans: map[string][]phase{"stop": {{"STOPPED", 0}}}}
				st, took, err := waitAfter(t, liveClient(t, api, WaitPolicy{StaleGrace: tc.grace}), "stop", StateStopped)
				if err != nil || st == nil || took < tc.want || took > tc.want+30*time.Second {
					t.Fatalf("Wait(STOPPED) = %+v, %v after %v; want STOPPED once the grace of %v is over", st, err, took, tc.want)
				}
			})
		})
	}
}

// Without an action of this client, a wait reads at once and takes what it
// reads, as it always has.
func TestWaitWithoutActionReadsAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := &liveStatus{state: "DEPLOYED"}
		st, took, err := waitAfter(t, liveClient(t, api, WaitPolicy{}), "", StateDeployed)
		if err != nil || st == nil || took != 0 || len(api.readTimes()) != 1 {
			t.Fatalf("Wait = %+v, %v after %v and %d reads; want DEPLOYED from one read at once", st, err, took, len(api.readTimes()))
		}
	})
}

// A wait that saw its action through forgets it: the next wait reads at
// once.
func TestWaitForgetsTheActionItSawThrough(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := &liveStatus{state: "DEPLOYED", stale: 2, plans: map[string][]phase{"deploy": deployPlan}}
		c := liveClient(t, api, WaitPolicy{})
		if _, took, err := waitAfter(t, c, "deploy", StateDeployed); err != nil || took < time.Minute {
			t.Fatalf("first Wait: %v after %v", err, took)
		}
		reads := len(api.readTimes())
		if _, took, err := waitAfter(t, c, "", StateDeployed); err != nil || took != 0 || len(api.readTimes()) != reads+1 {
			t.Fatalf("second Wait: %v after %v and %d reads; want one read at once", err, took, len(api.readTimes())-reads)
		}
	})
}

// A state the package does not know is waited through as in progress,
// logged once, and named by the timeout error.
func TestWaitUnknownStateLoggedOnceAndNamedOnTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		logs := &syncBuffer{}
		api := &liveStatus{state: "STOPPED", plans: map[string][]phase{"deploy": {{"QUEUED", 10 * time.Second}, {"WARMING_UP", 0}}}}
		c, err := New(testToken, WithBaseURL(memBaseURL), WithHTTPClient(&http.Client{Transport: api}),
			WithLogger(slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))),
			WithWaitPolicy(WaitPolicy{Timeout: 10 * time.Minute}))
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = waitAfter(t, c, "deploy", StateDeployed)
		if !errors.Is(err, ErrWaitTimeout) || !strings.Contains(err.Error(), "states seen: QUEUED, WARMING_UP") {
			t.Fatalf("err = %v; want a timeout naming the states seen", err)
		}
		if n := strings.Count(logs.String(), "WARMING_UP"); n != 1 || !strings.Contains(logs.String(), "level=WARN") {
			t.Errorf("the unknown state is logged %d times at warning level, want once:\n%s", n, logs)
		}
		if n := len(api.readTimes()); n < 20 {
			t.Errorf("%d reads in 10 minutes: the wait stopped reading at the unknown state", n)
		}
	})
}

// States are read without regard to case, the stale one included.
func TestWaitAfterDeployLowerCaseStates(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := &liveStatus{state: "deployed", stale: 2, plans: map[string][]phase{
			"deploy": {{"queued", 10 * time.Second}, {"deploying", time.Minute}, {"deployment_error", 0}},
		}}
		_, took, err := waitAfter(t, liveClient(t, api, WaitPolicy{}), "deploy", "deployed")
		var se *StateError
		if !errors.As(err, &se) || se.State != "DEPLOYMENT_ERROR" || se.Target != StateDeployed || took < time.Minute {
			t.Fatalf("Wait = %v after %v; want a *StateError in DEPLOYMENT_ERROR once the deploy failed", err, took)
		}
	})
}

// OnStatus hears the answer's state, then each change, from the waiting
// goroutine; a final state that may be the stale one says so.
func TestWaitOnStatusHearsEachChange(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var events []WaitEvent
		api := &liveStatus{state: "DEPLOYED", stale: 2, plans: map[string][]phase{"deploy": deployPlan}}
		c := liveClient(t, api, WaitPolicy{OnStatus: func(e WaitEvent) { events = append(events, e) }})
		if _, _, err := waitAfter(t, c, "deploy", StateDeployed); err != nil {
			t.Fatal(err)
		}
		want := []struct {
			state       State
			polls       int
			unconfirmed bool
		}{{"QUEUED", 0, false}, {"DEPLOYED", 1, true}, {"DEPLOYING", 3, false}, {"DEPLOYED", 5, false}}
		if len(events) != len(want) {
			t.Fatalf("events %+v; want %+v", events, want)
		}
		for i, e := range events {
			w := want[i]
			if e.State != w.state || e.Polls != w.polls || e.Unconfirmed != w.unconfirmed || e.Kind != "database" || e.ID != waitedDB ||
				(i > 0 && e.Elapsed <= events[i-1].Elapsed) {
				t.Errorf("event %d = %+v; want %+v, later than the one before", i, e, w)
			}
		}
	})
}
