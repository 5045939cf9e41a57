package qovery

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"
)

// Do sends any request to the API, for an operation the services do not
// have: the live API has more than this package describes. It keeps every
// guarantee of a service method: authentication, retries that never send a
// write twice, pacing, the response size limit, the token scrubbed from
// errors, an *APIError for a status of 400 or more (matching ErrNotFound
// and the other sentinels) and a *DecodeError for an answer that does not
// decode.
//
// path is relative to the base URL, with its IDs in it and an optional
// query: "/deploymentStage/" + qovery.PathEscape(id) + "/service". A path
// that is not a clean absolute path (a scheme or host, an empty, "." or
// ".." segment, a fragment, a backslash, a control character) is an
// *ArgError, before anything is sent.
//
// body is sent as JSON: a []byte or json.RawMessage as it is, anything
// else marshalled; nil sends no body. out, when not nil, receives the
// answer decoded from JSON; a 2xx with an empty or null body is then a
// *DecodeError, except a 204, which leaves out as it was. out nil discards
// the answer.
//
// Whether a failed request is sent again follows RetryPolicy: GET, PUT and
// DELETE are retried, POST and PATCH only when they surely were not
// processed, unless ctx comes from WithIdempotent.
func (c *Client) Do(ctx context.Context, method, path string, body, out any, opts ...CallOption) error {
	r, err := c.newRequest(method, path, body)
	if err != nil {
		return err
	}
	_, err = c.send(ctx, &operationDo, &r, out, opts)
	return err
}

// PathEscape escapes s, an ID or a name, for a segment of a path given to
// Do, so that a "/" or a "?" in it cannot change the path.
func PathEscape(s string) string { return url.PathEscape(s) }

// newRequest checks Do's arguments and makes its request.
func (c *Client) newRequest(method, path string, body any) (request, error) {
	if !validHeaderName(method) { // a method is a token, as a header name is
		return request{}, argError("method", method, "is not an HTTP method")
	}
	if err := c.checkPath(path); err != nil {
		return request{}, err
	}
	payload, err := encodeBody(body)
	if err != nil {
		return request{}, err
	}
	return request{method: method, path: path, body: payload}, nil
}

// checkPath refuses a path that could leave the base URL, or that means
// something else once a server or proxy normalises it.
func (c *Client) checkPath(path string) error {
	bad := func(reason string) error { return argError("path", path, reason) }
	p, _, _ := strings.Cut(path, "?")
	switch {
	case !strings.HasPrefix(path, "/"):
		return bad("must start with \"/\", relative to the base URL")
	case strings.ContainsAny(path, "#\\"):
		return bad("must not hold a fragment or a backslash")
	case strings.IndexFunc(path, func(r rune) bool { return r < ' ' || r == 0x7f || r == ' ' }) >= 0:
		return bad("must not hold a space or a control character (escape it with PathEscape)")
	}
	for _, seg := range strings.Split(p, "/")[1:] {
		dec, err := url.PathUnescape(seg)
		switch {
		case err != nil:
			return bad("holds a malformed escape")
		case seg == "" && p != "/":
			return bad("must not hold an empty segment (\"//\" or a trailing \"/\")")
		case dec == "." || dec == "..":
			return bad("must not hold a \".\" or \"..\" segment")
		}
	}
	u := c.baseStr + path
	if parsed, err := url.Parse(u); err != nil || parsed.Host != c.auth.exact {
		return bad("does not stay on the API's host")
	}
	return nil
}

// encodeBody is Do's body as bytes: nil for none.
func encodeBody(body any) ([]byte, error) {
	switch b := body.(type) {
	case nil:
		return nil, nil
	case []byte:
		return b, nil
	case json.RawMessage:
		return b, nil
	case io.Reader:
		return nil, &ArgError{Arg: "body", Value: fmt.Sprintf("%T", body), Reason: "is a reader; pass the bytes ([]byte) or a value to marshal"}
	}
	b, err := json.Marshal(body)
	if err != nil {
		return nil, &ArgError{Arg: "body", Value: fmt.Sprintf("%T", body), Reason: "does not marshal to JSON: " + err.Error()}
	}
	return b, nil
}
