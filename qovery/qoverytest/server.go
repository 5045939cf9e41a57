package qoverytest

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qoverykit/qovery-go/internal/fixtures"
	"github.com/qoverykit/qovery-go/qovery"
)

// Server is a running fake Qovery API. Each Server has its own state, so
// tests using their own servers may run in parallel.
type Server struct {
	// URL is the base URL of the API, with its base path and no trailing
	// slash ("http://127.0.0.1:40123/api"), for clients other than the one
	// Client returns; they must send Token.
	URL string
	// World holds the IDs of the objects the server starts with; all are
	// empty with WithEmptyWorld.
	World World

	fake  *fixtures.Server
	t     testing.TB // nil for Start
	token string

	mu       sync.Mutex
	rejected []string
}

// Option configures a Server.
type Option func(*config)

type config struct {
	empty   bool
	steps   int
	token   string
	lenient bool
	// live holds the live API's behaviours asked for (behaviours.go).
	live []fixtures.Option
}

// WithEmptyWorld starts the server with nothing in it: add what the test
// needs with the Add methods.
func WithEmptyWorld() Option { return func(c *config) { c.empty = true } }

// WithSteps sets how many status reads each intermediate state of an
// action lasts. The default, 1, has a deploy answer QUEUED, the next read
// DEPLOYING and the one after DEPLOYED; 0 completes every action at once.
func WithSteps(n int) Option { return func(c *config) { c.steps = n } }

// WithToken sets the one token the server accepts, as "Token <token>" or
// "Bearer <token>"; it answers 401 to any other, and to a request without
// one. Without WithToken that token is "qoverytest-token". Client sends it,
// and Token returns it for a client built another way.
func WithToken(token string) Option { return func(c *config) { c.token = token } }

// WithInvalidRequests lets requests the spec rejects through without
// failing the test: they still get the 400 (or 401, 404, 405) the API
// would send. Use it to test how code handles those answers.
func WithInvalidRequests() Option { return func(c *config) { c.lenient = true } }

// NewServer starts a fake Qovery API for a test, seeded with the default
// World, and closes it when the test ends.
//
// A request the spec rejects fails t with t.Errorf, naming the operation,
// each offending field and why (unless WithInvalidRequests); so does a
// request the API description does not have, unless a route given to
// Handle serves it: the failure gives the Handle call to write.
func NewServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := start(t, opts)
	if err != nil {
		t.Fatalf("qoverytest: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// Start starts a fake Qovery API outside of a test, in an Example or a
// program that runs without an account. Call Close when done. Requests the
// spec rejects get the API's error answer; Rejected lists them.
func Start(opts ...Option) (*Server, error) {
	return start(nil, opts)
}

func start(t testing.TB, opts []Option) (*Server, error) {
	cfg := config{steps: 1, token: "qoverytest-token"}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	s := &Server{t: t, token: cfg.token}
	fopts := []fixtures.Option{
		fixtures.WithSteps(cfg.steps),
		fixtures.WithRequestLog(),
		fixtures.WithToken(cfg.token),
	}
	fopts = append(fopts, cfg.live...)
	if t != nil {
		fopts = append(fopts, fixtures.WithMismatchHandler(func(err error) {
			t.Errorf("qoverytest: the fake answered what the spec does not allow (a bug in qoverytest): %v", err)
		}))
	}
	fopts = append(fopts, fixtures.WithRejectHandler(func(r fixtures.Rejection) {
		s.mu.Lock()
		s.rejected = append(s.rejected, r.String())
		s.mu.Unlock()
		if t != nil && !cfg.lenient {
			t.Errorf("qoverytest: %s: %s", refusal(r), r)
		}
	}))
	fake, err := fixtures.Start(fopts...)
	if err != nil {
		return nil, errors.New(strings.TrimPrefix(err.Error(), "fixtures: "))
	}
	s.fake, s.URL = fake, fake.URL
	if !cfg.empty {
		s.World = s.seedWorld()
	}
	return s, nil
}

// Token is the one token the server accepts: "qoverytest-token", or the
// one given to WithToken. A client of URL other than Client's, such as
// qovery.New(srv.Token(), qovery.WithBaseURL(srv.URL)), must send it.
func (s *Server) Token() string { return s.token }

// Close stops the server. NewServer calls it when the test ends; calling
// it again does nothing.
func (s *Server) Close() { s.fake.Close() }

// Client returns a client of the server, authenticated with its token and
// tuned for tests:
//   - waits (c.Databases.Wait, c.Databases.Clone with WithDeploy, ...) poll
//     every 1-5 ms and give up after 5 s;
//   - retries back off 1-5 ms, with no retry budget, four attempts a call;
//   - the Retry-After and X-RateLimit-Reset headers of this server read as
//     "now", so a TooManyRequests fault costs milliseconds, not the seconds
//     it announces. Other clients, through URL, see the headers as sent.
//
// opts come after these settings and override them; a WithRetryPolicy or
// WithWaitPolicy given here replaces the whole policy (its zero fields take
// the qovery defaults, in seconds).
func (s *Server) Client(opts ...qovery.Option) *qovery.Client {
	base := []qovery.Option{
		qovery.WithBaseURL(s.URL),
		qovery.WithHTTPClient(&http.Client{Transport: nowRetry{next: s.fake.Client().Transport}}),
		qovery.WithRetryPolicy(qovery.RetryPolicy{
			BaseDelay:   time.Millisecond,
			MaxDelay:    5 * time.Millisecond,
			BudgetRatio: -1,
		}),
		qovery.WithWaitPolicy(qovery.WaitPolicy{
			MinInterval: time.Millisecond,
			MaxInterval: 5 * time.Millisecond,
			Timeout:     5 * time.Second,
		}),
		qovery.WithUserAgent("qoverytest"),
	}
	c, err := qovery.New(s.token, append(base, opts...)...)
	if err != nil {
		s.fatalf("building a client: %v", err)
	}
	return c
}

// nowRetry is the transport under the test client's retries: it reads the
// server's announced waits as zero, so that retries follow the policy's
// millisecond backoff.
type nowRetry struct{ next http.RoundTripper }

func (n nowRetry) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := n.next.RoundTrip(r)
	if resp != nil && resp.Header.Get("Retry-After") != "" {
		resp.Header.Set("Retry-After", "0")
	}
	if resp != nil && resp.Header.Get("X-Ratelimit-Reset") != "" {
		resp.Header.Set("X-Ratelimit-Reset", "0")
	}
	return resp, err
}

// refusal says what is wrong with a refused request: the API would refuse
// it, or the API description does not have it, which Handle remedies.
func refusal(r fixtures.Rejection) string {
	if r.OperationID == "" {
		return "a request outside the API description"
	}
	return "the API would refuse this request"
}

// fatalf fails the test, or panics outside of one: it is called only for a
// mistake in the test itself (an unknown operation, a missing object).
func (s *Server) fatalf(format string, args ...any) {
	msg := "qoverytest: " + fmt.Sprintf(format, args...)
	if s.t != nil {
		s.t.Helper()
		s.t.Fatal(msg)
	}
	panic(msg)
}

// checkOperation fails the test when the spec has no such operation,
// suggesting the names it might have meant, and when id, written as a
// route, names none given to Handle.
func (s *Server) checkOperation(id string) {
	if s.t != nil {
		s.t.Helper()
	}
	if isRouteKey(id) {
		s.checkRoute(id)
		return
	}
	if _, _, ok := fixtures.Operation(id); ok {
		return
	}
	near := nearOperations(id)
	hint := ""
	if len(near) > 0 {
		hint = "; did you mean " + strings.Join(near, ", ") + "?"
	}
	s.fatalf("the API has no operation %q (operations are named by their operationId, as in the spec)%s", id, hint)
}

// Rejected returns the requests the server refused because the API would
// not accept them, one text a request: the operation, then each field and
// why. With NewServer each of them has also failed the test, unless
// WithInvalidRequests was given.
func (s *Server) Rejected() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.rejected...)
}
