package qovery

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// send is the one way a request reaches the API, for Do and for every
// generated method. It applies the call's options, makes r into the
// *http.Request, sends it through the Client's transport (credentials,
// retries, pacing, the size limit, the token scrubbed), and reads the
// answer into out, from the buffer the transport filled, with no copy. It
// returns the answer's status, 0 when none came.
func (c *Client) send(ctx context.Context, op *operationInfo, r *request, out any, opts []CallOption) (int, error) {
	if r.err != nil {
		return 0, op.failed(r.err)
	}
	s, err := callSettingsOf(opts)
	if err != nil {
		return 0, err
	}
	// gen's builder sets the headers of header parameters, unchecked.
	x, cancel := s.context(ctx, c.auth, r.built == nil)
	defer cancel()
	req, err := r.httpRequest(x, c.base)
	if err != nil {
		return 0, op.failed(err)
	}
	for k, vs := range s.header {
		req.Header[http.CanonicalHeaderKey(k)] = vs
	}
	if accept := nonEmpty(req.Header["Accept"]); len(accept) == 0 {
		req.Header["Accept"] = jsonContentType
	} else {
		req.Header["Accept"] = accept
	}
	_ = c.auth.editRequest(x, req)
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, op.failedOn(req, err)
	}
	defer func() { _ = resp.Body.Close() }()
	s.capture(resp, x)
	return resp.StatusCode, c.auth.scrubError(scrubAll(op.read(resp, x, out)))
}

// nonEmpty is vs without its empty strings, vs itself when it has none.
func nonEmpty(vs []string) []string {
	for i, v := range vs {
		if v == "" {
			out := append([]string(nil), vs[:i]...)
			for _, v := range vs[i+1:] {
				if v != "" {
					out = append(out, v)
				}
			}
			return out
		}
	}
	return vs
}

// fetch is send for an operation that answers a T.
func fetch[T any](ctx context.Context, c *Client, op *operationInfo, r request, opts []CallOption) (*T, error) {
	v := new(T)
	if _, err := c.send(ctx, op, &r, v, opts); err != nil {
		return nil, err
	}
	return v, nil
}

// callBytes is send for an operation whose answer is not JSON. The spec
// of this package has none, the specs as vendors publish them have some.
//
//nolint:unused // called by the services regen writes for such a spec
func callBytes(ctx context.Context, c *Client, op *operationInfo, r request, opts []CallOption) ([]byte, error) {
	var b []byte
	if _, err := c.send(ctx, op, &r, &b, opts); err != nil {
		return nil, err
	}
	return b, nil
}

// callNoAnswer is send for an operation whose success has no body worth
// decoding.
func callNoAnswer(ctx context.Context, c *Client, op *operationInfo, r request, opts []CallOption) error {
	_, err := c.send(ctx, op, &r, nil, opts)
	return err
}

// failedOn explains a failed exchange: for Do, with the method and path
// rather than net/http's whole URL; for a generated method, as Result does.
func (o *operationInfo) failedOn(req *http.Request, err error) error {
	if o.do {
		return scrubAll(fmt.Errorf("qovery: %s %s: %w", req.Method, cleanText(req.URL.Path, 200), unwrapURLError(err)))
	}
	return o.failed(err)
}

// read turns the answer to a call into out, or an error:
//   - a status of 400 or more is an *APIError, except the 404 of a DELETE
//     that an earlier attempt did (see deletedEarlier), which is success;
//   - another status outside 2xx is a *DecodeError;
//   - out nil discards the answer; out of type *[]byte gets its bytes;
//   - an empty or null body where out expects a value is a *DecodeError,
//     but for Do, which leaves out as it was on a 204.
func (o *operationInfo) read(resp *http.Response, x *exchange, out any) error {
	body, err := answerBytes(resp)
	if err != nil {
		return o.decodeError(resp, fmt.Errorf("reading body: %w", err))
	}
	code := resp.StatusCode
	switch {
	case code >= 400 && deletedEarlier(resp):
		return nil
	case code >= 400:
		return newAPIError(resp, bytes.Clone(body), x)
	case code < 200 || code > 299:
		return o.decodeError(resp, fmt.Errorf("unexpected status %d", code))
	case out == nil, o.do && code == http.StatusNoContent:
		return nil
	}
	if raw, ok := out.(*[]byte); ok {
		*raw = bytes.Clone(body)
		return nil
	}
	trimmed := bytes.TrimSpace(body)
	switch {
	case len(trimmed) == 0:
		return o.decodeError(resp, errors.New("empty body"))
	case bytes.Equal(trimmed, []byte("null")):
		return o.decodeError(resp, errNullBody)
	}
	if err := json.Unmarshal(body, out); err != nil {
		return o.decodeError(resp, err)
	}
	return nil
}

// decodeError is the *DecodeError of a 2xx (or other non-error) answer
// that cannot be taken, as Result words it.
func (o *operationInfo) decodeError(resp *http.Response, err error) *DecodeError {
	return o.shape().decodeError(resp, resp.StatusCode, err)
}

// answerBytes is the body of resp: the transport's buffer itself when it is
// still in hand, valid until the body is closed.
func answerBytes(resp *http.Response) ([]byte, error) {
	if b, ok := resp.Body.(*bufferedBody); ok {
		return b.bytes(), nil
	}
	return io.ReadAll(resp.Body)
}

// unwrapURLError drops the *url.Error net/http wraps around a failure,
// whose text repeats the whole URL, query included.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err
	}
	return err
}
