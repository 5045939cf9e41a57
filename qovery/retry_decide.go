package qovery

import (
	"context"
	"time"
)

// decision is what the transport does after an attempt.
type decision struct {
	retry  bool
	delay  time.Duration // before the next attempt
	reason string        // why not, when retry is false; logged and put in errors
}

// decide is the one decision made per attempt: a retryable outcome is
// retried unless the attempts are used up, the server asks for a wait beyond
// MaxRetryAfter, the wait would end after the context's deadline, or the
// retry budget is empty. A retry it allows is paid for from the budget.
func (t *transport) decide(ctx context.Context, p *RetryPolicy, a *attempt) decision {
	switch {
	case !a.retryable:
		return decision{reason: a.why}
	case ctx.Err() != nil:
		return decision{reason: "the caller gave up"}
	case a.n >= p.MaxAttempts:
		return decision{reason: "attempts exhausted"}
	case a.wait > p.MaxRetryAfter:
		return decision{reason: "server asks to wait longer than the policy allows"}
	}
	delay := max(a.wait, p.backoff(a.n))
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < delay {
		return decision{reason: "context deadline comes before the next attempt"}
	}
	if !t.budget.withdraw() {
		return decision{reason: "retry budget exhausted"}
	}
	return decision{retry: true, delay: delay}
}
