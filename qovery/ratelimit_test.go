package qovery

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/qoverykit/qovery-go/gen"
)

// windowedAPI is an in-memory API that allows limit requests per window of
// one second (windows aligned on whole seconds, as X-RateLimit-Reset is in
// Unix seconds) and reports the X-RateLimit-* headers on every answer.
type windowedAPI struct {
	limit    int
	mu       sync.Mutex
	window   int64 // Unix second of the current window
	used     int
	ok, over atomic.Int32
}

func (f *windowedAPI) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	now := time.Now()
	f.mu.Lock()
	if w := now.Unix(); w != f.window {
		f.window, f.used = w, 0
	}
	f.used++
	used, reset := f.used, f.window+1
	f.mu.Unlock()
	h := http.Header{
		"Content-Type":          {"application/json"},
		"X-Ratelimit-Limit":     {strconv.Itoa(f.limit)},
		"X-Ratelimit-Remaining": {strconv.Itoa(max(f.limit-used, 0))},
		"X-Ratelimit-Reset":     {strconv.FormatInt(reset, 10)},
	}
	status, body := http.StatusOK, `{"results":[]}`
	if used > f.limit {
		f.over.Add(1)
		status, body = http.StatusTooManyRequests, `{"message":"rate limit exceeded"}`
	} else {
		f.ok.Add(1)
	}
	return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)), Request: r, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}, nil
}

// toUnixEra moves a synctest bubble's clock, which starts in 2000, past
// 2001-09-09, from when a X-RateLimit-Reset reads as Unix seconds rather
// than as a delay.
func toUnixEra() { time.Sleep(time.Until(time.Unix(1_000_000_000, 0))) }

// fleet runs 10 workers sharing one Client, hence one token, each making
// calls calls, and returns the answers with 429 and the (bubble) time taken.
func fleet(t *testing.T, pacing bool, calls int) (tooMany int32, took time.Duration, failed int32) {
	toUnixEra()
	api := &windowedAPI{limit: 20}
	opts := []Option{WithBaseURL("http://127.0.0.1:1"), WithHTTPClient(&http.Client{Transport: api}),
		WithRetryPolicy(RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 10 * time.Millisecond, MaxRetryAfter: 5 * time.Second, BudgetRatio: -1})}
	if pacing {
		opts = append(opts, WithPacing())
	}
	c, err := New(testToken, opts...)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var fails atomic.Int32
	start := time.Now()
	for range 10 {
		wg.Go(func() {
			for range calls {
				if _, err := Result[gen.OrganizationResponseList](c.API().ListOrganizationWithResponse(context.Background())); err != nil {
					fails.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if rl := c.RateLimit(); rl.Limit != 20 || rl.Observed.IsZero() || rl.Reset.IsZero() {
		t.Errorf("RateLimit() = %+v, want what the API last said", rl)
	}
	return api.over.Load(), time.Since(start), fails.Load()
}

// 10 workers, 200 calls, 20 allowed per second: with pacing, no answer is
// a 429; without it, many are. Time runs in a synctest bubble, so the
// seconds cost nothing.
func TestPacingAvoids429AcrossWorkers(t *testing.T) {
	realStart := time.Now()
	for _, pacing := range []bool{false, true} {
		synctest.Test(t, func(t *testing.T) {
			over, took, failed := fleet(t, pacing, 20)
			t.Logf("pacing %v: %d answers with 429, %d failed calls, %v of API time", pacing, over, failed, took)
			switch {
			case pacing && (over != 0 || failed != 0):
				t.Errorf("with pacing: %d answers with 429, %d failed calls; want 0 and 0", over, failed)
			case !pacing && over == 0:
				t.Errorf("without pacing: no 429; the test does not exercise the limit")
			}
		})
	}
	t.Logf("wall time for both runs: %v", time.Since(realStart))
}

func TestRateLimitRecordedWithoutPacing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		toUnixEra()
		api := &windowedAPI{limit: 5}
		c, _ := New(testToken, WithBaseURL("http://127.0.0.1:1"), WithHTTPClient(&http.Client{Transport: api}))
		if rl := c.RateLimit(); !rl.Observed.IsZero() {
			t.Fatalf("RateLimit() before any call = %+v, want zero", rl)
		}
		for range 3 {
			_, _ = Result[gen.OrganizationResponseList](c.API().ListOrganizationWithResponse(context.Background()))
		}
		rl := c.RateLimit()
		if rl.Limit != 5 || rl.Remaining != 2 || !rl.Reset.Equal(time.Now().Truncate(time.Second).Add(time.Second)) {
			t.Errorf("RateLimit() = %+v, want limit 5, 2 remaining, reset at the next second", rl)
		}
	})
}

// A call waiting for its turn returns at once when its context is
// cancelled. The reset is within MaxRetryAfter, so the call waits for it.
func TestPacingWaitEndsWithContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var calls atomic.Int32
		rt := rtFunc(func(r *http.Request) (*http.Response, error) {
			calls.Add(1)
			h := http.Header{"Content-Type": {"application/json"}, "X-Ratelimit-Limit": {"1000"}, "X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"30"}}
			return &http.Response{StatusCode: 200, Header: h, Body: io.NopCloser(strings.NewReader(`{"results":[]}`)), Request: r}, nil
		})
		c, _ := New(testToken, WithBaseURL("http://127.0.0.1:1"), WithHTTPClient(&http.Client{Transport: rt}), WithPacing())
		_, _ = Result[gen.OrganizationResponseList](c.API().ListOrganizationWithResponse(context.Background()))
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(10*time.Millisecond, cancel)
		start := time.Now()
		_, err := Result[gen.OrganizationResponseList](c.API().ListOrganizationWithResponse(ctx))
		if !errors.Is(err, context.Canceled) || time.Since(start) != 10*time.Millisecond || calls.Load() != 1 {
			t.Fatalf("err = %v after %v and %d requests; want context.Canceled at the cancellation, 1 request", err, time.Since(start), calls.Load())
		}
	})
}
