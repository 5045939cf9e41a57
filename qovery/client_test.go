package qovery

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qoverykit/qovery-go/gen"
)

func TestNewRefusesBadConfiguration(t *testing.T) {
	insecureTLS := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	cases := []struct {
		name  string
		token string
		opts  []Option
		want  string
	}{
		{"empty token", "", nil, "empty API token"},
		{"blank token", "  ", nil, "empty API token"},
		{"token with newline", "abc\ndef", nil, "control character"},
		{"unparsable URL", testToken, []Option{WithBaseURL("http://[::1")}, "invalid base URL"},
		{"relative URL", testToken, []Option{WithBaseURL("api.qovery.com")}, "must start with https://"},
		{"ftp URL", testToken, []Option{WithBaseURL("ftp://api.qovery.com")}, "must start with https://"},
		{"no host", testToken, []Option{WithBaseURL("https://")}, "no host"},
		{"user info", testToken, []Option{WithBaseURL("https://u:p@api.qovery.com")}, "user information"},
		{"query", testToken, []Option{WithBaseURL("https://api.qovery.com/?a=b")}, "query"},
		{"plain http on the network", testToken, []Option{WithBaseURL("http://api.qovery.com")}, "refusing plain http://"},
		{"plain http on a LAN address", testToken, []Option{WithBaseURL("http://10.0.0.5:8080")}, "refusing plain http://"},
		{"TLS verification off", testToken, []Option{WithHTTPClient(insecureTLS)}, "skips TLS certificate verification"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(tc.token, tc.opts...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("New = %v, %v; want an error containing %q", c, err, tc.want)
			}
			assertNoToken(t, err)
		})
	}
}

func TestNewAcceptsGoodConfiguration(t *testing.T) {
	for _, u := range []string{
		"https://api.qovery.com",
		"https://api.qovery.com/",
		"https://proxy.example.com:8443/qovery/api/",
		"http://localhost:8080",
		"http://127.0.0.1:1234/api",
		"http://[::1]:1234",
	} {
		c, err := New(testToken, WithBaseURL(u))
		if err != nil {
			t.Fatalf("New(%q): %v", u, err)
		}
		if strings.HasSuffix(c.BaseURL(), "/") {
			t.Errorf("BaseURL %q keeps a trailing slash", c.BaseURL())
		}
	}
	if _, err := New(testToken, WithBaseURL("http://10.0.0.5:8080"), WithInsecureHTTP()); err != nil {
		t.Fatalf("WithInsecureHTTP: %v", err)
	}
	c, err := New(testToken)
	if err != nil || c.BaseURL() != DefaultBaseURL {
		t.Fatalf("default base URL: %v, %v", c, err)
	}
}

func TestNewFromEnv(t *testing.T) {
	t.Setenv(EnvToken, "")
	if _, err := NewFromEnv(); err == nil || !strings.Contains(err.Error(), EnvToken) {
		t.Fatalf("err = %v, want one naming %s", err, EnvToken)
	}
	t.Setenv(EnvToken, testToken)
	t.Setenv(EnvURL, "http://127.0.0.1:9999/api")
	c, err := NewFromEnv()
	if err != nil || c.BaseURL() != "http://127.0.0.1:9999/api" {
		t.Fatalf("NewFromEnv = %v, %v", c, err)
	}
	c, err = NewFromEnv(WithBaseURL("http://localhost:1"))
	if err != nil || c.BaseURL() != "http://localhost:1" {
		t.Fatalf("an explicit option should win over the environment: %v, %v", c, err)
	}
	t.Setenv(EnvURL, "http://api.example.com")
	if _, err := NewFromEnv(); err == nil {
		t.Fatal("a plain http URL from the environment was accepted")
	}
}

func TestUserHTTPClientIsNotModified(t *testing.T) {
	redirect := func(*http.Request, []*http.Request) error { return nil }
	base := &http.Transport{}
	hc := &http.Client{Transport: base, Timeout: 7 * time.Second, CheckRedirect: redirect}
	before := *hc
	c, err := New(testToken, WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	if hc.Transport != before.Transport || hc.Timeout != before.Timeout || fmt.Sprintf("%p", hc.CheckRedirect) != fmt.Sprintf("%p", before.CheckRedirect) || hc.Jar != before.Jar {
		t.Fatal("the caller's http.Client was modified")
	}
	if c.http == hc || c.http.Timeout != 7*time.Second || c.transport.next != base {
		t.Fatal("the copy does not keep the caller's settings")
	}
}

func TestAuthorizationAndUserAgent(t *testing.T) {
	var got atomic.Value
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.Header.Clone())
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"results":[]}`))
	}))
	for _, tc := range []struct {
		name     string
		opts     []Option
		auth, ua string
	}{
		{"token", nil, "Token " + testToken, "qovery-go/" + Version},
		{"bearer", []Option{WithBearer(), WithUserAgent("my-tool/1.2")}, "Bearer " + testToken, "qovery-go/" + Version + " my-tool/1.2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := newTestClient(t, srv.URL, tc.opts...)
			// Through the generated client (request editor) ...
			if _, err := Result[gen.OrganizationResponseList](c.API().ListOrganizationWithResponse(context.Background())); err != nil {
				t.Fatal(err)
			}
			h := got.Load().(http.Header)
			if h.Get("Authorization") != tc.auth || h.Get("User-Agent") != tc.ua {
				t.Fatalf("API: Authorization %q, User-Agent %q", h.Get("Authorization"), h.Get("User-Agent"))
			}
			// ... and through the bare HTTP stack (transport).
			if _, err := do(t, c, context.Background(), http.MethodGet, "/organization", nil); err != nil {
				t.Fatal(err)
			}
			h = got.Load().(http.Header)
			if h.Get("Authorization") != tc.auth || h.Get("User-Agent") != tc.ua {
				t.Fatalf("transport: Authorization %q, User-Agent %q", h.Get("Authorization"), h.Get("User-Agent"))
			}
		})
	}
}

func TestCrossHostRedirectCarriesNoToken(t *testing.T) {
	var foreignAuth atomic.Value
	foreignAuth.Store("unset")
	foreign := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		foreignAuth.Store(r.Header.Get("Authorization"))
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"results":[]}`))
	}))
	foreignURL, _ := url.Parse(foreign.URL)
	// Same machine, other origins: another port, and another host name
	// for the same port.
	targets := map[string]string{
		"other port": foreign.URL,
		"other host": "http://localhost:" + foreignURL.Port(),
	}
	for name, target := range targets {
		for _, code := range []int{301, 302, 307, 308} {
			t.Run(fmt.Sprintf("%s/%d", name, code), func(t *testing.T) {
				foreignAuth.Store("unset")
				var apiAuth atomic.Value
				api := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					apiAuth.Store(r.Header.Get("Authorization"))
					http.Redirect(w, r, target+"/elsewhere", code)
				}))
				c, _ := newTestClient(t, api.URL)
				if _, err := Result[gen.OrganizationResponseList](c.API().ListOrganizationWithResponse(context.Background())); err != nil {
					t.Fatal(err)
				}
				if got, _ := apiAuth.Load().(string); got != "Token "+testToken {
					t.Fatalf("the API itself got Authorization %q", got)
				}
				if got := foreignAuth.Load().(string); got != "" {
					t.Fatalf("the redirect target got Authorization %q", got)
				}
			})
		}
	}
}

func TestSameOrigin(t *testing.T) {
	base, _ := url.Parse("https://api.qovery.com")
	a := newAuthorizer(testToken, false, base, "")
	for raw, want := range map[string]bool{
		"https://api.qovery.com/organization":     true,
		"https://API.Qovery.com:443/organization": true,
		"http://api.qovery.com/organization":      false,
		"https://api.qovery.com:8443/x":           false,
		"https://evil.api.qovery.com/x":           false,
		"https://api.qovery.com.evil.com/x":       false,
		"https://qovery.com/x":                    false,
	} {
		u, _ := url.Parse(raw)
		if got := a.sameOrigin(u); got != want {
			t.Errorf("sameOrigin(%s) = %v, want %v", raw, got, want)
		}
	}
}

func TestClientPrintingHidesToken(t *testing.T) {
	for _, opts := range [][]Option{nil, {WithBearer()}} {
		c, err := New(testToken, opts...)
		if err != nil {
			t.Fatal(err)
		}
		assertNoToken(t, c)
		assertNoToken(t, *c)
		assertNoToken(t, c.API())
		assertNoToken(t, *c.API())
		assertNoToken(t, c.http)
		assertNoToken(t, c.transport)
		assertNoToken(t, c.auth)
		if s := fmt.Sprintf("%+v", c); !strings.Contains(s, "[redacted]") || !strings.Contains(s, DefaultBaseURL) {
			t.Errorf("%%+v = %s", s)
		}
	}
}

func TestTLSServerWithTrustedCA(t *testing.T) {
	h := &counter{script: []int{200}}
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	c, _ := newTestClient(t, srv.URL, WithHTTPClient(srv.Client()))
	if _, err := Result[gen.OrganizationResponseList](c.API().ListOrganizationWithResponse(context.Background())); err != nil {
		t.Fatal(err)
	}
}
