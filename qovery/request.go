package qovery

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/google/uuid"
)

// request is a call before it is sent. The generated methods build it from
// their operation's path template, Do from its arguments; Client.send turns
// it into the *http.Request, once, with the call's context.
type request struct {
	method string
	path   string // relative to the base URL, escaped, with its query if any
	body   []byte // JSON; nil for none
	// built is the request as gen's builder made it, for the operations
	// of a vendor's spec whose parameters only it encodes (a header or a
	// cookie, a query in another style, a body that is not JSON, a path
	// parameter that is neither an ID nor a string). When set, method, path
	// and body are not used.
	built *http.Request
	err   error // why the request could not be built
}

// jsonContentType is the Content-Type of every JSON body sent.
var jsonContentType = []string{"application/json"}

// jsonRequest is a request whose body is v marshalled to JSON.
func jsonRequest(method, path string, v any) request {
	b, err := json.Marshal(v)
	if err != nil {
		return request{method: method, path: path, err: err}
	}
	return request{method: method, path: path, body: b}
}

// genRequest is a request made by gen's builder. The spec of this package
// needs none; the specs as vendors publish them do (see request.built).
//
//nolint:unused // called by the services regen writes for such a spec
func genRequest(req *http.Request, err error) request {
	if err != nil {
		return request{err: err}
	}
	return request{method: req.Method, built: req}
}

// httpRequest makes the *http.Request of r, for the Client whose base URL
// is base, within ctx. Its URL is base with r's path after base's own: no
// parsing but of r's escapes, if it has any.
func (r *request) httpRequest(ctx context.Context, base *url.URL) (*http.Request, error) {
	if r.built != nil {
		return r.built.WithContext(ctx), nil
	}
	u := new(url.URL)
	*u = *base
	p, q, hasQuery := strings.Cut(r.path, "?")
	raw := base.EscapedPath() + p
	u.Path = raw
	if strings.IndexByte(raw, '%') >= 0 {
		dec, err := url.PathUnescape(raw)
		if err != nil {
			return nil, err
		}
		u.Path = dec
	}
	if u.EscapedPath() != raw { // as url.Parse keeps an escaping of its own
		u.RawPath = raw
	}
	u.RawQuery, u.ForceQuery = q, hasQuery && q == ""
	req := &http.Request{
		Method:     r.method,
		URL:        u,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     make(http.Header, 4),
		Host:       u.Host,
	}
	if b := r.body; b != nil {
		req.Header["Content-Type"] = jsonContentType
		req.ContentLength = int64(len(b))
		req.Body = io.NopCloser(bytes.NewReader(b))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
		if len(b) == 0 {
			req.Body = http.NoBody
			req.GetBody = func() (io.ReadCloser, error) { return http.NoBody, nil }
		}
	}
	return req.WithContext(ctx), nil
}

// pathOf is the path r is sent to, unescaped and without its query, as
// errors name it.
func (c *Client) pathOf(r *request) string {
	if r.built != nil {
		return r.built.URL.Path
	}
	p, _, _ := strings.Cut(r.path, "?")
	if u, err := url.PathUnescape(p); err == nil {
		p = u
	}
	return c.base.Path + p
}

// pathID checks value, the argument name of a generated method, as the
// UUID of a resource, and returns it with its form for a path: value itself
// in lower case.
func pathID(name, value string) (uuid.UUID, string, error) {
	id, err := parseID(name, value)
	if err != nil {
		return id, "", err
	}
	for i := 0; i < len(value); i++ {
		if c := value[i]; 'A' <= c && c <= 'Z' {
			return id, id.String(), nil
		}
	}
	return id, value, nil
}

// addQuery adds fragment, a query parameter as gen's runtime encodes it
// ("name=value", or several joined by "&"), to r's path; err is the
// runtime's, which the call then fails with.
func (r *request) addQuery(fragment string, err error) {
	switch {
	case err != nil:
		if r.err == nil {
			r.err = err
		}
		return
	case fragment == "":
		return
	}
	sep := "?"
	if strings.IndexByte(r.path, '?') >= 0 {
		sep = "&"
	}
	r.path += sep + fragment
}

// pathSegment checks value, the argument name of a generated method that
// goes in the path as it is, and returns it escaped. An empty, "." or ".."
// value is refused, as Do refuses such a segment: a server or a proxy would
// read the path as another one. The spec of this package has no such
// argument; the specs as vendors publish them have some.
//
//nolint:unused // called by the services regen writes for such a spec
func pathSegment(name, value string) (string, error) {
	switch value {
	case "":
		return "", argError(name, value, "is empty")
	case ".", "..":
		return "", argError(name, value, "is a dot segment, which would change the path")
	}
	return url.PathEscape(value), nil
}
