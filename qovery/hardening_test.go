package qovery

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/qoverykit/qovery-go/gen"
	"github.com/qoverykit/qovery-go/internal/fixtures"
)

func TestHardeningPlainHTTPRefusedOffLoopback(t *testing.T) {
	refused := []string{
		"http://api.qovery.com",
		"http://api.qovery.com:80/api",
		"HTTP://api.qovery.com",
		"http://10.0.0.7:8080",
		"http://192.168.1.10",
		"http://[2001:db8::1]:8080",
		"http://0.0.0.0:8080",
		"http://localhost.example.com",
		"http://127.0.0.1.nip.io",
		"http://localhost@api.qovery.com",
		"http://[::ffff:10.0.0.1]",
	}
	for _, base := range refused {
		_, err := New(testToken, WithBaseURL(base))
		if err == nil {
			t.Errorf("New(%q) accepted a plain http:// URL off the loopback interface", base)
			continue
		}
		checkPrinted(t, "refusal of "+base, err, testToken)
		// The explicit opt-in is the only way through (user information
		// in the URL stays refused either way).
		if !strings.Contains(base, "@") {
			if _, err := New(testToken, WithBaseURL(base), WithInsecureHTTP()); err != nil {
				t.Errorf("New(%q, WithInsecureHTTP()) = %v", base, err)
			}
		}
	}
	for _, base := range []string{
		"http://127.0.0.1:8080/api",
		"http://127.8.9.10",
		"http://[::1]:8080",
		"http://localhost:3000",
		"http://LOCALHOST",
		"https://api.qovery.com",
		"https://10.0.0.7:8443",
	} {
		if _, err := New(testToken, WithBaseURL(base)); err != nil {
			t.Errorf("New(%q) = %v", base, err)
		}
	}
}

// TestHardeningTokenStaysOnAPIHost redirects every kind of call to another
// host through the fake's redirect fault, with each redirect status, and
// checks that the other host never saw the credential while the API did.
func TestHardeningTokenStaysOnAPIHost(t *testing.T) {
	fake := fixtures.NewServer(t, fixtures.WithToken(testToken))
	ids := fake.Seed()
	c, logs := newTestClient(t, fake.URL)
	ctx := context.Background()
	api := c.API()
	org, project := mustUUID(t, ids.OrganizationID), mustUUID(t, ids.ProjectID)

	calls := map[string]struct {
		op  string
		run func() error
	}{
		"GET": {"getProject", func() error {
			_, err := api.GetProjectWithResponse(ctx, project)
			return err
		}},
		"PUT": {"editProject", func() error {
			_, err := api.EditProjectWithResponse(ctx, project, gen.ProjectEditRequest{Name: "shop"})
			return err
		}},
		"POST": {"createProject", func() error {
			_, err := api.CreateProjectWithResponse(ctx, org, gen.ProjectRequest{Name: "p-" + fmt.Sprint(time.Now().UnixNano())})
			return err
		}},
		"DELETE": {"deleteOrganizationApiToken", func() error {
			_, err := api.DeleteOrganizationApiTokenWithResponse(ctx, org, project)
			return err
		}},
	}
	target := fake.RedirectTarget()
	for method, call := range calls {
		for _, code := range []int{301, 302, 303, 307, 308} {
			before := len(target.Requests())
			fake.InjectFault(call.op, 1, fixtures.Fault{Kind: fixtures.FaultRedirect, Status: code})
			if err := call.run(); err != nil {
				t.Errorf("%s redirected with %d: %v", method, code, err)
			}
			got := target.Requests()[before:]
			if len(got) != 1 {
				t.Errorf("%s redirected with %d: the other host received %d requests, want 1", method, code, len(got))
			}
			for _, r := range got {
				if v := r.Header.Values("Authorization"); len(v) > 0 {
					t.Errorf("%s redirected with %d: the other host received Authorization %q", method, code, v)
				}
			}
			if h := fake.LastHeaders(call.op); h.Get("Authorization") != "Token "+testToken {
				t.Errorf("%s: the API itself received Authorization %q", method, h.Get("Authorization"))
			}
		}
	}
	checkLogClean(t, logs.String(), testToken)
}

// TestHardeningRedirectTricks points redirects at URLs that look like the
// API but are not: user information, other ports, other schemes, a host
// name prefix. None may receive the credential; a hop back to the API may.
func TestHardeningRedirectTricks(t *testing.T) {
	var seen atomic.Value // Authorization received off the API
	seen.Store("")
	var hits atomic.Int32
	other := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if v := r.Header.Get("Authorization"); v != "" {
			seen.Store(r.Host + " got " + v)
		}
		if to := r.URL.Query().Get("to"); r.URL.Path == "/hop" && to != "" {
			http.Redirect(w, r, to, http.StatusTemporaryRedirect)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"results":[]}`)
	}))
	otherURL, _ := url.Parse(other.URL)
	port := otherURL.Port()

	api := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Token "+testToken {
			http.Error(w, "no token", http.StatusUnauthorized)
			return
		}
		if r.URL.Path == "/back" {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"results":[]}`)
			return
		}
		http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
	}))
	apiURL := api.URL
	apiHost, _ := url.Parse(apiURL)

	for _, to := range []string{
		"http://localhost:" + port + "/x",
		"http://" + apiHost.Host + "@localhost:" + port + "/x",
		"http://127.0.0.1:" + port + "/x",
		"//localhost:" + port + "/x",
		"http://localhost:" + port + "/hop?to=" + url.QueryEscape(apiURL+"/back"),
	} {
		seen.Store("")
		hits.Store(0)
		c, err := New(testToken, WithBaseURL(apiURL), WithRetryPolicy(fastPolicy()))
		if err != nil {
			t.Fatal(err)
		}
		editor := func(_ context.Context, r *http.Request) error {
			r.URL.RawQuery = url.Values{"to": {to}}.Encode()
			return nil
		}
		_, err = c.API().ListOrganizationWithResponse(context.Background(), editor)
		if err != nil {
			t.Errorf("redirect to %s: %v", to, err)
		}
		if v := seen.Load().(string); v != "" {
			t.Errorf("redirect to %s: %s", to, v)
		}
		if hits.Load() != 1 {
			t.Errorf("redirect to %s: the other server got %d requests, want 1", to, hits.Load())
		}
	}
}

// TestHardeningTLSVerificationNeverDisabled: the client refuses a
// transport that skips verification, never loosens one it is given, and
// treats a certificate failure as final.
func TestHardeningTLSVerificationNeverDisabled(t *testing.T) {
	srv := httptest.NewUnstartedServer(&counter{script: []int{200}})
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are expected
	srv.StartTLS()
	t.Cleanup(srv.Close)

	t.Run("insecure transport refused", func(t *testing.T) {
		insecure := &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}
		for _, hc := range []*http.Client{{Transport: insecure}, {Transport: insecure, Timeout: time.Second}} {
			_, err := New(testToken, WithBaseURL(srv.URL), WithHTTPClient(hc))
			if err == nil || !strings.Contains(err.Error(), "TLS") {
				t.Errorf("New with InsecureSkipVerify = %v, want a refusal naming TLS", err)
			}
			checkPrinted(t, "refusal", err, testToken)
		}
		if !insecure.TLSClientConfig.InsecureSkipVerify {
			t.Errorf("New modified the caller's transport")
		}
	})

	t.Run("untrusted certificate is final", func(t *testing.T) {
		for _, opts := range [][]Option{nil, {WithInsecureHTTP()}} {
			attempts := &countingRT{next: &http.Transport{}}
			all := append([]Option{WithBaseURL(srv.URL), WithRetryPolicy(fastPolicy()), WithHTTPClient(&http.Client{Transport: attempts})}, opts...)
			c, err := New(testToken, all...)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Result[gen.OrganizationResponseList](c.API().ListOrganizationWithResponse(context.Background()))
			var unknown x509.UnknownAuthorityError
			var verify *tls.CertificateVerificationError
			if !errors.As(err, &unknown) && !errors.As(err, &verify) {
				t.Errorf("self-signed server: err = %v, want a certificate error", err)
			}
			if n := attempts.n.Load(); n != 1 {
				t.Errorf("a certificate error was retried: %d attempts", n)
			}
			checkPrinted(t, "certificate error", err, testToken)
		}
	})

	t.Run("given configuration untouched", func(t *testing.T) {
		pool := x509.NewCertPool()
		pool.AddCert(srv.Certificate())
		cfg := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
		tr := &http.Transport{TLSClientConfig: cfg}
		c, err := New(testToken, WithBaseURL(srv.URL), WithHTTPClient(&http.Client{Transport: tr}))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Result[gen.OrganizationResponseList](c.API().ListOrganizationWithResponse(context.Background())); err != nil {
			t.Fatalf("trusted CA: %v", err)
		}
		if tr.TLSClientConfig != cfg || cfg.InsecureSkipVerify || cfg.RootCAs != pool {
			t.Errorf("New changed the caller's TLS configuration")
		}
		tr.CloseIdleConnections()
	})
}

// endlessBody writes chunk after chunk until the client goes away, and
// counts what it wrote.
type endlessBody struct {
	status  int
	ctype   string
	pause   time.Duration // between chunks; 0 writes flat out
	written atomic.Int64
}

func (e *endlessBody) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	w.Header().Set("Content-Type", e.ctype)
	w.WriteHeader(e.status)
	chunk := []byte(strings.Repeat(`{"message":"again and again"}`, 512))
	rc := http.NewResponseController(w)
	for {
		n, err := w.Write(chunk)
		e.written.Add(int64(n))
		if err != nil || rc.Flush() != nil {
			return
		}
		if e.pause > 0 {
			select {
			case <-time.After(e.pause):
			case <-r.Context().Done():
				return
			}
		}
	}
}

// TestHardeningErrorBodyReadUpToOneMiB sends error bodies that never end
// and checks the client keeps 1 MiB of them and reads little more off the
// wire, retried statuses included.
func TestHardeningErrorBodyReadUpToOneMiB(t *testing.T) {
	const mib = 1 << 20
	for _, status := range []int{http.StatusNotFound, http.StatusServiceUnavailable, http.StatusInternalServerError} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			h := &endlessBody{status: status, ctype: "application/json"}
			srv := serve(t, h)
			wire := &wireCounter{}
			tr := &http.Transport{DialContext: wire.dial}
			defer tr.CloseIdleConnections()
			c, err := New(testToken, WithBaseURL(srv.URL), WithRetryPolicy(fastPolicy()), WithHTTPClient(&http.Client{Transport: tr}))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			start := time.Now()
			_, err = Result[gen.OrganizationResponseList](c.API().ListOrganizationWithResponse(ctx))
			var ae *APIError
			if !errors.As(err, &ae) || ae.StatusCode != status {
				t.Fatalf("err = %v, want a %d *APIError", err, status)
			}
			attempts := ae.Attempts
			// Retried attempts drain a little of their body; the final one
			// keeps 1 MiB. Allow for the transport's read buffers.
			limit := int64(mib + attempts*(maxDrainAllowance))
			t.Logf("%d: %d attempt(s), kept %d bytes, read %d bytes off the wire in %v",
				status, attempts, len(ae.Body), wire.read.Load(), time.Since(start).Round(time.Millisecond))
			if len(ae.Body) != mib {
				t.Errorf("kept %d bytes of the error body, want exactly 1 MiB", len(ae.Body))
			}
			if got := wire.read.Load(); got > limit {
				t.Errorf("read %d bytes off the wire for %d attempt(s), more than %d", got, attempts, limit)
			}
			if len(ae.Message) > 1024 {
				t.Errorf("the message is %d bytes long", len(ae.Message))
			}
		})
	}
}

// maxDrainAllowance is what one attempt may read beyond what it keeps: the
// drain of a discarded body plus the transport's buffering.
const maxDrainAllowance = 64<<10 + 64<<10

// wireCounter counts the bytes a client reads off its connections.
type wireCounter struct{ read atomic.Int64 }

func (w *wireCounter) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	return &wireConn{Conn: c, w: w}, nil
}

type wireConn struct {
	net.Conn
	w *wireCounter
}

func (c *wireConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.w.read.Add(int64(n))
	return n, err
}

// TestHardeningEndlessResponseBoundedByContext: a response that never ends
// (headers and then a trickle, headers and then silence, a flood, or no
// answer at all) holds the caller no longer than its context, and leaves
// nothing running behind it. Each case runs in a testing/synctest bubble,
// on an in-memory network: the deadline and the pauses pass on the
// bubble's clock, and the goroutines left are counted exactly.
func TestHardeningEndlessResponseBoundedByContext(t *testing.T) {
	const deadline = 300 * time.Millisecond
	// The handlers read the request body first: until it is consumed, a
	// net/http server does not notice that the client went away.
	silent := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, `{"results":[`)
		_ = http.NewResponseController(w).Flush()
		<-r.Context().Done()
	})
	mute := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		<-r.Context().Done()
	})
	cases := map[string]http.Handler{
		"trickle": &endlessBody{status: http.StatusOK, ctype: "application/json", pause: 5 * time.Millisecond},
		// About 15 KB every 500µs: some 9 MB by the deadline, below
		// DefaultMaxResponseBody, so the deadline is what ends it.
		"flood": &endlessBody{status: http.StatusOK, ctype: "application/json", pause: 500 * time.Microsecond},
		// An endless error answer ends at 1 MiB, before the deadline or at it.
		"error flood": &endlessBody{status: http.StatusBadGateway, ctype: "text/html", pause: time.Millisecond},
		"silence":     silent,
		"no answer":   mute,
	}
	for name, h := range cases {
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			t.Run(name+"/"+method, func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					conns := &connCounter{}
					mem := serveMem(t, h, conns)
					tr := memTransport(mem, &connCounter{})
					defer tr.CloseIdleConnections()
					before := len(bubbleStacks())
					c, err := New(testToken, WithBaseURL(memBaseURL), WithRetryPolicy(fastPolicy()), WithHTTPClient(&http.Client{Transport: tr}))
					if err != nil {
						t.Fatal(err)
					}
					ctx, cancel := context.WithTimeout(context.Background(), deadline)
					defer cancel()
					start := time.Now()
					if method == http.MethodGet {
						_, err = Result[gen.OrganizationResponseList](c.API().ListOrganizationWithResponse(ctx))
					} else {
						_, err = Result[gen.OrganizationResponse](c.API().CreateOrganizationWithResponse(ctx, gen.OrganizationRequest{Name: "x", Plan: "FREE"}))
					}
					took := time.Since(start)
					var ae *APIError
					switch {
					case errors.Is(err, context.DeadlineExceeded):
					case name == "error flood" && errors.As(err, &ae) && ae.StatusCode == http.StatusBadGateway && len(ae.Body) == maxErrorBody:
					default:
						t.Errorf("err = %.200v, want one wrapping context.DeadlineExceeded", err)
					}
					if took > deadline+100*time.Millisecond {
						t.Errorf("returned after %v, deadline %v", took, deadline)
					}
					tr.CloseIdleConnections()
					if !waitFor(2*time.Second, func() bool { return conns.open() == 0 }) {
						t.Errorf("%d server connection(s) still open after the call gave up", conns.open())
					}
					checkBubbleGoroutines(t, before)
				})
			})
		}
	}
}

// TestHardeningEndlessResponseBoundedByAttemptTimeout: without a deadline
// on the context, AttemptTimeout bounds each attempt, the body included,
// so a GET against an endless answer still ends.
func TestHardeningEndlessResponseBoundedByAttemptTimeout(t *testing.T) {
	h := &endlessBody{status: http.StatusOK, ctype: "application/json", pause: 5 * time.Millisecond}
	srv := serve(t, h)
	policy := fastPolicy()
	policy.AttemptTimeout = 100 * time.Millisecond
	attempts := &countingRT{next: &http.Transport{}}
	c, err := New(testToken, WithBaseURL(srv.URL), WithRetryPolicy(policy), WithHTTPClient(&http.Client{Transport: attempts}))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = Result[gen.OrganizationResponseList](c.API().ListOrganizationWithResponse(context.Background()))
	took := time.Since(start)
	if err == nil {
		t.Fatal("an endless body decoded")
	}
	limit := time.Duration(policy.MaxAttempts)*(policy.AttemptTimeout+policy.MaxDelay) + 200*time.Millisecond
	if took > limit {
		t.Errorf("returned after %v, want at most %v", took, limit)
	}
	if n := int(attempts.n.Load()); n != policy.MaxAttempts {
		t.Errorf("%d attempts, want %d (timeouts are retried for a GET)", n, policy.MaxAttempts)
	}
	t.Logf("endless body, no context deadline: %d attempts of %v, gave up after %v: %v", attempts.n.Load(), policy.AttemptTimeout, took.Round(time.Millisecond), err)
}
