package qovery

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qoverykit/qovery-go/gen"
)

// Every request that reaches the server counts against MaxAttempts, the
// ones net/http's HTTP/2 transport would send again on its own included: a
// server that resets every stream with PROTOCOL_ERROR sees at most
// MaxAttempts requests per call, whatever the method.
func TestHTTP2ServerSeesAtMostMaxAttempts(t *testing.T) {
	for _, maxAttempts := range []int{1, 3} {
		for _, method := range []string{http.MethodGet, http.MethodPut, http.MethodDelete, http.MethodHead} {
			t.Run(fmt.Sprintf("%s/MaxAttempts=%d", method, maxAttempts), func(t *testing.T) {
				h := newRawH2(t, func(int) uint32 { return h2ProtocolError })
				rt := &countingRT{next: h.srv.Client().Transport}
				p := fastPolicy()
				p.MaxAttempts = maxAttempts
				c, _ := newTestClient(t, h.srv.URL, WithHTTPClient(&http.Client{Transport: rt}), WithRetryPolicy(p))
				// Long enough for the HTTP/2 transport's own resends, which
				// back off from 1 ms up to a second.
				ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
				defer cancel()
				var body io.Reader
				if method == http.MethodPut {
					body = strings.NewReader(`{"name":"n"}`)
				}
				_, err := do(t, c, ctx, method, "/organization", body)
				if err == nil {
					t.Fatal("the call succeeded; want an error")
				}
				time.Sleep(20 * time.Millisecond) // let a resend, if any, arrive
				t.Logf("the server received %d requests", h.requests.Load())
				if n := int(h.requests.Load()); n > maxAttempts {
					t.Errorf("the server received %d requests for one call", n)
				}
				if n := int(rt.n.Load()); n != maxAttempts {
					t.Errorf("%d attempts, want %d (err: %v)", n, maxAttempts, err)
				}
			})
		}
	}
}

// A RoundTripper that returns neither a response nor an error is broken:
// the call fails with an error saying so, at once, and never panics.
func TestNilResponseWithoutErrorIsAnError(t *testing.T) {
	var n atomic.Int32
	rt := rtFunc(func(*http.Request) (*http.Response, error) {
		n.Add(1)
		return nil, nil //nolint:nilnil // the broken transport under test
	})
	c, _ := newTestClient(t, "http://127.0.0.1:1", WithHTTPClient(&http.Client{Transport: rt}))
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		n.Store(0)
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("%s: panic: %v", method, p)
				}
			}()
			_, err := do(t, c, context.Background(), method, "/organization", nil)
			if err == nil || !strings.Contains(err.Error(), "neither a response nor an error") {
				t.Errorf("%s: err = %v, want the broken transport named", method, err)
			}
			if n.Load() != 1 {
				t.Errorf("%s: %d attempts, want 1: a broken transport is not retried", method, n.Load())
			}
		}()
	}
	if _, err := c.Databases.Get(context.Background(), someDB); err == nil {
		t.Error("Databases.Get through a broken transport returned no error")
	}
}

// Any limit a user can pass works: one near math.MaxInt64 does not
// overflow into a limit that lets nothing through.
func TestMaxResponseBodyAnyValue(t *testing.T) {
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"results":[{"id":"`+someDB+`","name":"org"}]}`)
	}))
	gz, _ := gzipServer(t, gzipped(t, 1<<10))
	for _, limit := range []int64{math.MaxInt64, math.MaxInt64 - 1, 1 << 62, 1 << 40} {
		for name, url := range map[string]string{"plain": srv.URL, "gzip": gz} {
			c, _ := newTestClient(t, url, WithMaxResponseBody(limit))
			_, err := Result[gen.OrganizationResponseList](c.API().ListOrganizationWithResponse(context.Background()))
			if err != nil {
				t.Errorf("limit %d, %s answer: %v", limit, name, err)
			}
		}
	}
}

// The limit bounds the memory a success body takes, whatever the limit:
// an answer inflating far past it costs about twice the limit in
// allocations, not the doubling of a buffer past the limit.
func TestInflatingAnswerMemoryBoundedByTheLimit(t *testing.T) {
	srv, _ := gzipServer(t, gzipped(t, 64<<20))
	for _, limit := range []int64{1 << 20, 5 << 20, 16 << 20} {
		c, _ := newTestClient(t, srv, WithMaxResponseBody(limit))
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := Result[gen.OrganizationResponseList](c.API().ListOrganizationWithResponse(context.Background()))
		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrResponseTooLarge) {
			t.Fatalf("limit %d MiB: err = %v, want ErrResponseTooLarge", limit>>20, err)
		}
		alloc := int64(after.TotalAlloc - before.TotalAlloc)
		t.Logf("limit %d MiB: the call allocated %.1f MiB", limit>>20, float64(alloc)/(1<<20))
		if alloc > 2*limit+1<<20 {
			t.Errorf("limit %d MiB: the call allocated %.1f MiB, more than twice the limit and 1 MiB", limit>>20, float64(alloc)/(1<<20))
		}
	}
}
