package qovery

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"
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
