package qovery

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
)

// testToken is the credential every test client uses; no log line, error
// or printed value may contain it.
const testToken = "qvtok-5ecr3t-7f3a9c1d"

// syncBuffer collects log output from concurrent requests.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// fastPolicy retries with millisecond delays and no budget, so that tests
// of the retry rules run quickly and deterministically.
func fastPolicy() RetryPolicy {
	return RetryPolicy{
		MaxAttempts:   4,
		BaseDelay:     time.Millisecond,
		MaxDelay:      4 * time.Millisecond,
		MaxRetryAfter: 5 * time.Second,
		BudgetRatio:   -1,
	}
}

var loggedURL = regexp.MustCompile(`url=(\S+)`)

// newTestClient builds a client for baseURL that logs at debug level into a
// buffer, and checks when the test ends that the log holds neither the
// token nor a URL with a query string.
func newTestClient(t *testing.T, baseURL string, opts ...Option) (*Client, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	all := append([]Option{
		WithBaseURL(baseURL),
		WithLogger(logger),
		WithRetryPolicy(fastPolicy()),
		WithWaitPolicy(WaitPolicy{MinInterval: time.Millisecond, MaxInterval: 5 * time.Millisecond, Timeout: 5 * time.Second, ListGrace: 20 * time.Millisecond}),
	}, opts...)
	c, err := New(testToken, all...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		out := logs.String()
		if strings.Contains(out, testToken) {
			t.Errorf("the token appears in the log:\n%s", out)
		}
		for _, m := range loggedURL.FindAllStringSubmatch(out, -1) {
			if strings.ContainsAny(m[1], "?#") {
				t.Errorf("logged URL %q carries a query string", m[1])
			}
		}
	})
	return c, logs
}

// assertNoToken fails if any printed form of v contains the token.
func assertNoToken(t *testing.T, v any) {
	t.Helper()
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		if s := fmt.Sprintf(verb, v); strings.Contains(s, testToken) {
			t.Errorf("%s of %T reveals the token: %s", verb, v, s)
		}
	}
	if err, ok := v.(error); ok && err != nil && strings.Contains(err.Error(), testToken) {
		t.Errorf("error reveals the token: %v", err)
	}
}

// do sends a request through the client's HTTP stack, as the generated
// client does, but without it: the transport adds the credential.
func do(t *testing.T, c *Client, ctx context.Context, method, path string, body io.Reader) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, method, c.BaseURL()+path, body)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.http.Do(req)
	if err == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
	}
	assertNoToken(t, err)
	return resp, err
}

// counter is an http.Handler that counts requests and answers each with
// the next status of a script (the last one repeats).
type counter struct {
	hits   atomic.Int32
	script []int
	header http.Header
	body   string
}

func (h *counter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := int(h.hits.Add(1))
	_, _ = io.Copy(io.Discard, r.Body)
	code := h.script[min(n, len(h.script))-1]
	for k, v := range h.header {
		w.Header()[k] = v
	}
	body := h.body
	if code < 300 && body == "" {
		body = `{"results":[]}`
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_, _ = io.WriteString(w, body)
}

func serve(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// countingRT counts the attempts the retry layer makes.
type countingRT struct {
	n    atomic.Int32
	next http.RoundTripper
}

func (c *countingRT) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(r)
}

// rtFunc adapts a function to http.RoundTripper.
type rtFunc func(*http.Request) (*http.Response, error)

func (f rtFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func mustUUID(t *testing.T, s string) uuid.UUID {
	t.Helper()
	id, err := uuid.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
