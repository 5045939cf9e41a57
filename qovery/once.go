package qovery

import (
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync/atomic"
)

// Every request must reach the server at most once per attempt of this
// transport, so that MaxAttempts, the retry budget and the logs count what
// the server saw. net/http does not promise that on its own: its HTTP/2
// transport resends a request whose stream was reset with PROTOCOL_ERROR or
// REFUSED_STREAM, rewinding the body with GetBody, and resends a body-less
// request without asking anyone, again and again until the context ends; its
// HTTP/1.1 transport resends an idempotent request when a reused connection
// fails. So every attempt carries a body (empty when there is none) whose
// GetBody rewinds only while no header of the attempt has been written: a
// resend on another connection of a request that never left is still one
// request on the wire, and anything after that is for this transport to
// decide. The price is that HTTP/1.1 sends an empty body of a POST, PATCH
// or PUT as chunked ("Transfer-Encoding: chunked", then the empty last
// chunk); for a GET, HEAD or DELETE it first looks whether the body is
// empty and then sends none.

func refuseRewind() (io.ReadCloser, error) { return nil, errNoResend }

// emptyBody is a request body that holds nothing. Unlike http.NoBody it is
// not recognised by net/http as "no body", which is the point: a request
// without a body can be resent without rewinding it.
type emptyBody struct{}

func (emptyBody) Read([]byte) (int, error) { return 0, io.EOF }
func (emptyBody) Close() error             { return nil }

// sealBody makes r, an attempt, impossible to resend below this transport
// once any of it has been written. body is the attempt's body, nil when
// the request has none; rewind is the request's own GetBody, if any.
//
// Without a trace (wire is nil), the body never rewinds: the resends of a
// request that never left are then made by this transport, as attempts.
// That is what a GET costs (see traceable), sparing it the trace.
func sealBody(r *http.Request, body io.ReadCloser, rewind func() (io.ReadCloser, error), wire *wireTrace) {
	empty := body == nil || body == http.NoBody
	if empty {
		body = emptyBody{}
		r.ContentLength = 0
	}
	r.Body = body
	if wire == nil {
		r.GetBody = refuseRewind
		return
	}
	r.GetBody = func() (io.ReadCloser, error) {
		switch {
		case wire.wroteHeaders.Load():
			return nil, errNoResend
		case empty:
			return emptyBody{}, nil
		case rewind != nil:
			return rewind()
		}
		return nil, errNoResend
	}
}

// wireTrace records what an attempt did on the network, so that a failure
// can be told apart: before a connection was handed to the request, nothing
// of it can have been written; after, any of it may have been.
type wireTrace struct {
	gotConn         atomic.Bool // a connection was handed to the request
	wroteHeaders    atomic.Bool // its headers were written to one
	handshakeFailed atomic.Bool // a TLS handshake made for it failed
	hooks           *httptrace.ClientTrace
}

// tracedAttempt is the trace of an attempt and the hooks that fill it, in
// one allocation.
type tracedAttempt struct {
	wireTrace
	hooks httptrace.ClientTrace
}

// newWireTrace returns a trace for an attempt, with its hooks ready.
func newWireTrace() *wireTrace {
	t := new(tracedAttempt)
	w := &t.wireTrace
	t.hooks = httptrace.ClientTrace{
		GotConn:      func(httptrace.GotConnInfo) { w.gotConn.Store(true) },
		WroteHeaders: func() { w.wroteHeaders.Store(true) },
		TLSHandshakeDone: func(_ tls.ConnectionState, err error) {
			if err != nil {
				w.handshakeFailed.Store(true)
			}
		},
	}
	w.hooks = &t.hooks
	return w
}

// traced returns r with a trace recording into w, on top of any trace the
// caller's context carries.
func (w *wireTrace) traced(r *http.Request) *http.Request {
	return r.WithContext(httptrace.WithClientTrace(r.Context(), w.hooks))
}

// unsendable reports a request that no attempt could ever send: a header
// name or value net/http would refuse (a control character in a value, a
// separator in a name). Checked before the first attempt, so that such a
// request fails at once, and without its value in the error.
func unsendable(r *http.Request) error {
	for name, values := range r.Header {
		if !validHeaderName(name) {
			return fmt.Errorf("qovery: %s %s: header name %q is not valid; the request cannot be sent", r.Method, r.URL.Path, cleanText(name, 80))
		}
		for _, v := range values {
			if i := controlByte(v); i >= 0 {
				return fmt.Errorf("qovery: %s %s: the value of header %s holds a control character (0x%02x at byte %d); the request cannot be sent", r.Method, r.URL.Path, name, v[i], i)
			}
		}
	}
	return nil
}

// controlByte is the index of the first control character of v but a tab,
// or -1.
func controlByte(v string) int {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < ' ' && c != '\t' || c == 0x7f {
			return i
		}
	}
	return -1
}

// validHeaderName reports whether name is an HTTP token (RFC 9110, 5.6.2).
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		if !tokenChar[name[i]] {
			return false
		}
	}
	return true
}

// tokenChar tells the bytes of an HTTP token.
var tokenChar = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	for _, c := range []byte("!#$%&'*+-.^_`|~") {
		t[c] = true
	}
	return t
}()

// refusedByNetHTTP recognises the errors net/http returns, before any
// network activity, for a request it will never send; it has no types for
// them, only their text.
func refusedByNetHTTP(err error) bool {
	msg := err.Error()
	for _, s := range []string{"net/http: invalid header field", "unsupported protocol scheme", "http: no Host in request URL", "net/http: invalid method"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// traceable reports whether the outcome of a request with this method needs
// to be told apart: whether it was sent at all decides whether a POST or a
// PATCH is retried, and whether a DELETE or a PUT may have taken effect
// already. A GET, retried either way, needs no trace.
func traceable(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace, "":
		return false
	}
	return true
}
