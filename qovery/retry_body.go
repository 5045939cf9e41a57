package qovery

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
)

const (
	maxErrorBody = 1 << 20  // bytes of an error response kept for *APIError
	maxDrain     = 64 << 10 // bytes read from a discarded body to reuse its connection
)

// replayable returns req with a body that every attempt can send again: a
// request whose body has no GetBody has it read into memory first. With a
// single attempt allowed, req is returned as it is.
func (t *transport) replayable(req *http.Request) (*http.Request, error) {
	if t.policy.MaxAttempts <= 1 || req.Body == nil || req.Body == http.NoBody || req.GetBody != nil {
		return req, nil
	}
	b, err := io.ReadAll(req.Body)
	_ = req.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("qovery: reading request body: %w", err)
	}
	r := new(http.Request)
	*r = *req
	r.Body = io.NopCloser(bytes.NewReader(b))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	return r, nil
}

// attemptRequest returns the request to send for attempt number n of req:
// the first attempt sends req's own body, later ones a fresh copy from
// GetBody. When seal is set (a request that is not idempotent), the attempt
// cannot be resent by the transport below; see sealBody.
func attemptRequest(req *http.Request, n int, seal bool) (*http.Request, error) {
	if n == 1 && !seal {
		return req, nil
	}
	body := req.Body
	if n > 1 && req.GetBody != nil && req.Body != nil && req.Body != http.NoBody {
		b, err := req.GetBody()
		if err != nil {
			return nil, fmt.Errorf("qovery: rewinding request body: %w", err)
		}
		body = b
	}
	r := new(http.Request)
	*r = *req
	r.Body = body
	if seal {
		sealBody(r, body)
	}
	return r, nil
}

// buffer reads the body of the response handed back to the caller into a
// pooled buffer, so that the caller's read cannot fail midway. Error
// responses are kept up to maxErrorBody bytes, so that a huge or endless
// error body cannot exhaust memory, and the credential is scrubbed from them
// should the server echo it. A failed read is returned as a *DecodeError
// carrying the status.
func (t *transport) buffer(resp *http.Response) error {
	t.scrubHeader(resp.Header)
	errStatus := resp.StatusCode >= 400
	if (resp.Body == nil || resp.Body == http.NoBody) && !errStatus {
		return nil
	}
	buf := bufPool.Get().(*bytes.Buffer)
	var err error
	if resp.Body != nil && resp.Body != http.NoBody {
		var src io.Reader = resp.Body
		switch n := resp.ContentLength; {
		case errStatus:
			src = io.LimitReader(resp.Body, t.errorBodyRead())
		case n > t.maxBody:
			src = strings.NewReader("")
			err = t.tooLarge()
		case n < 0: // unknown, or decompressed on the fly: it may inflate
			src = io.LimitReader(resp.Body, t.maxBody+1)
		case n > 0 && n <= maxPooled:
			buf.Grow(int(n) + bytes.MinRead)
		}
		if err == nil {
			_, err = buf.ReadFrom(src)
		}
		if err == nil && !errStatus && int64(buf.Len()) > t.maxBody {
			err = t.tooLarge()
		}
		_ = resp.Body.Close()
	}
	if err != nil {
		release(buf)
		if !errors.Is(err, ErrResponseTooLarge) {
			err = fmt.Errorf("reading body: %w", err)
		}
		e := &DecodeError{StatusCode: resp.StatusCode, Err: err}
		if resp.Request != nil {
			e.Method, e.Path = resp.Request.Method, resp.Request.URL.Path
		}
		return e
	}
	if errStatus {
		t.keepErrorBody(buf)
	}
	resp.ContentLength = int64(buf.Len())
	resp.Body = &bufferedBody{buf: buf}
	return nil
}

// errorBodyRead is how much of an error body is read: maxErrorBody, and
// past it as many bytes as the token can take escaped, so that a token
// straddling maxErrorBody is read whole, and scrubbed, before the body is
// cut there.
func (t *transport) errorBodyRead() int64 {
	return maxErrorBody + int64(t.auth.cred.reach)
}

// keepErrorBody scrubs the credential from the error body in buf and cuts
// it to maxErrorBody. A body that filled the read was cut short there, and
// may end in part of a token, which goes too.
func (t *transport) keepErrorBody(buf *bytes.Buffer) {
	cut := int64(buf.Len()) >= t.errorBodyRead()
	if b := t.auth.scrubBody(buf.Bytes(), cut); !bytes.Equal(b, buf.Bytes()) {
		buf.Reset()
		buf.Write(b)
	}
	if buf.Len() > maxErrorBody {
		buf.Truncate(maxErrorBody)
	}
}

func (t *transport) tooLarge() error {
	return fmt.Errorf("%w: more than %d bytes once decompressed (WithMaxResponseBody raises the limit)", ErrResponseTooLarge, t.maxBody)
}

// scrubHeader removes the credential from response headers, should the
// server echo it (in a request ID, say).
func (t *transport) scrubHeader(h http.Header) {
	for _, vs := range h {
		for i, v := range vs {
			vs[i] = t.auth.redact(v)
		}
	}
}

// maxPooled is the largest buffer kept for reuse.
const maxPooled = 256 << 10

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func release(b *bytes.Buffer) {
	if b.Cap() <= maxPooled {
		b.Reset()
		bufPool.Put(b)
	}
}

// bufferedBody is a response body read ahead by the transport. Close
// returns its buffer to the pool.
type bufferedBody struct {
	mu  sync.Mutex
	buf *bytes.Buffer // nil once closed
}

func (b *bufferedBody) Read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf == nil {
		return 0, io.EOF
	}
	if b.buf.Len() == 0 {
		return 0, io.EOF
	}
	return b.buf.Read(p)
}

func (b *bufferedBody) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf != nil {
		release(b.buf)
		b.buf = nil
	}
	return nil
}

// discard drains a little of a response that is not returned, so its
// connection can be reused, and closes it.
func discard(resp *http.Response) {
	if resp == nil || resp.Body == nil {
		return
	}
	_, _ = io.CopyN(io.Discard, resp.Body, maxDrain)
	_ = resp.Body.Close()
}
