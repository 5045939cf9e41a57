package qovery

import (
	"context"
	"math/rand/v2"
	"net/http"
	"time"
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
//   - Every request that reaches the server is an attempt: the transport
//     below cannot send one again on its own. The body of each attempt
//     refuses to be rewound once its headers are written, so HTTP/2 does
//     not resend it after a stream reset, nor HTTP/1.1 after a reused
//     connection fails, and a request without a body is given an empty one
//     for the same reason (HTTP/1.1 sends it as an empty chunked body for a
//     POST, PATCH or PUT, and none for a GET, HEAD or DELETE). So the server
//     sees at most MaxAttempts requests per call.
//   - Other 4xx statuses, 501, certificate errors and a cancelled context are
//     never retried.
//   - Every attempt sends the same body bytes: the request's GetBody is used
//     (the generated client always sets it); a body without one is read into
//     memory before the first attempt.
//   - A wait that would end after the context's deadline is not started:
//     the last response or error is returned at once.
//   - A DELETE that is sent again after an attempt that may have taken
//     effect (answered 502, 503 or 504, or cut off after the request may
//     have left) and then answered 404 succeeds: the earlier attempt
//     deleted the object and its answer was lost. A 404 to the first
//     attempt, or after attempts that surely did nothing (a 429, a refused
//     connection), is an *APIError matching ErrNotFound. Every DELETE of the
//     services, and Check, follow this rule.
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
