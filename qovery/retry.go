package qovery

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
)

// transport is the single layer under the generated client that adds
// credentials (for the API origin only) and retries.
//
// It is our own rather than hashicorp/go-retryablehttp because that library
// cannot keep the rules of RetryPolicy: its CheckRetry is given the context,
// the response and the error but not the request, so on a failed exchange,
// where there is no response, it cannot tell a POST from a GET; its Backoff
// returns a duration and has no hook to refuse a Retry-After beyond a bound
// (MaxRetryAfter) and hand the answer back instead; it never compares the
// wait with the context's deadline before sleeping, so it sleeps until the
// deadline and returns the cancellation instead of the last answer; and once
// the retries are used up it closes the final response and returns an error
// of its own, losing the status and body *APIError needs.
//
// A 500 is never retried, whatever the method: on a write it may have taken
// effect, and on a GET, where a retry would be safe, it reports a failure of
// the server on this request rather than a passing state, which 502, 503 and
// 504 are for. 501 is final too. See classify.
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

// roundTrip is the retry loop: send an attempt, classify its outcome, decide
// once whether to retry it, wait, and send the next.
func (t *transport) roundTrip(req *http.Request) (*http.Response, error) {
	c, err := t.begin(req)
	if err != nil {
		return nil, err
	}
	for n := 1; ; n++ {
		a, err := t.send(&c, n)
		if err != nil {
			return nil, err
		}
		if err := a.abandoned(c.ctx); err != nil {
			return nil, err
		}
		if !a.retryable {
			t.keep(&c, &a) // a final answer; a body cut off midway may make it retryable
		}
		d := t.decide(c.ctx, c.policy, &a)
		if !d.retry {
			t.keep(&c, &a) // the answer handed back, when a retry was refused
			t.logAttempt(c.ctx, &a, d)
			return a.result(d)
		}
		t.logAttempt(c.ctx, &a, d)
		c.earlierEffect = c.earlierEffect || a.mayHaveTakenEffect()
		a.discard()
		if err := sleep(c.ctx, d.delay); err != nil {
			return nil, fmt.Errorf("qovery: %s %s: gave up waiting to retry after %d attempt(s): %w", a.req.Method, a.req.URL.Path, n, err)
		}
	}
}

// call is one request handed to the transport, followed across its attempts.
type call struct {
	req           *http.Request
	ctx           context.Context
	idem          bool         // safe to send more than once
	earlierEffect bool         // an attempt before the current one may have taken effect
	exchange      *exchange    // where the answer's attempts are reported; nil outside the generated client
	policy        *RetryPolicy // the call's own (CallRetryPolicy), or the Client's
}

// begin checks and prepares a request before its first attempt: the
// credential (for the API origin only), a share of the retry budget, and a
// body every attempt can send again.
func (t *transport) begin(req *http.Request) (call, error) {
	x := exchangeIn(req.Context())
	if x == nil || !x.headersChecked {
		if err := unsendable(req); err != nil {
			return call{}, err
		}
	}
	req, stripped := t.auth.prepare(req)
	ctx := req.Context()
	if stripped {
		t.debug(ctx, "qovery: authorization removed for a request outside the API origin", slog.String("url", redactURL(req)))
	}
	t.budget.deposit()
	policy := &t.policy
	if x != nil && x.policy != nil {
		policy = x.policy
	}
	req, err := replayable(req, policy.MaxAttempts)
	if err != nil {
		return call{}, err
	}
	return call{req: req, ctx: ctx, idem: idempotentMethod(req.Method) || markedIdempotent(ctx), exchange: x, policy: policy}, nil
}
