package qovery

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"weak"
)

// authorizer holds the precomputed Authorization and User-Agent header values
// and the API origin they belong to. Its values are built once, so that a
// request costs no formatting.
type authorizer struct {
	cred   *credential
	ua     []string // {"qovery-go/<version> [extra]"}
	scheme string
	host   string // lower-case host name, without port
	port   string // explicit or default port
	exact  string // the base URL's host and port as written, for sameOrigin's fast path
}

// credential is where the token lives, and only there. It is a pointer
// away from authorizer, itself a pointer away from whatever holds it (the
// Client, its transport, the generated client's doer, a call's exchange),
// because Format methods do not settle what fmt prints: fmt ignores them
// on values it reaches through unexported fields, and when it reports a
// bad verb (%w outside Errorf, %p or %d on a struct) it prints the value
// raw, following the first pointer it meets. Past that pointer it prints
// addresses, so two pointers keep the token out of anything a user can
// print, whatever the verb.
type credential struct {
	header []string // {"Token <t>"} or {"Bearer <t>"}
	secret string   // the bare token
	forms  []string // the token, then how it may be printed or echoed (see tokenForms)
	reach  int      // the most bytes one of forms takes with every character escaped
}

func newAuthorizer(token string, bearer bool, base *url.URL, extraUA string) *authorizer {
	kind := "Token "
	if bearer {
		kind = "Bearer "
	}
	ua := "qovery-go/" + Version
	if extraUA = strings.TrimSpace(extraUA); extraUA != "" {
		ua += " " + strings.Map(func(r rune) rune { // a control character in a header value fails every request
			if r < ' ' || r == 0x7f {
				return ' '
			}
			return r
		}, extraUA)
	}
	forms := tokenForms(token)
	return &authorizer{
		cred: &credential{
			header: []string{kind + token},
			secret: token,
			forms:  forms,
			reach:  escapedReach(forms),
		},
		ua:     []string{ua},
		scheme: base.Scheme,
		host:   strings.ToLower(base.Hostname()),
		port:   portOf(base),
		exact:  base.Host,
	}
}

// Format hides the credential whatever the verb, when fmt calls it.
func (a authorizer) Format(f fmt.State, _ rune) {
	_, _ = io.WriteString(f, "qovery.authorizer{[redacted]}")
}

// Format hides the token whatever the verb, when fmt calls it.
func (c credential) Format(f fmt.State, _ rune) {
	_, _ = io.WriteString(f, "qovery.credential{[redacted]}")
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
	req.Header["Authorization"] = a.cred.header
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
		r.Header["Authorization"] = a.cred.header
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

// redact removes every occurrence of the credential from s, in every form
// of tokenForms, written as it is or escaped (see escapedSpans).
func (a *authorizer) redact(s string) string {
	if a == nil || a.cred.secret == "" {
		return s
	}
	for _, f := range a.cred.forms {
		if strings.Contains(s, f) {
			s = strings.ReplaceAll(s, f, redacted)
		}
	}
	if mayHoldEscape(s) {
		if spans := escapedSpans(s, a.cred.forms, false); spans != nil {
			s = redactSpans(s, spans)
		}
	}
	return s
}

// tokenForms are the forms of the token scrubbed from what errors, logs and
// response headers show: the token itself; as cleanText prints it; and as a
// server or a proxy may echo it, percent-encoded as in a query or a path
// (with upper- or lower-case hex) and in base64, padded or not, standard or
// URL-safe. The padded forms come before the unpadded ones, which are
// their prefixes. Encoded forms shorter than 8 characters are left out,
// since they would also match unrelated text.
func tokenForms(token string) []string {
	q, p := url.QueryEscape(token), url.PathEscape(token)
	encoded := []string{q, p, lowerHexEscapes(q), lowerHexEscapes(p),
		base64.StdEncoding.EncodeToString([]byte(token)),
		base64.URLEncoding.EncodeToString([]byte(token)),
		base64.RawStdEncoding.EncodeToString([]byte(token)),
		base64.RawURLEncoding.EncodeToString([]byte(token))}
	forms := []string{token}
	if c := cleanText(token, len(token)); c != "" && c != token {
		forms = append(forms, c)
	}
	for _, f := range encoded {
		if len(f) >= 8 && !slices.Contains(forms, f) {
			forms = append(forms, f)
		}
	}
	return forms
}

// lowerHexEscapes writes the hex digits of each %XX escape in lower case.
func lowerHexEscapes(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1], b[i+2] = toLowerASCII(b[i+1]), toLowerASCII(b[i+2])
			i += 2
		}
	}
	return string(b)
}

func toLowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

const redacted = "[redacted]"

// scrubBody removes the credential from an error body, in every form of
// tokenForms, written as it is or escaped (see escapedSpans). When cut is
// set, the body was cut short, and whatever it ends with that reads as the
// start of the token goes too. Forms written as they are, the common case,
// are found by bytes.Contains; the byte-by-byte scan for escaped ones runs
// only on a body with an escape in it, or cut.
func (a *authorizer) scrubBody(b []byte, cut bool) []byte {
	if a == nil || a.cred.secret == "" {
		return b
	}
	for _, f := range a.cred.forms {
		if bytes.Contains(b, []byte(f)) {
			b = bytes.ReplaceAll(b, []byte(f), []byte(redacted))
		}
	}
	switch {
	case mayHoldEscape(b):
		if spans := escapedSpans(b, a.cred.forms, cut); spans != nil {
			b = redactSpans(b, spans)
		}
	case cut:
		// Without escapes, only the start of a token cut off at the end is
		// left to find, within the last reach bytes.
		from := max(len(b)-a.cred.reach, 0)
		if spans := escapedSpans(b[from:], a.cred.forms, true); spans != nil {
			b = append(b[:from:from], redactSpans(b[from:], spans)...)
		}
	}
	return b
}

// scrubError returns err with the credential removed from its text. An
// *APIError or *DecodeError is cleaned in place, so errors.As still finds
// it; any other error that shows the credential is replaced by one with the
// cleaned text, which errors.Is still matches against what err matches
// (context.Canceled, syscall.ECONNREFUSED, ...) but which no longer hands
// out the original through errors.As or Unwrap.
func (a *authorizer) scrubError(err error) error {
	if err == nil || a == nil || a.cred.secret == "" {
		return err
	}
	var ae *APIError
	if errors.As(err, &ae) {
		ae.Message, ae.RequestID, ae.Path = a.redact(ae.Message), a.redact(ae.RequestID), a.redact(ae.Path)
		ae.Body = a.scrubBody(ae.Body, ae.bodyCut)
	}
	var de *DecodeError
	if errors.As(err, &de) && de.Err != nil {
		if msg := de.Err.Error(); a.redact(msg) != msg {
			de.Err = &redactedError{msg: a.redact(msg), err: de.Err}
		}
		de.Path = a.redact(de.Path)
	}
	if msg := err.Error(); a.redact(msg) != msg {
		return &redactedError{msg: a.redact(msg), err: err}
	}
	return err
}

// The credentials of the Clients in use, so that Result and Check, which
// are not tied to a Client, can clean the errors they return. A Client no
// longer referenced drops out: the list holds weak pointers.
var live struct {
	mu    sync.Mutex
	auths []weak.Pointer[authorizer]
}

func (a *authorizer) register() {
	live.mu.Lock()
	defer live.mu.Unlock()
	kept := live.auths[:0]
	for _, p := range live.auths {
		if p.Value() != nil {
			kept = append(kept, p)
		}
	}
	kept = append(kept, weak.Make(a))
	live.auths = kept
}

// eachLive calls f with the authorizer of every Client in use.
func eachLive(f func(*authorizer)) {
	live.mu.Lock()
	defer live.mu.Unlock()
	for _, p := range live.auths {
		if a := p.Value(); a != nil {
			f(a)
		}
	}
}

// scrubAll is scrubError with the credential of every Client in use.
func scrubAll(err error) error {
	if err != nil {
		eachLive(func(a *authorizer) { err = a.scrubError(err) })
	}
	return err
}

// redactAll is redact with the credential of every Client in use.
func redactAll(s string) string {
	eachLive(func(a *authorizer) { s = a.redact(s) })
	return s
}
