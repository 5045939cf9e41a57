package qovery

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// authorizer holds the precomputed Authorization and User-Agent header values
// and the API origin they belong to. Its values are built once, so that a
// request costs no formatting.
//
// The credential lives only here. authorizer has no exported fields and a
// redacting String, and Client.Format never reaches it.
type authorizer struct {
	header []string // {"Token <t>"} or {"Bearer <t>"}
	ua     []string // {"qovery-go/<version> [extra]"}
	secret string   // the bare token, used to scrub error bodies
	scheme string
	host   string // lower-case host name, without port
	port   string // explicit or default port
	exact  string // the base URL's host and port as written, for sameOrigin's fast path
}

func newAuthorizer(token string, bearer bool, base *url.URL, extraUA string) *authorizer {
	kind := "Token "
	if bearer {
		kind = "Bearer "
	}
	ua := "qovery-go/" + Version
	if extraUA = strings.TrimSpace(extraUA); extraUA != "" {
		ua += " " + strings.NewReplacer("\r", " ", "\n", " ").Replace(extraUA)
	}
	return &authorizer{
		header: []string{kind + token},
		ua:     []string{ua},
		secret: token,
		scheme: base.Scheme,
		host:   strings.ToLower(base.Hostname()),
		port:   portOf(base),
		exact:  base.Host,
	}
}

// Format hides the credential whatever the verb.
func (a authorizer) Format(f fmt.State, _ rune) {
	_, _ = io.WriteString(f, "qovery.authorizer{[redacted]}")
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "http") {
		return "80"
	}
	return "443"
}

// sameOrigin reports whether u has the API's scheme, host and port. Only
// requests to that origin may carry the Authorization header.
//
// Every request the generated client builds carries the base URL's scheme
// and host verbatim, so that case is settled by two string comparisons; only
// other URLs (redirect targets, requests built by hand) need the host and
// port taken apart.
func (a *authorizer) sameOrigin(u *url.URL) bool {
	if u != nil && u.Host == a.exact && u.Scheme == a.scheme {
		return true
	}
	return u != nil &&
		strings.EqualFold(u.Scheme, a.scheme) &&
		strings.EqualFold(u.Hostname(), a.host) &&
		portOf(u) == a.port
}

// editRequest is installed as a request editor on the generated client. It
// sets the headers on the freshly built request before it reaches the
// transport, so that the transport's happy path needs no request copy.
func (a *authorizer) editRequest(_ context.Context, req *http.Request) error {
	if !a.sameOrigin(req.URL) {
		return nil
	}
	if req.Header == nil {
		req.Header = make(http.Header, 2)
	}
	req.Header["Authorization"] = a.header
	req.Header["User-Agent"] = a.ua
	return nil
}

// prepare returns the request to send for req: req itself when its headers
// are already right, otherwise a copy with the Authorization header added
// (API origin) or removed (any other origin, such as a redirect target).
func (a *authorizer) prepare(req *http.Request) (out *http.Request, stripped bool) {
	_, has := req.Header["Authorization"]
	if a.sameOrigin(req.URL) {
		if has {
			return req, false
		}
		r := cloneWithHeader(req)
		r.Header["Authorization"] = a.header
		if _, ok := r.Header["User-Agent"]; !ok {
			r.Header["User-Agent"] = a.ua
		}
		return r, false
	}
	if !has {
		return req, false
	}
	r := cloneWithHeader(req)
	r.Header.Del("Authorization")
	return r, true
}

// cloneWithHeader is a shallow copy of req with its own header map.
func cloneWithHeader(req *http.Request) *http.Request {
	r := new(http.Request)
	*r = *req
	r.Header = req.Header.Clone()
	if r.Header == nil {
		r.Header = make(http.Header, 2)
	}
	return r
}

// redact removes every occurrence of the credential from s.
func (a *authorizer) redact(s string) string {
	if a == nil || a.secret == "" || !strings.Contains(s, a.secret) {
		return s
	}
	return strings.ReplaceAll(s, a.secret, "[redacted]")
}
