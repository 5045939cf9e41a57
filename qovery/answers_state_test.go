package qovery

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"
)

// The API writes its states in upper case; one written otherwise is the
// same state, and a failure in lower case is still a failure.
func TestStateFailedIgnoresCase(t *testing.T) {
	for s, want := range map[State]bool{
		"deployment_error": true,
		"Stop_Error":       true,
		"canceled":         true,
		"DEPLOYMENT_ERROR": true,
		"deployed":         false,
		"error_budget":     false,
	} {
		if got := s.Failed(); got != want {
			t.Errorf("State(%q).Failed() = %v, want %v", s, got, want)
		}
	}
}

func TestWaitMatchesStatesWhateverTheirCase(t *testing.T) {
	for _, tc := range []struct {
		name   string
		state  string // as the API answers it
		target State
		failed bool // a *StateError is expected
	}{
		{"lower-case failure", "deployment_error", StateDeployed, true},
		{"lower-case target reached", "deployed", StateDeployed, false},
		{"target given in lower case", "DEPLOYED", "deployed", false},
		{"mixed case", "Stopped", StateStopped, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				api := &statusAPI{state: tc.state}
				c := statusClient(t, api, time.Hour)
				st, err := c.Databases.Wait(context.Background(), waitedDatabase, tc.target)
				var se *StateError
				switch {
				case tc.failed && (!errors.As(err, &se) || se.State != "DEPLOYMENT_ERROR"):
					t.Errorf("Wait = %+v, %v; want a *StateError in DEPLOYMENT_ERROR", st, err)
				case !tc.failed && (err != nil || st == nil):
					t.Errorf("Wait = %+v, %v; want the status", st, err)
				}
				if n := len(api.requests()); n != 1 {
					t.Errorf("%d status reads, want 1", n)
				}
			})
		})
	}
}
