package qovery

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// attempt is one sending of a request and what came of it. It is bounded by
// AttemptTimeout when that is set.
type attempt struct {
	n    int           // 1 for the first attempt
	req  *http.Request // as sent
	wire *wireTrace    // what happened on the connection; nil when not traced
	resp *http.Response
	err  error
	kept bool // resp's body has been read into memory

	outcome // set by classify

	parent context.Context
	actx   context.Context // nil without AttemptTimeout
	stop   context.CancelFunc
	d      time.Duration
}

// send makes attempt number n of the call and classifies its outcome. An
// error means the attempt could not even be made.
func (t *transport) send(c *call, n int) (attempt, error) {
	a := attempt{n: n}
	if traceable(c.req.Method) {
		a.wire = newWireTrace()
	}
	r, err := attemptRequest(c.req, n, a.wire)
	if err != nil {
		return attempt{}, err
	}
	if err := t.limits.wait(c.ctx, r); err != nil {
		return attempt{}, err
	}
	a.start(r, c.policy.AttemptTimeout)
	a.resp, a.err = t.next.RoundTrip(a.req)
	a.checkContract()
	if a.resp != nil {
		t.limits.observe(a.resp.Header, time.Now())
	}
	t.limits.done()
	if a.err != nil {
		a.err = a.explain(a.err)
	}
	a.outcome = classify(a.resp, a.err, a.wire, c.idem)
	return a, nil
}

// checkContract holds the RoundTripper below to its contract: exactly one
// of a response and an error. A response given with an error is closed and
// the error kept; neither is a broken transport, reported as a final error
// rather than a nil response for the layers above to trip on.
func (a *attempt) checkContract() {
	switch {
	case a.resp != nil && a.err != nil:
		discard(a.resp)
		a.resp = nil
	case a.resp == nil && a.err == nil:
		a.err = errNoResponse
	}
}

func (a *attempt) start(r *http.Request, timeout time.Duration) {
	a.req = r
	if timeout > 0 {
		a.parent, a.d = r.Context(), timeout
		a.actx, a.stop = context.WithTimeout(a.parent, timeout)
		a.req = r.WithContext(a.actx)
	}
}

func (a *attempt) cancel() {
	if a.stop != nil {
		a.stop()
	}
}

// explain marks an error caused by AttemptTimeout, while the caller's
// context is still live, as an attempt timeout.
func (a *attempt) explain(err error) error {
	if a.actx != nil && a.parent.Err() == nil && a.actx.Err() != nil {
		return &attemptTimeoutError{d: a.d, err: err}
	}
	return err
}

// abandoned returns the error to report when the caller gave up during the
// attempt: an outcome that would otherwise have been retried, or a failure,
// is reported as the cancellation, whichever of the two the transport
// noticed first. A final answer that arrived in time is still returned.
func (a *attempt) abandoned(ctx context.Context) error {
	cerr := ctx.Err()
	if cerr == nil || !a.retryable && a.err == nil {
		return nil
	}
	a.discard()
	return fmt.Errorf("qovery: %s %s: %w", a.req.Method, a.req.URL.Path, cerr)
}

// keep reads the body of the response to be handed back within the attempt
// (see buffer), and reports the attempts that led to it to the exchange of
// the call. A failed read becomes the outcome of the attempt.
func (t *transport) keep(c *call, a *attempt) {
	if a.resp == nil || a.kept {
		return
	}
	a.kept = true
	if err := t.buffer(a.resp); err != nil {
		a.resp, a.err = nil, a.explain(err)
		a.outcome = classify(nil, a.err, a.wire, c.idem)
		return
	}
	c.exchange.record(a.n, c.earlierEffect)
}

// mayHaveTakenEffect reports whether an attempt that is about to be retried
// may have been processed: anything but a 429, which the server sends
// instead of doing the work, and a failure that proves nothing was sent.
func (a *attempt) mayHaveTakenEffect() bool {
	if a.err != nil {
		return classifyFailure(a.err, a.wire) != neverSent
	}
	return a.resp == nil || a.resp.StatusCode != http.StatusTooManyRequests
}

// discard drops the attempt's response, if any, and releases its timeout.
func (a *attempt) discard() {
	discard(a.resp)
	a.cancel()
}

// result is what RoundTrip returns once it has decided not to retry.
func (a *attempt) result(d decision) (*http.Response, error) {
	a.cancel()
	switch {
	case a.err == nil:
		return a.resp, nil
	case a.n > 1:
		return nil, fmt.Errorf("qovery: gave up after %d attempts (%s): %w", a.n, d.reason, a.err)
	}
	return nil, a.err
}
