package qovery

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/uuid"
)

func TestActionLogIsBoundedByTheTimeout(t *testing.T) {
	l := &actionLog{keep: time.Hour}
	a, b := uuid.New(), uuid.New()
	t0 := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	l.record(a, actionDeploy, nil, t0)
	if _, ok := l.last(a, t0.Add(time.Hour)); !ok {
		t.Error("an action as old as the timeout is forgotten")
	}
	if _, ok := l.last(a, t0.Add(time.Hour+time.Second)); ok {
		t.Error("an action older than the timeout is still waited for")
	}
	l.record(b, actionStop, nil, t0.Add(time.Hour+time.Second))
	if len(l.byID) != 1 {
		t.Errorf("%d actions kept, want 1: the expired one is dropped when another is recorded", len(l.byID))
	}
}

// consume forgets the action a wait saw through, not one recorded since.
func TestActionLogConsumesOnlyTheActionWaitedFor(t *testing.T) {
	l := &actionLog{keep: time.Hour}
	id, now := uuid.New(), time.Now()
	l.record(id, actionDeploy, nil, now)
	first, _ := l.last(id, now)
	l.record(id, actionStop, nil, now)
	l.consume(id, first.seq)
	if a, ok := l.last(id, now); !ok || a.kind != actionStop {
		t.Fatalf("last = %+v, %v; want the stop recorded after the deploy", a, ok)
	}
	second, _ := l.last(id, now)
	l.consume(id, second.seq)
	if _, ok := l.last(id, now); ok {
		t.Fatal("the action waited for is still there")
	}
}

// scriptedDeploy answers a deploy with code and body, and every status read
// with DEPLOYED, counting the reads.
type scriptedDeploy struct {
	code  int
	body  string
	reads int
}

func (s *scriptedDeploy) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasSuffix(r.URL.Path, "/status") {
		s.reads++
		return reply(r, http.StatusOK, `{"state":"DEPLOYED"}`), nil
	}
	return reply(r, s.code, s.body), nil
}

// Only a deploy the API accepted is waited for: a refused one is not,
// while one accepted with a null body is. The ID is the
// same however its letters are cased.
func TestActionRecordedWhenAccepted(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		code       int
		recorded   bool
	}{
		{"refused", `{"message":"an operation is in progress"}`, http.StatusConflict, false},
		{"accepted", `{"state":"QUEUED"}`, http.StatusAccepted, true},
		{"accepted, null body", `null`, http.StatusAccepted, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				api := &scriptedDeploy{code: tc.code, body: tc.body}
				c, err := New(testToken, WithBaseURL(memBaseURL), WithHTTPClient(&http.Client{Transport: api}),
					WithRetryPolicy(RetryPolicy{MaxAttempts: 1}))
				if err != nil {
					t.Fatal(err)
				}
				ctx := context.Background()
				_, err = c.Databases.Deploy(ctx, strings.ToUpper(waitedDB))
				var de *DecodeError
				if (tc.code == http.StatusConflict) != IsConflict(err) || (tc.body == "null") != errors.As(err, &de) {
					t.Fatalf("Deploy: %v", err)
				}
				start := time.Now()
				if _, err := c.Databases.Wait(ctx, waitedDB, StateDeployed); err != nil {
					t.Fatal(err)
				}
				if waited := time.Since(start) > 0; waited != tc.recorded {
					t.Errorf("Wait took %v and %d reads; recorded = %v, want %v", time.Since(start), api.reads, waited, tc.recorded)
				}
			})
		})
	}
}
