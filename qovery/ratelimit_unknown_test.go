package qovery

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/qoverykit/qovery-go/gen"
)

// limitAPI answers every request with 200 and the headers its script
// gives for the request's number (from 1), and counts the requests.
type limitAPI struct {
	script func(n int) http.Header
	sent   atomic.Int32
}

func (f *limitAPI) RoundTrip(r *http.Request) (*http.Response, error) {
	h := f.script(int(f.sent.Add(1)))
	h.Set("Content-Type", "application/json")
	const body = `{"results":[]}`
	return &http.Response{StatusCode: http.StatusOK, Header: h, Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)),
		Request: r, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}, nil
}

// limitHeaders are the X-RateLimit-* headers of an answer, with the API's
// limit of 1000; remaining holds the lines of X-RateLimit-Remaining, none
// when it is absent.
func limitHeaders(remaining []string, reset string) http.Header {
	h := http.Header{"X-Ratelimit-Limit": {"1000"}, "X-Ratelimit-Reset": {reset}}
	if remaining != nil {
		h["X-Ratelimit-Remaining"] = remaining
	}
	return h
}

func always(h func() http.Header) func(int) http.Header { return func(int) http.Header { return h() } }

func limitClient(t *testing.T, api *limitAPI, opts ...Option) *Client {
	t.Helper()
	base := []Option{WithBaseURL("http://127.0.0.1:1"), WithHTTPClient(&http.Client{Transport: api})}
	c, err := New(testToken, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func listOrganizations(ctx context.Context, c *Client) error {
	_, err := Result[gen.OrganizationResponseList](c.API().ListOrganizationWithResponse(ctx))
	return err
}

// timedCall makes one call and returns the (bubble) time it took and its
// error.
func timedCall(ctx context.Context, c *Client) (time.Duration, error) {
	start := time.Now()
	err := listOrganizations(ctx, c)
	return time.Since(start), err
}

// An answer that does not say, as a plain non-negative integer, how many
// requests remain leaves Remaining unknown, which pacing does not wait on:
// the calls that follow go at once, where reading "0 left" (or the first of
// two values) would hold them until the reset, an hour away.
func TestPacingUnreadableRemainingDoesNotWait(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lines []string
	}{
		{"absent", nil}, {"empty", []string{""}}, {"word", []string{"abc"}}, {"decimal", []string{"1.5"}},
		{"list", []string{"10, 20"}}, {"two lines", []string{"10", "20"}}, {"negative", []string{"-3"}},
		{"signed", []string{"+5"}}, {"beyond int", []string{"99999999999999999999"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				api := &limitAPI{script: always(func() http.Header { return limitHeaders(tc.lines, "3600") })}
				c := limitClient(t, api, WithPacing())
				start := time.Now()
				for i := range 4 {
					if took, err := timedCall(t.Context(), c); err != nil || took != 0 {
						t.Fatalf("call %d: err = %v after %v; want nil at once", i+1, err, took)
					}
				}
				if n := api.sent.Load(); n != 4 {
					t.Errorf("%d requests sent, want 4", n)
				}
				rl := c.RateLimit()
				if rl.RemainingKnown || rl.Remaining != 0 || rl.Limit != 1000 || !rl.Reset.Equal(start.Add(time.Hour)) || rl.Observed.IsZero() {
					t.Errorf("RateLimit() = %+v; want Remaining unknown, limit 1000, reset in an hour", rl)
				}
			})
		})
	}
}

// RateLimit tells "none left" from "not said". An answer with none of the
// X-RateLimit-* headers (a proxy's error page) says nothing of the token
// and changes nothing; after an answer that left Remaining unknown, the
// next Remaining said is taken as the news, even if higher than the last
// one known in the same window.
func TestRateLimitTellsNoneLeftFromNotSaid(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		script := map[int]http.Header{
			1: limitHeaders([]string{"7"}, "600"),
			2: limitHeaders([]string{"0"}, "600"),
			3: limitHeaders(nil, "600"),
			4: {},
			5: limitHeaders([]string{"5"}, "600"),
		}
		api := &limitAPI{script: func(n int) http.Header { return script[n].Clone() }}
		c := limitClient(t, api)
		want := []struct {
			known     bool
			remaining int
		}{{true, 7}, {true, 0}, {false, 0}, {false, 0}, {true, 5}}
		for i, w := range want {
			if err := listOrganizations(t.Context(), c); err != nil {
				t.Fatal(err)
			}
			if rl := c.RateLimit(); rl.RemainingKnown != w.known || rl.Remaining != w.remaining || rl.Limit != 1000 {
				t.Errorf("after answer %d: RateLimit() = %+v; want RemainingKnown %v, Remaining %d", i+1, rl, w.known, w.remaining)
			}
		}
	})
}

// When the last answer stops saying what remains, pacing does not go on
// acting on the Remaining an earlier answer said; it paces again on the
// next answer that says it.
func TestPacingStopsWhenRemainingGoesUnsaid(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		script := map[int][]string{1: {"1"}, 2: nil, 3: {"0"}}
		api := &limitAPI{script: func(n int) http.Header { return limitHeaders(script[n], "30") }}
		c := limitClient(t, api, WithPacing())
		for i, want := range []time.Duration{0, 0, 0, 30 * time.Second} {
			if took, err := timedCall(t.Context(), c); err != nil || took != want {
				t.Fatalf("call %d: err = %v after %v; want nil after %v", i+1, err, took, want)
			}
		}
	})
}

// With none left and the reset 35 minutes away, in either form, a call
// fails at once with the reset in the error and sends nothing, as a 429
// asking for a wait beyond MaxRetryAfter does; a MaxRetryAfter that allows
// the wait lets the call wait for the reset.
func TestPacingFarResetFailsAtOnce(t *testing.T) {
	for _, tc := range []struct {
		name  string
		reset func(now time.Time) string
	}{
		{"seconds from now", func(time.Time) string { return "2100" }},
		{"Unix seconds", func(now time.Time) string { return strconv.FormatInt(now.Unix()+2100, 10) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				toUnixEra()
				api := &limitAPI{script: always(func() http.Header { return limitHeaders([]string{"0"}, tc.reset(time.Now())) })}
				c := limitClient(t, api, WithPacing())
				reset := time.Now().Add(35 * time.Minute)
				if err := listOrganizations(t.Context(), c); err != nil {
					t.Fatal(err)
				}
				took, err := timedCall(t.Context(), c)
				var pe *PacingError
				if !errors.As(err, &pe) || !pe.RetryAt.Equal(reset) || !errors.Is(err, ErrRateLimited) || took != 0 || api.sent.Load() != 1 {
					t.Fatalf("err = %v after %v, %d requests; want a *PacingError for %v at once, 1 request", err, took, api.sent.Load(), reset)
				}

				long := DefaultRetryPolicy()
				long.MaxRetryAfter = time.Hour
				c = limitClient(t, api, WithPacing(), WithRetryPolicy(long))
				if err := listOrganizations(t.Context(), c); err != nil {
					t.Fatal(err)
				}
				if took, err := timedCall(t.Context(), c); err != nil || took != 35*time.Minute {
					t.Fatalf("MaxRetryAfter 1h: err = %v after %v; want nil after the 35 minutes to the reset", err, took)
				}
			})
		})
	}
}

// A turn that comes after the call's context deadline is not waited for:
// the call fails at once with the turn in the error, whether it waits for
// the reset (none left) or for a turn spread before it. The turn it did not
// take is left for the next call.
func TestPacingTurnAfterDeadlineFailsAtOnce(t *testing.T) {
	t.Run("none left", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			api := &limitAPI{script: always(func() http.Header { return limitHeaders([]string{"0"}, "30") })}
			c := limitClient(t, api, WithPacing())
			if err := listOrganizations(t.Context(), c); err != nil {
				t.Fatal(err)
			}
			reset := time.Now().Add(30 * time.Second)
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			defer cancel()
			took, err := timedCall(ctx, c)
			var pe *PacingError
			if !errors.As(err, &pe) || !pe.RetryAt.Equal(reset) || took != 0 || api.sent.Load() != 1 {
				t.Fatalf("err = %v after %v, %d requests; want a *PacingError for %v at once, 1 request", err, took, api.sent.Load(), reset)
			}
		})
	})
	t.Run("spread", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			// 2 left of 1000 for 50 s: turns 25 s apart.
			api := &limitAPI{script: func(n int) http.Header {
				return limitHeaders([]string{strconv.Itoa(max(2-n+1, 1))}, "50")
			}}
			c := limitClient(t, api, WithPacing())
			for range 2 {
				if took, err := timedCall(t.Context(), c); err != nil || took != 0 {
					t.Fatalf("err = %v after %v; want nil at once", err, took)
				}
			}
			turn := time.Now().Add(25 * time.Second)
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			defer cancel()
			took, err := timedCall(ctx, c)
			var pe *PacingError
			if !errors.As(err, &pe) || !pe.RetryAt.Equal(turn) || took != 0 || api.sent.Load() != 2 {
				t.Fatalf("err = %v after %v, %d requests; want a *PacingError for %v at once, 2 requests", err, took, api.sent.Load(), turn)
			}
			if took, err := timedCall(t.Context(), c); err != nil || took != 25*time.Second {
				t.Fatalf("next call: err = %v after %v; want nil after 25s, the turn the refused call left", err, took)
			}
		})
	})
}

func TestErrorsPacingError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := &limitAPI{script: always(func() http.Header { return limitHeaders([]string{"0"}, "3600") })}
		c := limitClient(t, api, WithPacing())
		_ = listOrganizations(t.Context(), c)
		err := listOrganizations(t.Context(), c)
		var pe *PacingError
		var ae *APIError
		switch {
		case !errors.As(err, &pe) || pe.Method != http.MethodGet || pe.Path != "/organization" || pe.RetryAt.IsZero() || pe.Reason == "":
			t.Fatalf("err = %v, want a *PacingError naming the request, the turn and why", err)
		case !errors.Is(err, ErrRateLimited) || !IsRateLimited(err) || errors.Is(err, ErrNotFound):
			t.Errorf("err = %v: want it to match ErrRateLimited alone", err)
		case errors.As(err, &ae):
			t.Errorf("err = %v: an *APIError, though no answer came", err)
		case !strings.Contains(err.Error(), pe.RetryAt.UTC().Format(time.RFC3339)):
			t.Errorf("err = %q: does not say when the turn comes", err)
		}
	})
}
