package qovery

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/qoverykit/qovery-go/gen"
)

// State is the deployment state of a service or an environment, as in the
// "state" field of its status: DEPLOYED, DEPLOYING, DEPLOYMENT_ERROR,
// STOPPED, ...
//
// The API writes states in upper case, but a state is read without regard
// to case: "deployment_error" is DEPLOYMENT_ERROR to Failed, and the Wait
// methods match the target, and report it and the state reached in a
// *StateError, in upper case. The *Status they return is the API's, as
// written.
type State string

// States commonly waited for.
const (
	StateDeployed  State = "DEPLOYED"
	StateStopped   State = "STOPPED"
	StateDeleted   State = "DELETED"
	StateRestarted State = "RESTARTED"
)

// Failed reports whether s is a failure state: any state ending in _ERROR
// (DEPLOYMENT_ERROR, STOP_ERROR, DELETE_ERROR, BUILD_ERROR, ...) and
// CANCELED, whatever their case.
func (s State) Failed() bool {
	u := s.upper()
	return strings.HasSuffix(string(u), "_ERROR") || u == "CANCELED"
}

// upper is s as the API writes states, so that states compare by their
// name alone: new states appear, and a state in another case is no new one.
func (s State) upper() State { return State(strings.ToUpper(string(s))) }

// WaitPolicy says how the Wait* methods poll. Zero fields take the default
// shown beside them.
type WaitPolicy struct {
	// MinInterval is the delay before the second poll (default 3s); it
	// grows by half at each poll, up to MaxInterval (default 30s). The
	// first poll is immediate.
	MinInterval time.Duration
	MaxInterval time.Duration

	// Timeout bounds the whole wait (default 1h); the context's deadline,
	// when earlier, applies too.
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
}

func (p WaitPolicy) withDefaults() WaitPolicy {
	if p.MinInterval <= 0 {
		p.MinInterval = 3 * time.Second
	}
	if p.MaxInterval <= 0 {
		p.MaxInterval = 30 * time.Second
	}
	if p.MaxInterval < p.MinInterval {
		p.MaxInterval = p.MinInterval
	}
	if p.Timeout <= 0 {
		p.Timeout = time.Hour
	}
	if p.MaxTransientErrors <= 0 {
		p.MaxTransientErrors = 5
	}
	if p.ListGrace <= 0 {
		p.ListGrace = 30 * time.Second
	}
	return p
}

// waitStatus implements the generated Wait methods of the services
// (c.Applications.Wait, c.Databases.Wait, ...); get reads the status.
func (c *Client) waitStatus(ctx context.Context, kind, id string, target State, get func(context.Context) (*gen.Status, error)) (*gen.Status, error) {
	if strings.TrimSpace(string(target)) == "" {
		return nil, &ArgError{Arg: "target", Value: string(target), Reason: "is empty: there is no state to wait for"}
	}
	target = target.upper()
	var last *gen.Status
	err := c.poll(ctx, kind+" "+id, string(target), func(ctx context.Context) (string, bool, error) {
		st, err := get(ctx)
		if err != nil {
			if target == StateDeleted && IsNotFound(err) {
				return string(StateDeleted), true, nil
			}
			return "", false, err
		}
		last = st
		var state State
		if st.State != nil {
			state = State(*st.State).upper()
		}
		switch {
		case state == target:
			return string(state), true, nil
		case state.Failed():
			e := &StateError{Kind: kind, ID: id, Target: target, State: state}
			if st.Message != nil {
				e.Message = cleanRedacted(*st.Message, 500, c.auth.redact)
			}
			return string(state), false, e
		}
		return string(state), false, nil
	})
	if err != nil {
		return nil, err
	}
	if target == StateDeleted && (last == nil || last.State == nil || State(*last.State).upper() != StateDeleted) {
		return nil, nil
	}
	return last, nil
}

// poll calls check until it reports done or fails, sleeping between calls
// as the client's WaitPolicy says. what and target only word the errors.
// Server-side and network errors are tolerated MaxTransientErrors times in
// a row; any other error from check ends the wait and is returned as is. A
// failed poll whose answer says when to come back (RetryAt) is not repeated
// before then, and ends the wait at once when that is past its end.
func (c *Client) poll(ctx context.Context, what, target string, check func(context.Context) (state string, done bool, err error)) error {
	p := c.wait
	start := time.Now()
	wctx, cancel := context.WithTimeoutCause(ctx, p.Timeout, ErrWaitTimeout)
	defer cancel()

	interval := p.MinInterval
	state, transient := "", 0
	var lastErr error
	for {
		s, done, err := check(wctx)
		switch {
		case ctx.Err() != nil:
			return fmt.Errorf("qovery: waiting for %s to be %s: %w", what, target, ctx.Err())
		case wctx.Err() != nil:
			return c.timeoutError(what, target, state, start, lastErr)
		case err == nil:
			transient, lastErr = 0, nil
			if s != "" {
				state = s
			}
			if done {
				return nil
			}
		case isTransient(err):
			transient++
			lastErr = err
			if transient >= p.MaxTransientErrors {
				return fmt.Errorf("qovery: waiting for %s to be %s: %d failed polls in a row: %w", what, target, transient, err)
			}
		default:
			return err
		}
		delay, ok := nextPoll(wctx, interval, err)
		if !ok {
			return fmt.Errorf("qovery: waiting for %s to be %s: the API asks to be called again after the wait ends: %w", what, target, err)
		}
		if c.logger != nil {
			c.logger.DebugContext(ctx, "qovery: waiting", "for", what, "target", target, "state", state, "next_poll_in", delay)
		}
		if err := sleep(wctx, delay); err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("qovery: waiting for %s to be %s: %w", what, target, ctx.Err())
			}
			return c.timeoutError(what, target, state, start, lastErr)
		}
		interval = min(interval+interval/2, p.MaxInterval)
	}
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

func (c *Client) timeoutError(what, target, state string, start time.Time, lastErr error) error {
	if state == "" {
		state = "unknown"
	}
	msg := fmt.Sprintf("qovery: %s still %s after %s, waiting for %s", what, state, time.Since(start).Round(time.Millisecond), target)
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
