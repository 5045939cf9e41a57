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

// A request that is not idempotent must reach the server at most once per
// attempt of this transport. net/http does not promise that on its own: its
// HTTP/2 transport resends a request whose stream was reset with
// PROTOCOL_ERROR or REFUSED_STREAM, rewinding the body with GetBody, and
// resends a body-less request without asking anyone. So every attempt of
// such a request carries a body (empty when there is none) whose GetBody
// refuses. The price is that HTTP/1.1 sends an empty body as chunked
// ("Transfer-Encoding: chunked", then the empty last chunk).

func refuseRewind() (io.ReadCloser, error) { return nil, errNoResend }

// emptyBody is a request body that holds nothing. Unlike http.NoBody it is
// not recognised by net/http as "no body", which is the point: a request
// without a body can be resent without rewinding it.
type emptyBody struct{}

func (emptyBody) Read([]byte) (int, error) { return 0, io.EOF }
func (emptyBody) Close() error             { return nil }

// sealBody makes r, an attempt of a request that is not idempotent,
// impossible to resend below this transport. body is the attempt's body,
// nil when the request has none.
func sealBody(r *http.Request, body io.ReadCloser) {
	if body == nil || body == http.NoBody {
		body = emptyBody{}
		r.ContentLength = 0
	}
	r.Body = body
	r.GetBody = refuseRewind
}

// wireTrace records what an attempt did on the network, so that a failure
// can be told apart: before a connection was handed to the request, nothing
// of it can have been written; after, any of it may have been.
type wireTrace struct {
	gotConn         atomic.Bool // a connection was handed to the request
	handshakeFailed atomic.Bool // a TLS handshake made for it failed
}

// traced returns r with a trace recording into w, on top of any trace the
// caller's context carries.
func (w *wireTrace) traced(r *http.Request) *http.Request {
	ctx := httptrace.WithClientTrace(r.Context(), &httptrace.ClientTrace{
		GotConn: func(httptrace.GotConnInfo) { w.gotConn.Store(true) },
		TLSHandshakeDone: func(_ tls.ConnectionState, err error) {
			if err != nil {
				w.handshakeFailed.Store(true)
			}
		},
	})
	return r.WithContext(ctx)
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
			if i := strings.IndexFunc(v, func(c rune) bool { return c < ' ' && c != '\t' || c == 0x7f }); i >= 0 {
				return fmt.Errorf("qovery: %s %s: the value of header %s holds a control character (0x%02x at byte %d); the request cannot be sent", r.Method, r.URL.Path, name, v[i], i)
			}
		}
	}
	return nil
}

// validHeaderName reports whether name is an HTTP token (RFC 9110, 5.6.2).
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

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
