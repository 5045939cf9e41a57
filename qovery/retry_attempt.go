package qovery

import (
	"context"
	"errors"
	"net/http"
	"time"
)

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
