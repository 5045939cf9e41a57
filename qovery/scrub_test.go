package qovery

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/qoverykit/qovery-go/gen"
)

// Error bodies that carry the token only once decoded: JSON escapes and
// HTML character references.
func TestDecodedErrorMessageScrubbed(t *testing.T) {
	const slashToken = "qov/Slash+Tok3n"
	cases := []struct {
		name, token, ctype, body string
	}{
		{"JSON \\/", slashToken, "application/json", `{"message":"invalid token qov\/Slash+Tok3n"}`},
		{"JSON \\u0072", testToken, "application/json", `{"message":"invalid token \u0071vtok-5ecr3t-7f3a9c1d"}`},
		{"JSON key", testToken, "application/json", `{"error":"denied","qvtok-5ecr3t-7f3\u00619c1d":true}`},
		{"HTML reference", testToken, "text/html", `<html><title>bad token &#113;vtok-5ecr3t-7f3a9c1d</title></html>`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tc.ctype)
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = io.WriteString(w, tc.body)
			}))
			c, err := New(tc.token, WithBaseURL(srv.URL), WithRetryPolicy(fastPolicy()))
			if err != nil {
				t.Fatal(err)
			}
			_, err = Result[gen.OrganizationResponseList](c.API().ListOrganizationWithResponse(context.Background()))
			var ae *APIError
			if !errors.As(err, &ae) || ae.StatusCode != http.StatusUnauthorized {
				t.Fatalf("err = %v, want a 401 *APIError", err)
			}
			checkPrinted(t, "error", err, tc.token)
			checkPrinted(t, "message", ae.Message, tc.token)
			checkPrinted(t, "request ID", ae.RequestID, tc.token)
			if decoded := decodedText(ae.Body); strings.Contains(decoded, tc.token) {
				t.Errorf("the body still holds the token once decoded: %s", ae.Body)
			}
		})
	}
}

// decodedText is body as it is, as JSON decoding shows it and as HTML
// unescaping does.
func decodedText(body []byte) string {
	var b strings.Builder
	b.Write(body)
	var v any
	if json.Unmarshal(body, &v) == nil {
		fmt.Fprintf(&b, " %v", v)
	}
	b.WriteString(" " + html.UnescapeString(string(body)))
	return b.String()
}

var errProxyRefused = errors.New("proxy refused the request")

// The caller's own transport, or its redirect policy, may print the
// request headers in its error: the client scrubs whatever it returns.
func TestErrorsFromCallersOwnCodeScrubbed(t *testing.T) {
	t.Run("transport", func(t *testing.T) {
		rt := rtFunc(func(r *http.Request) (*http.Response, error) {
			return nil, fmt.Errorf("%w: headers %v", errProxyRefused, r.Header)
		})
		c, _ := newTestClient(t, "http://127.0.0.1:1", WithHTTPClient(&http.Client{Transport: rt}))
		for _, call := range []func() error{
			func() error {
				_, err := do(t, c, context.Background(), http.MethodGet, "/organization", nil)
				return err
			},
			func() error {
				_, err := Result[gen.OrganizationResponseList](c.API().ListOrganizationWithResponse(context.Background()))
				return err
			},
		} {
			err := call()
			checkPrinted(t, "error", err, testToken)
			if !errors.Is(err, errProxyRefused) {
				t.Errorf("err = %v; errors.Is no longer finds the transport's error", err)
			}
		}
	})
	t.Run("redirect policy", func(t *testing.T) {
		srv := serve(t, http.RedirectHandler("/elsewhere", http.StatusFound))
		hc := &http.Client{CheckRedirect: func(_ *http.Request, via []*http.Request) error {
			return fmt.Errorf("not following a redirect of %v", via[0].Header)
		}}
		c, _ := newTestClient(t, srv.URL, WithHTTPClient(hc))
		_, err := Result[gen.OrganizationResponseList](c.API().ListOrganizationWithResponse(context.Background()))
		if err == nil || !strings.Contains(err.Error(), "not following") {
			t.Fatalf("err = %v, want the redirect policy's error", err)
		}
		checkPrinted(t, "error", err, testToken)
	})
}

func TestBaseURLSecretsNotPrinted(t *testing.T) {
	for _, raw := range []string{
		"https://user:hunter2@api.example.com:8443/",
		"https://hunter2@api.example.com/",
		"https://user:hunter2@api.example.com:port/",
		"https://api.example.com/?token=hunter2",
		"https://api.example.com?token=hunter2",
		"https://api.example.com/#hunter2",
		"ftp://user:hunter2@api.example.com/?k=hunter2",
		"https://user:hunter2@/path",
		"https://api.example.com/\x7f?token=hunter2",
	} {
		_, err := New(testToken, WithBaseURL(raw))
		if err == nil {
			t.Errorf("New(%q) accepted", raw)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") || strings.Contains(fmt.Sprintf("%+v", err), "hunter2") {
			t.Errorf("New(%q): the error shows the secret: %v", raw, err)
		}
	}
}

func TestNewRejectsTokensWithControlCharacters(t *testing.T) {
	for _, tok := range []string{"abc\x00def", "abc\x7fdef", "abc\x1b[0mdef", "abc\tdef", "abc\u0085def", "abc\rdef"} {
		_, err := New(tok, WithBaseURL("http://127.0.0.1:1"))
		if err == nil || !strings.Contains(err.Error(), "control character") {
			t.Errorf("New(%q) = %v, want a control character error", tok, err)
			continue
		}
		if strings.Contains(err.Error(), "abc") || strings.Contains(err.Error(), "def") {
			t.Errorf("New(%q): the error shows the token: %v", tok, err)
		}
	}
}

// A request that can never be sent fails at once: no attempt, no retry.
func TestUnsendableRequestNeverRetried(t *testing.T) {
	rt := &countingRT{next: http.DefaultTransport}
	srv := serve(t, &counter{script: []int{200}})
	c, _ := newTestClient(t, srv.URL, WithHTTPClient(&http.Client{Transport: rt}))
	for name, h := range map[string][2]string{
		"control character in a value": {"X-Trace", "a\x01b"},
		"bad name":                     {"X Trace", "v"},
	} {
		req, _ := http.NewRequest(http.MethodGet, c.BaseURL()+"/organization", nil)
		req.Header[h[0]] = []string{h[1]}
		resp, err := c.http.Do(req)
		if err == nil {
			_ = resp.Body.Close()
		}
		if err == nil || !strings.Contains(err.Error(), "cannot be sent") {
			t.Errorf("%s: err = %v, want one saying the request cannot be sent", name, err)
		}
	}
	if n := rt.n.Load(); n != 0 {
		t.Errorf("%d attempts, want 0", n)
	}

	// The same refusal coming from net/http (through a transport that
	// checks nothing itself) is not retried either.
	var calls int
	refusing := rtFunc(func(r *http.Request) (*http.Response, error) {
		calls++
		return nil, errors.New(`net/http: invalid header field value for "X-Trace"`)
	})
	c2, _ := newTestClient(t, srv.URL, WithHTTPClient(&http.Client{Transport: refusing}))
	if _, err := do(t, c2, context.Background(), http.MethodGet, "/organization", nil); err == nil || calls != 1 {
		t.Errorf("err %v after %d attempts, want an error after 1", err, calls)
	}
}

// A token the server echoes encoded, as it would appear in a URL or in
// base64, is scrubbed like the token itself.
func TestEncodedTokenScrubbed(t *testing.T) {
	const token = "qov/Slash+Tok3n=xyz"
	for name, echoed := range map[string]string{
		"query escape":      url.QueryEscape(token),
		"lower-case escape": "qov%2fSlash%2bTok3n%3dxyz",
		"path escape":       url.PathEscape(token),
		"base64":            base64.StdEncoding.EncodeToString([]byte(token)),
		"base64url raw":     base64.RawURLEncoding.EncodeToString([]byte(token)),
	} {
		t.Run(name, func(t *testing.T) {
			srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("X-Request-Id", "req-"+echoed)
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = io.WriteString(w, `{"message":"rejected https://api/?token=`+echoed+` (`+echoed+`)"}`)
			}))
			c, err := New(token, WithBaseURL(srv.URL), WithRetryPolicy(fastPolicy()))
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Organizations.List(context.Background())
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v, want an *APIError", err)
			}
			for what, text := range map[string]string{"error": err.Error(), "message": ae.Message, "request ID": ae.RequestID, "body": string(ae.Body)} {
				if strings.Contains(text, echoed) {
					t.Errorf("the %s shows the token as %s: %s", what, name, text)
				}
			}
		})
	}
}

// Response headers are scrubbed of the token in the same forms as errors
// are, on success answers too.
func TestEncodedTokenScrubbedFromHeaders(t *testing.T) {
	const token = "qov/Slash+Tok3n=xyz"
	echoed := base64.StdEncoding.EncodeToString([]byte(token))
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Echo", "seen "+echoed)
		_, _ = io.WriteString(w, `{"results":[]}`)
	}))
	c, err := New(token, WithBaseURL(srv.URL), WithRetryPolicy(fastPolicy()))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.API().ListOrganizationWithResponse(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := resp.HTTPResponse.Header.Get("X-Echo"); got != "seen [redacted]" {
		t.Errorf("X-Echo = %q, want the token's base64 redacted", got)
	}
}
