package qovery

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/qoverykit/qovery-go/gen"
)

// RetryPolicy says when and how often a request is sent again. Zero fields
// take the default shown beside them.
//
// Whatever the policy, the rules are fixed:
//   - GET, HEAD, PUT, DELETE (and OPTIONS, TRACE) are retried on 429, 502,
//     503 and 504, on a connection reset or EOF, and on timeouts.
//   - POST and PATCH may have reached the server when they fail, so they are
//     sent once, and retried only when they surely were not processed: a
//     failure to dial or resolve, a refused connection, a TLS handshake
//     that failed before the connection was handed to the request, or a
//     429. Any failure after that (a reset, EOF, a TLS record gone bad) may
//     have reached the server. WithIdempotent lifts this restriction for a
//     call.
//   - The transport below cannot resend a POST or PATCH either: the body of
//     each attempt refuses to be rewound, so HTTP/2 does not send it again
//     after a stream reset, and a request without a body is given an empty
//     one for the same reason (HTTP/1.1 sends it as an empty chunked body).
//   - Other 4xx statuses, 501, certificate errors and a cancelled context are
//     never retried.
//   - Every attempt sends the same body bytes: the request's GetBody is used
//     (the generated client always sets it); a body without one is read into
//     memory before the first attempt.
//   - A wait that would end after the context's deadline is not started:
//     the last response or error is returned at once.
type RetryPolicy struct {
	// MaxAttempts is the number of times a request may be sent, the first
	// one included (default 4). 1 disables retries.
	MaxAttempts int

	// BaseDelay and MaxDelay shape the exponential backoff: before retry n
	// the client sleeps a random duration in [0, min(MaxDelay,
	// BaseDelay*2^(n-1))) ("full jitter"). Defaults 500ms and 15s.
	BaseDelay time.Duration
	MaxDelay  time.Duration

	// MaxRetryAfter bounds the wait the server may ask for with Retry-After
	// (seconds or HTTP date) or X-RateLimit-Reset (default 60s). A longer
	// wait is not slept: the response is returned at once, and the
	// resulting *APIError carries the reset time in RetryAt.
	MaxRetryAfter time.Duration

	// AttemptTimeout, when positive, bounds each attempt, reading its body
	// included. An attempt that times out is retried like a network timeout.
	// The default, 0, leaves timing to the request's context.
	AttemptTimeout time.Duration

	// BudgetRatio and BudgetBurst form a retry budget shared by all calls of
	// a Client: each call earns BudgetRatio of a retry, at most BudgetBurst
	// retries can be saved up, and each retry spends one. A new Client
	// starts with BudgetBurst retries, an advance on what its first calls
	// earn. So over any run of calls, a sustained outage included, the
	// retries number at most max(BudgetBurst, BudgetRatio × calls): with
	// the defaults, 0.2 and 10, a long outage costs at most 1.2 requests per
	// call. A negative BudgetRatio disables the budget.
	BudgetRatio float64
	BudgetBurst float64
}

// DefaultRetryPolicy returns the policy used when none is given.
func DefaultRetryPolicy() RetryPolicy { return RetryPolicy{}.withDefaults() }

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 4
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = 500 * time.Millisecond
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = 15 * time.Second
	}
	if p.MaxDelay < p.BaseDelay {
		p.MaxDelay = p.BaseDelay
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = time.Minute
	}
	if p.BudgetRatio == 0 {
		p.BudgetRatio = 0.2
	}
	if p.BudgetBurst <= 0 {
		p.BudgetBurst = 10
	}
	return p
}

// backoff returns the full-jitter delay before retry number n (1 for the
// first retry).
func (p *RetryPolicy) backoff(n int) time.Duration {
	d := p.MaxDelay
	if n < 32 {
		if b := p.BaseDelay << (n - 1); b > 0 && b < d {
			d = b
		}
	}
	return rand.N(d)
}

type idempotentKey struct{}

// WithIdempotent returns a context that marks the calls made with it as safe
// to repeat, so that a POST or PATCH is retried like a GET. Use it for
// operations the server deduplicates or that have no side effect.
func WithIdempotent(ctx context.Context) context.Context {
	return context.WithValue(ctx, idempotentKey{}, true)
}

func markedIdempotent(ctx context.Context) bool {
	v, _ := ctx.Value(idempotentKey{}).(bool)
	return v
}

func idempotentMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions, http.MethodTrace, "":
		return true
	}
	return false
}

// budget is a token bucket counted in thousandths of a retry. It starts
// full; the deposits of the first calls repay that advance instead of
// adding to the balance.
type budget struct {
	milli   atomic.Int64 // balance
	calls   atomic.Int64 // calls seen, counted until the advance is repaid
	earn    int64        // deposit per call
	max     int64        // balance cap
	advance int64        // calls whose deposits repay the initial balance
}

func newBudget(ratio, burst float64) *budget {
	if ratio < 0 {
		return nil
	}
	b := &budget{earn: int64(ratio * 1000), max: int64(burst * 1000)}
	if b.earn > 0 {
		b.advance = (b.max + b.earn - 1) / b.earn
	}
	b.milli.Store(b.max)
	return b
}

func (b *budget) deposit() {
	if b == nil {
		return
	}
	if b.calls.Load() < b.advance && b.calls.Add(1) <= b.advance {
		return
	}
	for {
		cur := b.milli.Load()
		next := min(cur+b.earn, b.max)
		if next == cur || b.milli.CompareAndSwap(cur, next) {
			return
		}
	}
}

func (b *budget) withdraw() bool {
	if b == nil {
		return true
	}
	for {
		cur := b.milli.Load()
		if cur < 1000 {
			return false
		}
		if b.milli.CompareAndSwap(cur, cur-1000) {
			return true
		}
	}
}

const (
	maxErrorBody = 1 << 20  // bytes of an error response kept for *APIError
	maxDrain     = 64 << 10 // bytes read from a discarded body to reuse its connection
)

// transport is the single layer under the generated client that adds
// credentials (for the API origin only) and retries.
type transport struct {
	next    http.RoundTripper
	auth    *authorizer
	policy  RetryPolicy
	budget  *budget
	logger  *slog.Logger
	maxBody int64 // bytes a success body may take once decompressed
	limits  *limiter
}

// Format keeps the transport's fields, the credential among them, out of any
// printed form.
func (t transport) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, "qovery.transport") }

// RoundTrip implements http.RoundTripper.
//
// The body of the response it returns has been read into memory within the
// attempt, so that an answer cut off midway is retried like a reset
// connection (for idempotent requests), AttemptTimeout covers the body, and
// a failed read still reports the status code.
//
// Every error it returns has the credential scrubbed from its text,
// whichever layer produced it (the caller's own RoundTripper included).
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.roundTrip(req)
	if err != nil {
		return nil, t.auth.scrubError(err)
	}
	return resp, nil
}

func (t *transport) roundTrip(req *http.Request) (*http.Response, error) {
	if err := unsendable(req); err != nil {
		return nil, err
	}
	req, stripped := t.auth.prepare(req)
	ctx := req.Context()
	if stripped {
		t.debug(ctx, "qovery: authorization removed for a request outside the API origin", slog.String("url", redactURL(req)))
	}
	t.budget.deposit()
	idem := idempotentMethod(req.Method) || markedIdempotent(ctx)

	if t.policy.MaxAttempts > 1 && req.Body != nil && req.Body != http.NoBody && req.GetBody == nil {
		// Keep the bytes so that every attempt sends the same body.
		b, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("qovery: reading request body: %w", err)
		}
		r := new(http.Request)
		*r = *req
		r.Body = io.NopCloser(bytes.NewReader(b))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
		req = r
	}

	var r *http.Request
	earlierEffect := false // an attempt before this one may have taken effect
	for attempt := 1; ; attempt++ {
		var err error
		if r, err = attemptRequest(req, attempt, !idem); err != nil {
			return nil, err
		}
		var wire *wireTrace
		if traceable(req.Method) {
			wire = new(wireTrace)
			r = wire.traced(r)
		}
		if err := t.limits.wait(ctx); err != nil {
			return nil, err
		}
		a := t.start(r)
		resp, err := t.next.RoundTrip(a.req)
		if resp != nil {
			t.limits.observe(resp.Header, time.Now())
		}
		t.limits.done()
		if err != nil {
			err = a.explain(err)
		}
		if cerr := ctx.Err(); cerr != nil {
			// The caller gave up. An outcome that would otherwise have been
			// retried is reported as the cancellation, whichever of the two
			// the transport noticed first.
			if again, _ := t.shouldRetry(context.WithoutCancel(ctx), resp, err, idem, wire); again || err != nil {
				discard(resp)
				a.cancel()
				return nil, fmt.Errorf("qovery: %s %s: %w", r.Method, r.URL.Path, cerr)
			}
		}
		retry, wait := t.shouldRetry(ctx, resp, err, idem, wire)
		delay, why := t.veto(ctx, retry, attempt, wait)
		if resp != nil && (!retry || why != "") {
			// The final answer: read its body within the attempt.
			if err = t.buffer(resp, attempt, earlierEffect); err != nil {
				resp, err = nil, a.explain(err)
				retry, _ = t.shouldRetry(ctx, nil, err, idem, wire)
				delay, why = t.veto(ctx, retry, attempt, 0)
			}
		}
		if retry && why == "" {
			earlierEffect = earlierEffect || mayHaveTakenEffect(resp, err, wire)
		}
		t.logAttempt(ctx, r, attempt, resp, err, delay, why)

		if !retry || why != "" {
			a.cancel()
			switch {
			case err == nil:
				return resp, nil
			case attempt > 1:
				return nil, fmt.Errorf("qovery: gave up after %d attempts: %w", attempt, err)
			}
			return nil, err
		}
		discard(resp)
		a.cancel()
		if err := sleep(ctx, delay); err != nil {
			return nil, fmt.Errorf("qovery: %s %s: gave up waiting to retry after %d attempt(s): %w", r.Method, r.URL.Path, attempt, err)
		}
	}
}

// veto decides whether a retryable outcome is retried after all, and after
// what delay. It returns a non-empty reason when it is not.
func (t *transport) veto(ctx context.Context, retry bool, attempt int, wait time.Duration) (time.Duration, string) {
	switch {
	case !retry:
		return 0, ""
	case attempt >= t.policy.MaxAttempts:
		return 0, "attempts exhausted"
	case wait > t.policy.MaxRetryAfter:
		return 0, "server asks to wait longer than the policy allows"
	}
	delay := max(wait, t.policy.backoff(attempt))
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < delay {
		return 0, "context deadline comes before the next attempt"
	}
	if !t.budget.withdraw() {
		return 0, "retry budget exhausted"
	}
	return delay, ""
}

// try is one attempt of a request, bounded by AttemptTimeout when it is set.
type try struct {
	req    *http.Request
	parent context.Context
	actx   context.Context // nil without AttemptTimeout
	stop   context.CancelFunc
	d      time.Duration
}

func (t *transport) start(r *http.Request) try {
	a := try{req: r}
	if d := t.policy.AttemptTimeout; d > 0 {
		a.parent, a.d = r.Context(), d
		a.actx, a.stop = context.WithTimeout(a.parent, d)
		a.req = r.WithContext(a.actx)
	}
	return a
}

func (a *try) cancel() {
	if a.stop != nil {
		a.stop()
	}
}

// explain marks an error caused by AttemptTimeout, while the caller's
// context is still live, as an attempt timeout.
func (a *try) explain(err error) error {
	if a.actx != nil && a.parent.Err() == nil && a.actx.Err() != nil {
		return &attemptTimeoutError{d: a.d, err: err}
	}
	return err
}

// shouldRetry reports whether the outcome of an attempt may be retried and
// the wait the server asked for, if any.
func (t *transport) shouldRetry(ctx context.Context, resp *http.Response, err error, idem bool, wire *wireTrace) (bool, time.Duration) {
	if ctx.Err() != nil {
		return false, 0
	}
	if err != nil {
		switch classifyError(err, wire) {
		case errNotSent:
			return true, 0
		case errMaybeSent:
			return idem, 0
		}
		return false, 0
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		wait, _ := serverWait(resp.Header, time.Now(), true)
		return true, wait
	case http.StatusServiceUnavailable:
		wait, _ := serverWait(resp.Header, time.Now(), false)
		return idem, wait
	case http.StatusBadGateway, http.StatusGatewayTimeout:
		return idem, 0
	}
	return false, 0
}

type errClass int

const (
	errFatal     errClass = iota // never retried
	errNotSent                   // the request surely did not reach the server
	errMaybeSent                 // it may have: retried only when idempotent
)

// classifyError sorts a failed attempt. Cancellation, certificate errors
// and a request net/http refuses to send are final. Only a failure that proves no byte of the request left counts
// as not sent: a dial, DNS or refused connection error, or a TLS handshake
// that failed before the connection was handed to the request (wire says
// so; without it, a TLS error may come from a record corrupted after the
// request was written). Anything after the connection was handed over may
// have reached the server.
func classifyError(err error, wire *wireTrace) errClass {
	var (
		opErr  *net.OpError
		dnsErr *net.DNSError
	)
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded) && !isAttemptTimeout(err):
		return errFatal
	case isCertificateError(err):
		return errFatal
	case refusedByNetHTTP(err), errors.Is(err, ErrResponseTooLarge):
		return errFatal
	case wire != nil && wire.gotConn.Load():
		return errMaybeSent
	case errors.Is(err, syscall.ECONNREFUSED), errors.As(err, &dnsErr),
		errors.As(err, &opErr) && opErr.Op == "dial",
		wire != nil && wire.handshakeFailed.Load():
		return errNotSent
	}
	// Anything else (a reset, EOF, a timeout, a TLS record gone bad, a
	// connection broken midway, a body cut off) may have reached the server.
	return errMaybeSent
}

// mayHaveTakenEffect reports whether an attempt that is about to be retried
// may have been processed: anything but a 429, which the server sends
// instead of doing the work, and a failure that proves nothing was sent.
func mayHaveTakenEffect(resp *http.Response, err error, wire *wireTrace) bool {
	if err != nil {
		return classifyError(err, wire) != errNotSent
	}
	return resp == nil || resp.StatusCode != http.StatusTooManyRequests
}

// attemptRequest returns the request to send for attempt number attempt of
// req: the first attempt sends req's own body, later ones a fresh copy from
// GetBody. When seal is set (a request that is not idempotent), the attempt
// cannot be resent by the transport below; see sealBody.
func attemptRequest(req *http.Request, attempt int, seal bool) (*http.Request, error) {
	if attempt == 1 && !seal {
		return req, nil
	}
	body := req.Body
	if attempt > 1 && req.GetBody != nil && req.Body != nil && req.Body != http.NoBody {
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

// isCertificateError reports a server certificate that failed
// verification: permanent, whatever is retried.
func isCertificateError(err error) bool {
	var (
		certInvalid  x509.CertificateInvalidError
		unknownCA    x509.UnknownAuthorityError
		hostname     x509.HostnameError
		verification *tls.CertificateVerificationError
	)
	return errors.As(err, &certInvalid) || errors.As(err, &unknownCA) || errors.As(err, &hostname) || errors.As(err, &verification)
}

// serverWait returns how long the server asked the client to wait, from
// Retry-After (seconds or HTTP date) or, when useReset is set, from
// X-RateLimit-Reset (Unix seconds, or seconds from now for small values).
func serverWait(h http.Header, now time.Time, useReset bool) (time.Duration, bool) {
	at, ok := resetTime(h, now, useReset)
	if !ok {
		return 0, false
	}
	return max(at.Sub(now), 0), true
}

// resetTime returns the instant from which the server accepts requests again.
func resetTime(h http.Header, now time.Time, useReset bool) (time.Time, bool) {
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if n, ok := parseSeconds(v); ok {
			return now.Add(secondsDuration(n)), true
		}
		if t, err := http.ParseTime(v); err == nil {
			return t, true
		}
	}
	if useReset {
		if v := strings.TrimSpace(h.Get("X-RateLimit-Reset")); v != "" {
			return rateLimitReset(v, now)
		}
	}
	return time.Time{}, false
}

// rateLimitReset reads X-RateLimit-Reset: Unix seconds, or seconds from
// now for small values.
func rateLimitReset(v string, now time.Time) (time.Time, bool) {
	n, ok := parseSeconds(v)
	switch {
	case !ok:
		return time.Time{}, false
	case n >= 1_000_000_000: // an instant, in Unix seconds
		return time.Unix(int64(min(n, 1<<40)), 0), true
	}
	return now.Add(secondsDuration(n)), true
}

// parseSeconds reads a count of seconds. A number of digits too large for
// uint64 is read as the largest one: it announces a wait beyond any clamp,
// not the absence of a wait.
func parseSeconds(v string) (uint64, bool) {
	n, err := strconv.ParseUint(v, 10, 64)
	if err == nil {
		return n, true
	}
	if errors.Is(err, strconv.ErrRange) {
		return math.MaxUint64, true
	}
	return 0, false
}

func secondsDuration(n uint64) time.Duration {
	const maxSeconds = 100 * 365 * 24 * 3600 // far beyond any clamp, far from overflow
	return time.Duration(min(n, maxSeconds)) * time.Second
}

// buffer reads the body of the response handed back to the caller into a
// pooled buffer, so that the caller's read cannot fail midway. Error
// responses are kept up to maxErrorBody bytes, so that a huge or endless
// error body cannot exhaust memory, and the credential is scrubbed from them
// should the server echo it. A failed read is returned as a *DecodeError
// carrying the status.
func (t *transport) buffer(resp *http.Response, attempts int, earlierEffect bool) error {
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
			src = io.LimitReader(resp.Body, maxErrorBody)
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
		if b := t.auth.scrubBody(buf.Bytes()); !bytes.Equal(b, buf.Bytes()) {
			buf.Reset()
			buf.Write(b)
		}
		if strings.Contains(resp.Header.Get("Content-Type"), "json") && !fitsErrorSchema(buf.Bytes()) {
			// The generated parser would fail on this body and drop the
			// whole response, status code included. Labelled as text, it
			// is handed over untouched and becomes an *APIError.
			resp.Header.Set("Content-Type", "text/plain; charset=utf-8")
		}
	}
	resp.ContentLength = int64(buf.Len())
	resp.Body = &bufferedBody{buf: buf, attempts: attempts, earlierEffect: earlierEffect, auth: t.auth}
	return nil
}

func (t *transport) tooLarge() error {
	return fmt.Errorf("%w: more than %d bytes once decompressed (WithMaxResponseBody raises the limit)", ErrResponseTooLarge, t.maxBody)
}

// scrubHeader removes the credential from response headers, should the
// server echo it (in a request ID, say).
func (t *transport) scrubHeader(h http.Header) {
	secret := t.auth.secret
	for _, vs := range h {
		for i, v := range vs {
			if len(v) >= len(secret) && strings.Contains(v, secret) {
				vs[i] = strings.ReplaceAll(v, secret, "[redacted]")
			}
		}
	}
}

func fitsErrorSchema(b []byte) bool {
	var e gen.Error
	return json.Unmarshal(b, &e) == nil
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
// returns its buffer to the pool; it also carries the number of attempts
// for *APIError.
type bufferedBody struct {
	mu            sync.Mutex
	buf           *bytes.Buffer // nil once closed
	attempts      int
	earlierEffect bool        // an attempt before the last may have taken effect
	auth          *authorizer // to scrub the credential from what the body decodes to
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

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-tm.C:
		return nil
	}
}

// attemptTimeoutError reports that one attempt exceeded AttemptTimeout while
// the caller's context was still live.
type attemptTimeoutError struct {
	d   time.Duration
	err error
}

func (e *attemptTimeoutError) Error() string {
	return "qovery: attempt timed out after " + e.d.String()
}
func (e *attemptTimeoutError) Timeout() bool   { return true }
func (e *attemptTimeoutError) Temporary() bool { return true }

func isAttemptTimeout(err error) bool {
	var e *attemptTimeoutError
	return errors.As(err, &e)
}

func (t *transport) debug(ctx context.Context, msg string, attrs ...slog.Attr) {
	if t.logger != nil && t.logger.Enabled(ctx, slog.LevelDebug) {
		t.logger.LogAttrs(ctx, slog.LevelDebug, msg, attrs...)
	}
}

func (t *transport) logAttempt(ctx context.Context, r *http.Request, attempt int, resp *http.Response, err error, delay time.Duration, why string) {
	if t.logger == nil || !t.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := make([]slog.Attr, 0, 7)
	attrs = append(attrs,
		slog.String("method", r.Method),
		slog.String("url", redactURL(r)),
		slog.Int("attempt", attempt),
	)
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", t.auth.redact(err.Error())))
	}
	if delay > 0 {
		attrs = append(attrs, slog.Duration("retry_in", delay))
	}
	if why != "" {
		attrs = append(attrs, slog.String("no_retry", why))
	}
	t.logger.LogAttrs(ctx, slog.LevelDebug, "qovery: http attempt", attrs...)
}

// redactURL is the request URL without user information, query or fragment.
func redactURL(r *http.Request) string {
	u := r.URL
	if u == nil {
		return ""
	}
	return u.Scheme + "://" + u.Host + u.EscapedPath()
}
