package qovery

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
)

const (
	maxErrorBody = 1 << 20  // bytes of an error response kept for *APIError
	maxDrain     = 64 << 10 // bytes read from a discarded body to reuse its connection
)

// replayable returns req with a body that every attempt can send again: a
// request whose body has no GetBody has it read into memory first. With a
// single attempt allowed, req is returned as it is.
func replayable(req *http.Request, maxAttempts int) (*http.Request, error) {
	if maxAttempts <= 1 || req.Body == nil || req.Body == http.NoBody || req.GetBody != nil {
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

// attemptRequest returns the request to send for attempt number n of req,
// traced into wire when not nil, and sealed (see sealBody): the first attempt sends req's
// own body, later ones a fresh copy from GetBody.
func attemptRequest(req *http.Request, n int, wire *wireTrace) (*http.Request, error) {
	body := req.Body
	if n > 1 && req.GetBody != nil && req.Body != nil && req.Body != http.NoBody {
		b, err := req.GetBody()
		if err != nil {
			return nil, fmt.Errorf("qovery: rewinding request body: %w", err)
		}
		body = b
	}
	var r *http.Request
	if wire != nil {
		r = wire.traced(req)
	} else {
		r = new(http.Request)
		*r = *req
	}
	sealBody(r, body, req.GetBody, wire)
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
		switch n := resp.ContentLength; {
		case errStatus:
			buf, _, err = readCapped(buf, resp.Body, t.errorBodyRead(), n)
		case n > t.maxBody:
			err = t.tooLarge()
		default: // n < 0 when unknown, or decompressed on the fly: it may inflate
			var over bool
			buf, over, err = readCapped(buf, resp.Body, t.maxBody, n)
			if over {
				err = t.tooLarge()
			}
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

// readCapped reads r to its end into buf, which holds at most limit bytes;
// over reports that r held more. size, when positive, is the length r
// announced. The memory it takes is bounded by the limit, not by r: the
// buffer grows by doubling but never past the limit, and the byte that
// tells a body of exactly limit bytes from a larger one is read aside. So
// an answer that inflates far past the limit costs about twice the limit
// in allocations, rather than the doubling of a buffer past it. It returns
// the buffer holding the body, which may be a new one.
func readCapped(buf *bytes.Buffer, r io.Reader, limit, size int64) (_ *bytes.Buffer, over bool, err error) {
	if n := min(size, limit); n > int64(buf.Cap()) {
		buf = resized(buf, n)
	}
	for {
		if int64(buf.Len()) >= limit {
			var one [1]byte
			n, err := io.ReadAtLeast(r, one[:], 1)
			if errors.Is(err, io.EOF) {
				err = nil
			}
			return buf, n > 0, err
		}
		if buf.Available() == 0 {
			buf = growCapped(buf, limit)
		}
		p := buf.AvailableBuffer()
		p = p[:min(int64(cap(p)), limit-int64(buf.Len()))]
		n, err := r.Read(p)
		buf.Write(p[:n])
		if errors.Is(err, io.EOF) {
			return buf, false, nil
		}
		if err != nil {
			return buf, false, err
		}
	}
}

// growCapped makes room in buf, a full buffer holding less than limit
// bytes: it doubles it while a second doubling would stay within the
// limit, and otherwise moves to a buffer of exactly limit bytes (which is
// at most four times the current one, so it can be allocated). The
// doublings then add up to at most the limit, and the whole read to twice
// the limit.
func growCapped(buf *bytes.Buffer, limit int64) *bytes.Buffer {
	c := int64(max(buf.Cap(), bytes.MinRead))
	if 4*c <= limit {
		return resized(buf, 2*c)
	}
	return resized(buf, limit)
}

// resized returns a buffer of capacity n holding buf's bytes. Up to
// maxPooled, it is buf grown in place, so that the pool keeps buffers of
// the sizes answers have. Past it, it is a new buffer, of exactly n bytes
// (bytes.Buffer.Grow, built with the race detector, allocates twice what
// it keeps), and buf goes back to the pool.
func resized(buf *bytes.Buffer, n int64) *bytes.Buffer {
	if n <= maxPooled {
		buf.Grow(int(n) - buf.Len())
		return buf
	}
	b := make([]byte, buf.Len(), n)
	copy(b, buf.Bytes())
	release(buf)
	return bytes.NewBuffer(b)
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
//
// A value that changes is written into a copy of its slice: the slice may
// be shared with a request (a transport that echoes the request's headers
// back), whose credential must stay whole.
func (t *transport) scrubHeader(h http.Header) {
	for k, vs := range h {
		copied := false
		for i, v := range vs {
			r := t.auth.redact(v)
			if r == v {
				continue
			}
			if !copied {
				vs, copied = slices.Clone(vs), true
				h[k] = vs
			}
			vs[i] = r
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

// bytes returns what is left to read, without copying it: valid until
// Close.
func (b *bufferedBody) bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf == nil {
		return nil
	}
	return b.buf.Bytes()
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
