package qovery

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

const waitedDatabase = "3f1b6a7e-2c4d-4e8f-9a0b-1c2d3e4f5a6b"

// statusAPI answers status reads in memory, so that a synctest bubble's
// clock alone says when each came: the first `limited` reads get 429 with
// Retry-After retryAfter seconds, the rest the status state.
type statusAPI struct {
	mu         sync.Mutex
	at         []time.Time // when each request came
	limited    int
	retryAfter int
	state      string
}

func (s *statusAPI) RoundTrip(r *http.Request) (*http.Response, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.at = append(s.at, time.Now())
	h := http.Header{"Content-Type": {"application/json"}}
	if len(s.at) <= s.limited {
		h.Set("Retry-After", strconv.Itoa(s.retryAfter))
		return s.answer(r, http.StatusTooManyRequests, h, `{"message":"rate limited"}`), nil
	}
	return s.answer(r, http.StatusOK, h, `{"id":"`+waitedDatabase+`","state":"`+s.state+`"}`), nil
}

func (s *statusAPI) answer(r *http.Request, code int, h http.Header, body string) *http.Response {
	return &http.Response{StatusCode: code, Header: h, Body: io.NopCloser(strings.NewReader(body)), Request: r}
}

func (s *statusAPI) requests() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.at...)
}

func statusClient(t *testing.T, api *statusAPI, timeout time.Duration) *Client {
	t.Helper()
	c, err := New(testToken, WithBaseURL(memBaseURL), WithHTTPClient(&http.Client{Transport: api}),
		WithWaitPolicy(WaitPolicy{MinInterval: 3 * time.Second, Timeout: timeout}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// A status poll answered 429 with a Retry-After past the end of the wait
// (WaitPolicy.Timeout, or the context's deadline when earlier) ends the
// wait at once, with the 429 still reachable: polling again before the
// announced time would only be refused again.
func TestWaitRateLimitedPastItsEndFailsAtOnce(t *testing.T) {
	for _, tc := range []struct {
		name     string
		timeout  time.Duration // WaitPolicy.Timeout
		deadline time.Duration // of the context; 0 for none
	}{
		{"past WaitPolicy.Timeout", 10 * time.Minute, 0},
		{"past the context's deadline", time.Hour, 5 * time.Minute},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				api := &statusAPI{limited: 100, retryAfter: 3600, state: "DEPLOYED"}
				c := statusClient(t, api, tc.timeout)
				ctx := context.Background()
				if tc.deadline > 0 {
					var cancel context.CancelFunc
					ctx, cancel = context.WithTimeout(ctx, tc.deadline)
					defer cancel()
				}
				start := time.Now()
				_, err := c.Databases.Wait(ctx, waitedDatabase, StateDeployed)

				var ae *APIError
				if !errors.As(err, &ae) || !IsRateLimited(err) || ae.RetryAt.IsZero() {
					t.Fatalf("err = %v, want one wrapping the 429 *APIError with RetryAt", err)
				}
				if !ae.RetryAt.Equal(start.Add(time.Hour)) {
					t.Errorf("RetryAt = %v, want an hour after the start, %v", ae.RetryAt, start.Add(time.Hour))
				}
				if n := len(api.requests()); n != 1 {
					t.Errorf("%d status reads, want 1", n)
				}
				if took := time.Since(start); took != 0 {
					t.Errorf("the wait gave up after %v, want at once", took)
				}
			})
		})
	}
}

// A Retry-After within the wait, but beyond what the transport sleeps for
// itself (RetryPolicy.MaxRetryAfter, a minute), is slept by the wait: the
// next poll comes at the announced time, not at the wait's own interval.
func TestWaitRateLimitedSleepsUntilRetryAt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := &statusAPI{limited: 1, retryAfter: 120, state: "DEPLOYED"}
		c := statusClient(t, api, time.Hour)
		start := time.Now()
		st, err := c.Databases.Wait(context.Background(), waitedDatabase, StateDeployed)
		if err != nil || st == nil || st.State == nil || *st.State != "DEPLOYED" {
			t.Fatalf("Wait = %+v, %v; want DEPLOYED", st, err)
		}
		at := api.requests()
		if len(at) != 2 {
			t.Fatalf("%d status reads, want 2", len(at))
		}
		if got := at[1].Sub(start); got != 120*time.Second {
			t.Errorf("second read %v after the first, want at the announced 2m0s", got)
		}
	})
}
