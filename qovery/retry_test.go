package qovery

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/qoverykit/qovery-go/gen"
)

func TestRetryIdempotentMethodsOnRetryableStatus(t *testing.T) {
	for _, method := range []string{http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete} {
		for _, code := range []int{429, 502, 503, 504} {
			t.Run(fmt.Sprintf("%s/%d", method, code), func(t *testing.T) {
				h := &counter{script: []int{code, code, 200}}
				c, _ := newTestClient(t, serve(t, h).URL)
				resp, err := do(t, c, context.Background(), method, "/organization", nil)
				if err != nil {
					t.Fatal(err)
				}
				if resp.StatusCode != 200 || h.hits.Load() != 3 {
					t.Fatalf("status %d after %d hits, want 200 after 3", resp.StatusCode, h.hits.Load())
				}
			})
		}
	}
}

func TestRetryGivesUpAfterMaxAttempts(t *testing.T) {
	h := &counter{script: []int{503}}
	c, _ := newTestClient(t, serve(t, h).URL)
	_, err := Result[gen.OrganizationResponseList](c.API().ListOrganizationWithResponse(context.Background()))
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 503 || ae.Attempts != 4 {
		t.Fatalf("err = %v, want a 503 *APIError after 4 attempts", err)
	}
	if h.hits.Load() != 4 {
		t.Fatalf("%d hits, want 4", h.hits.Load())
	}
	assertNoToken(t, err)
}

func TestPOSTAnswered502ReachesServerOnce(t *testing.T) {
	h := &counter{script: []int{502, 200}}
	c, _ := newTestClient(t, serve(t, h).URL)
	_, err := Result[gen.OrganizationResponse](c.API().CreateOrganizationWithResponse(context.Background(),
		gen.CreateOrganizationJSONRequestBody{Name: "acme", Plan: "FREE"}))
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 502 || ae.Method != "POST" || ae.Attempts != 1 {
		t.Fatalf("err = %v, want a 502 *APIError for POST after 1 attempt", err)
	}
	if h.hits.Load() != 1 {
		t.Fatalf("POST reached the server %d times, want exactly once", h.hits.Load())
	}
}

func TestPOSTAndPATCHNotRetriedWhenMaybeProcessed(t *testing.T) {
	for _, method := range []string{http.MethodPost, http.MethodPatch} {
		for _, code := range []int{500, 502, 503, 504} {
			t.Run(fmt.Sprintf("%s/%d", method, code), func(t *testing.T) {
				h := &counter{script: []int{code, 200}}
				c, _ := newTestClient(t, serve(t, h).URL)
				resp, err := do(t, c, context.Background(), method, "/organization", strings.NewReader(`{"name":"x"}`))
				if err != nil {
					t.Fatal(err)
				}
				if resp.StatusCode != code || h.hits.Load() != 1 {
					t.Fatalf("status %d after %d hits, want %d after 1", resp.StatusCode, h.hits.Load(), code)
				}
			})
		}
	}
}

func TestPOSTRetriedOn429(t *testing.T) {
	h := &counter{script: []int{429, 201}, body: `{"name":"acme"}`}
	c, _ := newTestClient(t, serve(t, h).URL)
	_, err := Result[gen.OrganizationResponse](c.API().CreateOrganizationWithResponse(context.Background(),
		gen.CreateOrganizationJSONRequestBody{Name: "acme", Plan: "FREE"}))
	if err != nil {
		t.Fatal(err)
	}
	if h.hits.Load() != 2 {
		t.Fatalf("%d hits, want 2", h.hits.Load())
	}
}

func TestPOSTRetriedWhenSurelyNotSent(t *testing.T) {
	notSent := map[string]error{
		"connection refused": &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)},
		"dns":                &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "api.invalid", IsNotFound: true}},
		"dial timeout":       &net.OpError{Op: "dial", Net: "tcp", Err: timeoutErr{}},
		"tls handshake":      fmt.Errorf("handshake: %w", tls.AlertError(40)),
	}
	for name, fail := range notSent {
		t.Run(name, func(t *testing.T) {
			h := &counter{script: []int{200}}
			srv := serve(t, h)
			var calls atomic.Int32
			rt := rtFunc(func(r *http.Request) (*http.Response, error) {
				if calls.Add(1) == 1 {
					if tr := httptrace.ContextClientTrace(r.Context()); name == "tls handshake" && tr != nil && tr.TLSHandshakeDone != nil {
						tr.TLSHandshakeDone(tls.ConnectionState{}, fail) // as net/http reports a failed handshake
					}
					return nil, fail
				}
				return http.DefaultTransport.RoundTrip(r)
			})
			c, _ := newTestClient(t, srv.URL, WithHTTPClient(&http.Client{Transport: rt}))
			resp, err := do(t, c, context.Background(), http.MethodPost, "/organization", strings.NewReader(`{}`))
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("resp %v, err %v; want 200", resp, err)
			}
			if calls.Load() != 2 || h.hits.Load() != 1 {
				t.Fatalf("%d attempts, %d hits; want 2 and 1", calls.Load(), h.hits.Load())
			}
		})
	}
}

// A real refused connection, not a simulated one.
func TestPOSTRetriedOnRealConnectionRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	rt := &countingRT{next: http.DefaultTransport}
	c, _ := newTestClient(t, "http://"+addr, WithHTTPClient(&http.Client{Transport: rt}))
	_, err = do(t, c, context.Background(), http.MethodPost, "/organization", strings.NewReader(`{}`))
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("err = %v, want connection refused", err)
	}
	if rt.n.Load() != 4 {
		t.Fatalf("%d attempts, want 4", rt.n.Load())
	}
}

func TestConnectionResetRetriedForGETOnly(t *testing.T) {
	var hits atomic.Int32
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				if tc, ok := conn.(*net.TCPConn); ok {
					_ = tc.SetLinger(0) // send RST
				}
				_ = conn.Close()
			}
			return
		}
		w.WriteHeader(200)
	}))
	c, _ := newTestClient(t, srv.URL)

	resp, err := do(t, c, context.Background(), http.MethodGet, "/organization", nil)
	if err != nil || resp.StatusCode != 200 || hits.Load() != 2 {
		t.Fatalf("GET: resp %v err %v after %d hits; want 200 after 2", resp, err, hits.Load())
	}

	hits.Store(0)
	_, err = do(t, c, context.Background(), http.MethodPost, "/organization", strings.NewReader(`{}`))
	if err == nil || hits.Load() != 1 {
		t.Fatalf("POST: err %v after %d hits; want an error after 1", err, hits.Load())
	}
}

func TestWithIdempotentRetriesPOST(t *testing.T) {
	h := &counter{script: []int{503, 502, 200}}
	c, _ := newTestClient(t, serve(t, h).URL)
	resp, err := do(t, c, WithIdempotent(context.Background()), http.MethodPost, "/organization", strings.NewReader(`{}`))
	if err != nil || resp.StatusCode != 200 || h.hits.Load() != 3 {
		t.Fatalf("resp %v err %v after %d hits; want 200 after 3", resp, err, h.hits.Load())
	}
}

func TestNeverRetriedStatuses(t *testing.T) {
	for _, code := range []int{400, 401, 403, 404, 405, 409, 422, 500, 501} {
		t.Run(strconv.Itoa(code), func(t *testing.T) {
			h := &counter{script: []int{code, 200}}
			c, _ := newTestClient(t, serve(t, h).URL)
			resp, err := do(t, c, context.Background(), http.MethodGet, "/organization", nil)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != code || h.hits.Load() != 1 {
				t.Fatalf("status %d after %d hits, want %d after 1", resp.StatusCode, h.hits.Load(), code)
			}
		})
	}
}

func TestCertificateErrorNotRetried(t *testing.T) {
	h := &counter{script: []int{200}}
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	rt := &countingRT{next: http.DefaultTransport} // does not trust the test CA
	c, _ := newTestClient(t, srv.URL, WithHTTPClient(&http.Client{Transport: rt}))
	_, err := do(t, c, context.Background(), http.MethodGet, "/organization", nil)
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("err = %v, want a certificate error", err)
	}
	if rt.n.Load() != 1 || h.hits.Load() != 0 {
		t.Fatalf("%d attempts, %d hits; want 1 and 0", rt.n.Load(), h.hits.Load())
	}
}

func TestCancelledContextNotRetried(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var hits atomic.Int32
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		cancel()
		w.WriteHeader(503)
	}))
	c, _ := newTestClient(t, srv.URL)
	_, err := do(t, c, ctx, http.MethodGet, "/organization", nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if hits.Load() != 1 {
		t.Fatalf("%d hits, want 1", hits.Load())
	}
}

func TestAttemptTimeoutRetriedForGETNotPOST(t *testing.T) {
	var hits atomic.Int32
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // lets the server notice the client leave
		if hits.Add(1) == 1 {
			select { // hang past the attempt timeout
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return
		}
		w.WriteHeader(200)
	}))
	p := fastPolicy()
	p.AttemptTimeout = 100 * time.Millisecond
	c, _ := newTestClient(t, srv.URL, WithRetryPolicy(p))

	resp, err := do(t, c, context.Background(), http.MethodGet, "/organization", nil)
	if err != nil || resp.StatusCode != 200 || hits.Load() != 2 {
		t.Fatalf("GET: resp %v err %v after %d hits; want 200 after 2", resp, err, hits.Load())
	}

	hits.Store(0)
	start := time.Now()
	_, err = do(t, c, context.Background(), http.MethodPost, "/organization", strings.NewReader(`{}`))
	if err == nil || hits.Load() != 1 {
		t.Fatalf("POST: err %v after %d hits; want a timeout after 1", err, hits.Load())
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("POST: err = %v, want a timeout", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Fatalf("POST took %s", time.Since(start))
	}
}

func TestBackoffIsFullJitterWithCap(t *testing.T) {
	p := RetryPolicy{BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}.withDefaults()
	for n := 1; n <= 40; n++ {
		ceiling := min(p.BaseDelay<<min(n-1, 20), p.MaxDelay)
		var maxSeen time.Duration
		for range 500 {
			d := p.backoff(n)
			if d < 0 || d >= ceiling {
				t.Fatalf("backoff(%d) = %s, want in [0, %s)", n, d, ceiling)
			}
			maxSeen = max(maxSeen, d)
		}
		if maxSeen < ceiling/2 {
			t.Fatalf("backoff(%d) never went above %s of %s: not jittered over the full range", n, maxSeen, ceiling)
		}
	}
}

func TestServerWaitParsing(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := []struct {
		name    string
		header  http.Header
		reset   bool
		want    time.Duration
		present bool
	}{
		{"seconds", http.Header{"Retry-After": {"7"}}, true, 7 * time.Second, true},
		{"http date", http.Header{"Retry-After": {now.Add(90 * time.Second).Format(http.TimeFormat)}}, true, 90 * time.Second, true},
		{"date in the past", http.Header{"Retry-After": {now.Add(-time.Hour).Format(http.TimeFormat)}}, true, 0, true},
		{"reset as unix time", http.Header{"X-Ratelimit-Reset": {strconv.FormatInt(now.Add(30*time.Minute).Unix(), 10)}}, true, 30 * time.Minute, true},
		{"reset as delta", http.Header{"X-Ratelimit-Reset": {"12"}}, true, 12 * time.Second, true},
		{"reset ignored off 429", http.Header{"X-Ratelimit-Reset": {"12"}}, false, 0, false},
		{"retry-after wins", http.Header{"Retry-After": {"2"}, "X-Ratelimit-Reset": {"50"}}, true, 2 * time.Second, true},
		{"garbage", http.Header{"Retry-After": {"soon"}}, true, 0, false},
		{"negative", http.Header{"Retry-After": {"-5"}}, true, 0, false},
		{"beyond uint64: past any clamp", http.Header{"Retry-After": {"99999999999999999999999"}}, true, 100 * 365 * 24 * time.Hour, true},
		{"huge but parseable", http.Header{"Retry-After": {"18446744073709551615"}}, true, 100 * 365 * 24 * time.Hour, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := serverWait(tc.header, now, tc.reset)
			if got != tc.want || ok != tc.present {
				t.Fatalf("serverWait = %s, %v; want %s, %v", got, ok, tc.want, tc.present)
			}
		})
	}
}

// TestRetryAfterHonoured runs in a testing/synctest bubble, on an
// in-memory network: the server's delay passes on the bubble's clock, so
// the test waits for it in no real time.
func TestRetryAfterHonoured(t *testing.T) {
	for name, value := range map[string]func() string{
		"seconds":   func() string { return "1" },
		"http date": func() string { return time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat) },
	} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var hits atomic.Int32
				mem := serveMem(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if hits.Add(1) == 1 {
						w.Header().Set("Retry-After", value())
						w.WriteHeader(429)
						return
					}
					w.WriteHeader(200)
				}), &connCounter{})
				tr := memTransport(mem, &connCounter{})
				t.Cleanup(tr.CloseIdleConnections)
				c, _ := newTestClient(t, memBaseURL, WithHTTPClient(&http.Client{Transport: tr}))
				start := time.Now()
				resp, err := do(t, c, context.Background(), http.MethodGet, "/organization", nil)
				if err != nil || resp.StatusCode != 200 {
					t.Fatalf("resp %v err %v", resp, err)
				}
				// An HTTP date has one-second resolution: "in 2s" may be 1.0x s.
				if el := time.Since(start); el < 900*time.Millisecond || el > 4*time.Second {
					t.Fatalf("retried after %s, want about the server's delay", el)
				}
			})
		})
	}
}

func TestRetryAfterBeyondClampReturnsResetTime(t *testing.T) {
	reset := time.Now().Add(time.Hour).Truncate(time.Second)
	for name, h := range map[string]http.Header{
		"retry-after":       {"Retry-After": {"3600"}},
		"x-ratelimit-reset": {"X-Ratelimit-Reset": {strconv.FormatInt(reset.Unix(), 10)}, "X-Ratelimit-Remaining": {"0"}},
	} {
		t.Run(name, func(t *testing.T) {
			cnt := &counter{script: []int{429, 200}, header: h, body: `{"message":"rate limit exceeded"}`}
			c, _ := newTestClient(t, serve(t, cnt).URL)
			start := time.Now()
			_, err := Result[gen.OrganizationResponseList](c.API().ListOrganizationWithResponse(context.Background()))
			if time.Since(start) > time.Second {
				t.Fatalf("slept %s instead of returning", time.Since(start))
			}
			var ae *APIError
			if !errors.As(err, &ae) || !IsRateLimited(err) {
				t.Fatalf("err = %v, want a rate-limit *APIError", err)
			}
			if d := ae.RetryAt.Sub(reset); d < -2*time.Second || d > 2*time.Second {
				t.Fatalf("RetryAt = %s, want about %s", ae.RetryAt, reset)
			}
			if cnt.hits.Load() != 1 || ae.Message != "rate limit exceeded" {
				t.Fatalf("%d hits, message %q", cnt.hits.Load(), ae.Message)
			}
			if !strings.Contains(err.Error(), "retry at") {
				t.Fatalf("error %q does not tell when to retry", err)
			}
		})
	}
}

func TestRetryBudgetBoundsLoadUnderOutage(t *testing.T) {
	h := &counter{script: []int{503}}
	p := fastPolicy()
	p.BudgetRatio, p.BudgetBurst = 0.2, 2
	c, logs := newTestClient(t, serve(t, h).URL, WithRetryPolicy(p))
	const calls = 200
	for range calls {
		resp, err := do(t, c, context.Background(), http.MethodGet, "/organization", nil)
		if err != nil || resp.StatusCode != 503 {
			t.Fatalf("resp %v err %v", resp, err)
		}
	}
	hits := int(h.hits.Load())
	if limit := calls + max(2, int(0.2*calls)); hits > limit {
		t.Fatalf("%d attempts for %d calls, want at most %d", hits, calls, limit)
	}
	if hits <= calls {
		t.Fatalf("%d attempts for %d calls: the budget allowed no retry at all", hits, calls)
	}
	if !strings.Contains(logs.String(), "retry budget exhausted") {
		t.Fatal("budget exhaustion was not logged")
	}
	t.Logf("sustained 503: %d calls, %d attempts (%.2fx)", calls, hits, float64(hits)/calls)
}

func TestBudgetRefillsWithCalls(t *testing.T) {
	b := newBudget(0.5, 1)
	if !b.withdraw() || b.withdraw() {
		t.Fatal("a budget of burst 1 should allow exactly one retry")
	}
	b.deposit()
	b.deposit() // these two calls repay the initial retry
	if b.withdraw() {
		t.Fatal("the advance was not repaid before earning")
	}
	b.deposit()
	if b.withdraw() {
		t.Fatal("half a retry was spent as a whole one")
	}
	b.deposit()
	if !b.withdraw() {
		t.Fatal("two deposits of 0.5 should pay for a retry")
	}
	for range 10 {
		b.deposit()
	}
	if !b.withdraw() || b.withdraw() {
		t.Fatal("savings exceeded the burst")
	}
	var nilBudget *budget
	if !nilBudget.withdraw() {
		t.Fatal("a disabled budget must allow retries")
	}
}

func TestBudgetBoundIsMaxOfBurstAndRatio(t *testing.T) {
	for _, calls := range []int{1, 10, 49, 50, 51, 200, 2000} {
		b := newBudget(0.2, 10)
		retries := 0
		for range calls {
			b.deposit()
			for range 3 { // every call wants three retries
				if b.withdraw() {
					retries++
				}
			}
		}
		if limit := max(10, int(0.2*float64(calls))); retries > limit {
			t.Errorf("%d calls: %d retries, want at most %d", calls, retries, limit)
		}
	}
}

func TestEveryAttemptSendsTheSameBody(t *testing.T) {
	var mu sync.Mutex
	var bodies []string
	var hits atomic.Int32
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
		if hits.Add(1) < 3 {
			w.WriteHeader(503)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"name":"acme"}`)
	}))
	c, _ := newTestClient(t, srv.URL)

	check := func(name string) {
		t.Helper()
		mu.Lock()
		defer mu.Unlock()
		if len(bodies) != 3 || bodies[0] == "" || bodies[0] != bodies[1] || bodies[1] != bodies[2] {
			t.Fatalf("%s: bodies sent = %q, want three identical non-empty ones", name, bodies)
		}
		bodies, _ = nil, hits.Swap(0)
	}

	// Generated client: the body has GetBody.
	id := mustUUID(t, "6f1c7d39-8d57-4d6a-9a3b-2c1e0f9b8a77")
	if _, err := Result[gen.OrganizationResponse](c.API().EditOrganizationWithResponse(context.Background(), id,
		gen.EditOrganizationJSONRequestBody{Name: "acme"})); err != nil {
		t.Fatal(err)
	}
	check("PUT via API")

	// A body without GetBody is buffered once.
	if _, err := do(t, c, context.Background(), http.MethodPut, "/organization/x", io.NopCloser(strings.NewReader(`{"n":1}`))); err != nil {
		t.Fatal(err)
	}
	check("PUT without GetBody")
}

// trackedBody records how a discarded body was treated.
type trackedBody struct {
	r      io.Reader
	read   atomic.Int64
	closed atomic.Bool
}

func (b *trackedBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.read.Add(int64(n))
	return n, err
}
func (b *trackedBody) Close() error { b.closed.Store(true); return nil }

func TestDiscardedBodiesDrainedAndClosed(t *testing.T) {
	var bodies []*trackedBody
	var mu sync.Mutex
	rt := rtFunc(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		defer mu.Unlock()
		size := 100
		if len(bodies) == 1 {
			size = 10 << 20 // a huge body is drained only partly, then closed
		}
		b := &trackedBody{r: io.LimitReader(zeroReader{}, int64(size))}
		bodies = append(bodies, b)
		code := 503
		if len(bodies) == 3 {
			code = 200
		}
		return &http.Response{StatusCode: code, Header: http.Header{}, Body: b, Request: r}, nil
	})
	c, _ := newTestClient(t, "http://127.0.0.1:1", WithHTTPClient(&http.Client{Transport: rt}))
	if _, err := do(t, c, context.Background(), http.MethodGet, "/organization", nil); err != nil {
		t.Fatal(err)
	}
	if len(bodies) != 3 {
		t.Fatalf("%d attempts, want 3", len(bodies))
	}
	if !bodies[0].closed.Load() || bodies[0].read.Load() != 100 {
		t.Fatalf("small discarded body: read %d, closed %v", bodies[0].read.Load(), bodies[0].closed.Load())
	}
	if !bodies[1].closed.Load() || bodies[1].read.Load() > maxDrain {
		t.Fatalf("huge discarded body: read %d, closed %v", bodies[1].read.Load(), bodies[1].closed.Load())
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func TestCancelDuringBackoffIsPrompt(t *testing.T) {
	// Retry-After keeps the wait long whatever the jitter draws.
	h := &counter{script: []int{503}, header: http.Header{"Retry-After": {"3"}}}
	p := fastPolicy()
	p.BaseDelay, p.MaxDelay = 10*time.Second, 10*time.Second
	c, _ := newTestClient(t, serve(t, h).URL, WithRetryPolicy(p))

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := Result[gen.OrganizationResponseList](c.API().ListOrganizationWithResponse(ctx))
	if el := time.Since(start); el > 500*time.Millisecond {
		t.Fatalf("returned %s after cancel", el)
	}
	if !errors.Is(err, ctx.Err()) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want one matching ctx.Err()", err)
	}
	assertNoToken(t, err)
}

func TestCancelDuringRequestIsPrompt(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	c, _ := newTestClient(t, srv.URL)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := Result[gen.OrganizationResponseList](c.API().ListOrganizationWithResponse(ctx))
	if el := time.Since(start); el > 500*time.Millisecond {
		t.Fatalf("returned %s after cancel", el)
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestDeadlineBeforeNextAttemptReturnsLastResponse(t *testing.T) {
	h := &counter{script: []int{503}, header: http.Header{"Retry-After": {"3"}}}
	c, _ := newTestClient(t, serve(t, h).URL)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	start := time.Now()
	_, err := Result[gen.OrganizationResponseList](c.API().ListOrganizationWithResponse(ctx))
	if el := time.Since(start); el > 500*time.Millisecond {
		t.Fatalf("waited %s for a retry the deadline forbids", el)
	}
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 503 || h.hits.Load() != 1 {
		t.Fatalf("err = %v after %d hits, want the 503 after 1", err, h.hits.Load())
	}
}

func TestErrorBodyReadUpToOneMiB(t *testing.T) {
	huge := bytes.Repeat([]byte("x"), 5<<20)
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(404)
		_, _ = w.Write(huge)
	}))
	c, _ := newTestClient(t, srv.URL)
	_, err := Result[gen.OrganizationResponseList](c.API().ListOrganizationWithResponse(context.Background()))
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 404 {
		t.Fatalf("err = %v, want a 404 *APIError", err)
	}
	if len(ae.Body) != maxErrorBody {
		t.Fatalf("kept %d bytes of the error body, want %d", len(ae.Body), maxErrorBody)
	}
	if len(ae.Message) > 400 {
		t.Fatalf("message of %d bytes", len(ae.Message))
	}
}

func TestRetriesAreLogged(t *testing.T) {
	h := &counter{script: []int{503, 200}}
	c, logs := newTestClient(t, serve(t, h).URL)
	it := c.Backups.ListIter(context.Background(), "6f1c7d39-8d57-4d6a-9a3b-2c1e0f9b8a77", nil)
	for _, err := range it {
		if err != nil {
			t.Fatal(err)
		}
	}
	out := logs.String()
	for _, want := range []string{"method=GET", "attempt=1", "status=503", "retry_in=", "attempt=2", "status=200", "/database/6f1c7d39-8d57-4d6a-9a3b-2c1e0f9b8a77/backup "} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Authorization") || strings.Contains(out, "authorization=") {
		t.Errorf("log mentions the Authorization header:\n%s", out)
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }
