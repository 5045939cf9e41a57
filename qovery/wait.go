package qovery

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
)

// WaitPolicy says how the Wait methods poll. Zero fields take the default
// shown beside them.
type WaitPolicy struct {
	// MinInterval is the delay before the first status read after an
	// action's answer (default 5s), which stands for a first read. It
	// grows by half at each read, up to MaxInterval (default 30s): a
	// deploy of a minute is seen within seconds of its end, one of five
	// minutes costs a dozen reads. A wait that follows no action of the
	// Client reads at once.
	MinInterval time.Duration
	MaxInterval time.Duration

	// Timeout bounds the whole wait (default 4h): long enough for a
	// cluster's creation or a large environment's deployment, as long as
	// the API's Terraform provider waits. A CI job may raise it (CI
	// actions allow a day). The context's deadline, when earlier, applies
	// too.
	Timeout time.Duration

	// MaxTransientErrors is how many polls in a row may fail with a
	// server-side or network error before the wait gives up (default 5).
	// Other errors end the wait at once, and so does a certificate error,
	// which no later poll will cure.
	//
	// A poll answered 429 or 503 with a wait longer than the transport
	// sleeps (RetryPolicy.MaxRetryAfter) gives an *APIError whose RetryAt
	// says when to come back: the next poll waits until then. When RetryAt
	// is past Timeout, or past the context's deadline, the wait fails at
	// once with an error wrapping that *APIError, so IsRateLimited and
	// RetryAt still tell what happened; it does not match ErrWaitTimeout.
	MaxTransientErrors int

	// ListGrace is how long Backups.Wait treats a backup missing from the
	// list as not listed yet, counted from the start of the wait (default
	// 30s): right after Backups.Create, the list may not show it for a
	// moment.
	ListGrace time.Duration

	// StaleGrace is how long after an action a status read may still show
	// the state from before it (default 30s, and at most half of
	// Timeout). For a few seconds after it accepts an action, the API can
	// answer the previous state; the API's Terraform provider re-reads a
	// final state it did not expect five times, 5 s apart. Past the grace,
	// a final state is taken as the action's outcome, which is how a wait
	// ends after an action that changed nothing. See the Wait methods.
	StaleGrace time.Duration

	// OnStatus, when set, is called with the first state a Wait sees and
	// with every change (see WaitEvent), so that a CI job can say where a
	// deployment is. It is called from the waiting goroutine, between two
	// reads: it delays the wait by the time it takes.
	OnStatus func(WaitEvent)
}

// WaitEvent is a state a Wait saw, as WaitPolicy.OnStatus is told it.
type WaitEvent struct {
	Kind    string        // "application", "container", "database", "environment" or "cluster"
	ID      string        // the resource's ID, as given to Wait
	State   State         // the state seen
	Message string        // the status message, when the API gives one
	Elapsed time.Duration // since the Wait started
	Polls   int           // status reads so far; 0 for the state in an action's answer

	// Unconfirmed: State is final, but may still be the state from before
	// the action the wait follows, so the wait goes on.
	Unconfirmed bool
}

func (p WaitPolicy) withDefaults() WaitPolicy {
	if p.MinInterval <= 0 {
		p.MinInterval = 5 * time.Second
	}
	if p.MaxInterval <= 0 {
		p.MaxInterval = 30 * time.Second
	}
	if p.MaxInterval < p.MinInterval {
		p.MaxInterval = p.MinInterval
	}
	if p.Timeout <= 0 {
		p.Timeout = 4 * time.Hour
	}
	if p.MaxTransientErrors <= 0 {
		p.MaxTransientErrors = 5
	}
	if p.ListGrace <= 0 {
		p.ListGrace = 30 * time.Second
	}
	if p.StaleGrace <= 0 {
		p.StaleGrace = 30 * time.Second
	}
	// A wait with a short timeout (a test's) still ends after an action
	// that changed nothing.
	p.StaleGrace = min(p.StaleGrace, p.Timeout/2)
	return p
}

// pollSpec is what poll needs besides its check: what the errors call the
// thing and its target, the states seen, which the timeout error lists,
// and, when an action's answer stood for a first check, the delay left
// until the second.
type pollSpec struct {
	what, target string
	seen         func() []State
	answered     bool
	first        time.Duration
}

// poll calls check until it reports done or fails, sleeping between calls
// as the client's WaitPolicy says. what and target only word the errors.
// Server-side and network errors are tolerated MaxTransientErrors times in
// a row; any other error from check ends the wait and is returned as is. A
// failed poll whose answer says when to come back (RetryAt) is not repeated
// before then, and ends the wait at once when that is past its end.
func (c *Client) poll(ctx context.Context, what, target string, check func(context.Context) (state string, done bool, err error)) error {
	return c.pollFor(ctx, pollSpec{what: what, target: target}, check)
}

// pollFor is poll as s says.
func (c *Client) pollFor(ctx context.Context, s pollSpec, check func(context.Context) (state string, done bool, err error)) error {
	p := c.wait
	start := time.Now()
	wctx, cancel := context.WithTimeoutCause(ctx, p.Timeout, ErrWaitTimeout)
	defer cancel()

	state, transient := "", 0
	var lastErr error
	ended := func() error {
		if ctx.Err() != nil {
			return fmt.Errorf("qovery: waiting for %s to be %s: %w", s.what, s.target, ctx.Err())
		}
		return c.timeoutError(s, state, start, lastErr)
	}
	interval := p.MinInterval
	if s.answered {
		if sleep(wctx, s.first) != nil {
			return ended()
		}
		interval = p.grown(interval)
	}
	for {
		st, done, err := check(wctx)
		switch {
		case wctx.Err() != nil:
			return ended()
		case err == nil:
			transient, lastErr = 0, nil
			if st != "" {
				state = st
			}
			if done {
				return nil
			}
		case isTransient(err):
			transient++
			lastErr = err
			if transient >= p.MaxTransientErrors {
				return fmt.Errorf("qovery: waiting for %s to be %s: %d failed polls in a row: %w", s.what, s.target, transient, err)
			}
		default:
			return err
		}
		delay, ok := nextPoll(wctx, interval, err)
		if !ok {
			return fmt.Errorf("qovery: waiting for %s to be %s: the API asks to be called again after the wait ends: %w", s.what, s.target, err)
		}
		if c.logger != nil {
			c.logger.DebugContext(ctx, "qovery: waiting", "for", s.what, "target", s.target, "state", state, "next_poll_in", delay)
		}
		if sleep(wctx, delay) != nil {
			return ended()
		}
		interval = p.grown(interval)
	}
}

// grown is the interval after interval: half as long again, up to
// MaxInterval.
func (p WaitPolicy) grown(interval time.Duration) time.Duration {
	return min(interval+interval/2, p.MaxInterval)
}

// nextPoll is how long to sleep before the next poll: interval, or until
// the RetryAt of a failed poll's *APIError (a 429 or 503 that said when to
// come back, later than the transport sleeps for) when that is later, since
// a poll before it would be refused again. ok is false when RetryAt is past
// the end of the wait (its timeout, or its context's deadline): sleeping
// until then would end in a timeout that hides the rate limit.
func nextPoll(wctx context.Context, interval time.Duration, err error) (delay time.Duration, ok bool) {
	var ae *APIError
	if !errors.As(err, &ae) || ae.RetryAt.IsZero() {
		return interval, true
	}
	if end, has := wctx.Deadline(); has && ae.RetryAt.After(end) {
		return 0, false
	}
	return max(interval, time.Until(ae.RetryAt)), true
}

func (c *Client) timeoutError(s pollSpec, state string, start time.Time, lastErr error) error {
	if state == "" {
		state = "unknown"
	}
	msg := fmt.Sprintf("qovery: %s still %s after %s, waiting for %s", s.what, state, time.Since(start).Round(time.Millisecond), s.target)
	if s.seen != nil {
		if seen := s.seen(); len(seen) > 0 {
			names := make([]string, len(seen))
			for i, st := range seen {
				names[i] = string(st)
			}
			msg += " (states seen: " + strings.Join(names, ", ") + ")"
		}
	}
	if lastErr != nil {
		return fmt.Errorf("%s (last error: %v): %w", msg, lastErr, ErrWaitTimeout)
	}
	return fmt.Errorf("%s: %w", msg, ErrWaitTimeout)
}

// isTransient reports whether a failed poll is worth repeating: a 5xx or
// 429 response, a body that could not be read or decoded, or a failure
// that produced no response at all.
func isTransient(err error) bool {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.StatusCode >= 500 || ae.StatusCode == http.StatusTooManyRequests
	}
	var se *StateError
	return !errors.As(err, &se) && !isCertificateError(err)
}

// parseID checks that value, the argument called name, is a UUID that
// can name a resource; when it is not, the error is an *ArgError. The nil
// UUID is refused too: the API gives it to nothing, so it can only be a
// zero value passed on by mistake, and sent it would act on nothing or,
// worse, on whatever the API makes of it.
func parseID(name, value string) (uuid.UUID, error) {
	id, err := uuid.Parse(value)
	switch {
	case err != nil || len(value) != 36:
		return uuid.UUID{}, argError(name, value, "is not a UUID")
	case id == uuid.Nil:
		return uuid.UUID{}, argError(name, value, "is the nil UUID, which no Qovery resource has")
	}
	return id, nil
}
