package qovery

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// The generated Wait methods (c.Applications.Wait, c.Clusters.Wait, ...)
// all end in waitStatus, whose rules the package documentation states
// (section Waits). Why they hold:
//
// Right after the API accepts an action, a status read can still show the
// state from before it, success or failure alike. A final state read after
// an action recorded by the Client (actions.go) is taken as its outcome
// only with evidence that it is not that earlier state:
//
//   - an earlier read since the action showed another state: if that read
//     was stale, the earlier state was not this one; if it was fresh, so
//     is this one, since a read that has caught up does not fall back;
//   - its last_deployment_date is later than the one in the action's
//     answer: later, not equal, because whichever deployment the answer's
//     date is of, a stale read cannot carry a later one;
//   - the action's own answer showed this failure state;
//   - WaitPolicy.StaleGrace has passed, which the lag never outlasts, and
//     which ends the wait after an action that changed nothing.
//
// A deleted resource may answer 403 or 400 rather than 404. After a delete
// of its own, a token that could delete the resource could read it, so any
// of the three means deleted; otherwise 403 may just be a token's limits.

// resource is what a wait is on: its kind and ID as the errors print them,
// and the ID as the Client's actions are recorded under.
type resource struct {
	kind, id string
	key      uuid.UUID
}

// observation is what a wait reads in a status, or in an action's answer.
type observation struct {
	state      State
	message    string
	deployedAt *time.Time // last_deployment_date, when the status has one
}

// deref is the string s points to, or "": a state, of type string or of
// an enum type of the spec, or a message.
func deref[T ~string](s *T) string {
	if s == nil {
		return ""
	}
	return string(*s)
}

// waitStatus implements the generated Wait methods: get reads the status of
// r, and observe finds in it what the wait needs.
func waitStatus[T any](ctx context.Context, c *Client, r resource, target State, get func(context.Context) (*T, error), observe func(*T) *observation) (*T, error) {
	if strings.TrimSpace(string(target)) == "" {
		return nil, &ArgError{Arg: "target", Value: string(target), Reason: "is empty: there is no state to wait for"}
	}
	if target != StateSettled {
		target = target.upper()
	}
	w := c.newWatch(ctx, r, target)
	if err := w.answered(); err != nil {
		return nil, err
	}
	var last *T
	err := c.pollFor(ctx, w.spec(), func(ctx context.Context) (string, bool, error) {
		w.polls++
		v, err := get(ctx)
		if err != nil {
			return w.failedRead(err)
		}
		last = v
		return w.read(observe(v))
	})
	if err != nil {
		return nil, err
	}
	w.finished()
	if w.gone {
		return nil, nil
	}
	return last, nil
}

// watch is one wait: the action it follows, if any, and what it has seen.
type watch struct {
	c      *Client
	ctx    context.Context
	r      resource
	target State
	start  time.Time

	act   action
	acted bool

	polls int
	reads []State // the distinct states read, in order; a status without one left out
	seen  []State // the same, after the state of the action's answer
	told  *WaitEvent
	gone  bool // the resource answered as deleted
}

func (c *Client) newWatch(ctx context.Context, r resource, target State) *watch {
	w := &watch{c: c, ctx: ctx, r: r, target: target, start: time.Now()}
	w.act, w.acted = c.actions.last(r.key, w.start)
	return w
}

// spec is the polling of this wait: after an action, the first read comes
// MinInterval after its answer.
func (w *watch) spec() pollSpec {
	s := pollSpec{what: w.r.kind + " " + w.r.id, target: string(w.target), seen: func() []State { return w.seen }}
	if w.acted {
		s.answered, s.first = true, time.Until(w.act.at.Add(w.c.wait.MinInterval))
	}
	return s
}

// answered takes the action's answer as the wait's first look: a failure
// state in it ends the wait, unless that state, or any final one, is the
// target.
func (w *watch) answered() error {
	if !w.acted || w.act.answer == nil {
		return nil
	}
	o := w.clean(w.act.answer)
	w.see(o, o.state.Succeeded())
	if o.state.Failed() && w.target != StateSettled && !sameState(o.state, w.target) {
		return w.stateError(o)
	}
	return nil
}

// read decides on a status read: done when it is the target (or, for
// StateSettled, final) and, being final, confirmed as the outcome of the
// action waited for; a confirmed failure state other than the target is a
// *StateError.
func (w *watch) read(o *observation) (string, bool, error) {
	if o == nil {
		o = &observation{}
	}
	o = w.clean(o)
	s := o.state
	confirmed := w.confirmed(o)
	w.see(o, s.Final() && !confirmed)
	if s != "" && !slices.ContainsFunc(w.reads, func(r State) bool { return sameState(r, s) }) {
		w.reads = append(w.reads, s)
	}
	switch {
	case !s.Final():
		return string(s), sameState(s, w.target), nil
	case !confirmed:
		return string(s), false, nil
	case w.target == StateSettled || sameState(s, w.target):
		return string(s), true, nil
	case s.Failed():
		return string(s), false, w.stateError(o)
	}
	return string(s), false, nil // another final state, which another action may change
}

// confirmed reports whether the final state of o can be taken as the
// outcome of the action the wait follows, rather than the state from
// before it (see the top of this file).
func (w *watch) confirmed(o *observation) bool {
	if !w.acted {
		return true
	}
	if slices.ContainsFunc(w.reads, func(r State) bool { return !sameState(r, o.state) }) {
		return true
	}
	if a := w.act.answer; a != nil {
		if a.deployedAt != nil && o.deployedAt != nil && o.deployedAt.After(*a.deployedAt) {
			return true
		}
		if a.state.Failed() && sameState(a.state, o.state) {
			return true
		}
	}
	return time.Since(w.act.at) >= w.c.wait.StaleGrace
}

// failedRead ends the wait with success when err says the resource is
// deleted and that was the target, and otherwise hands err to poll.
func (w *watch) failedRead(err error) (string, bool, error) {
	if !w.goneBy(err) {
		return "", false, err
	}
	w.gone = true
	w.see(&observation{state: StateDeleted}, false)
	return string(StateDeleted), true, nil
}

// goneBy reports whether err, the failure of a status read, means that the
// resource is deleted, when that is what the wait is for: 404; 403 or 400
// too after a delete recorded by the Client, since a token allowed to
// delete the resource was allowed to read it.
func (w *watch) goneBy(err error) bool {
	deleted := w.acted && w.act.kind == actionDelete
	if !sameState(w.target, StateDeleted) && (w.target != StateSettled || !deleted) {
		return false
	}
	var ae *APIError
	switch {
	case IsNotFound(err):
		return true
	case !deleted:
		return false
	case IsForbidden(err):
		return true
	}
	return errors.As(err, &ae) && ae.StatusCode == http.StatusBadRequest
}

// finished forgets the action the wait has seen through, so that the next
// wait on the resource reads its state as it is.
func (w *watch) finished() {
	if w.acted {
		w.c.actions.consume(w.r.key, w.act.seq)
	}
}

// see notes the state of o: the first time, in the states the timeout
// error lists, with a log line when it is unknown; and, when it is the
// first state or a change, in an event for OnStatus.
func (w *watch) see(o *observation, unconfirmed bool) {
	s := o.state
	if s != "" && !slices.ContainsFunc(w.seen, func(r State) bool { return sameState(r, s) }) {
		w.seen = append(w.seen, s)
		if !s.known() && w.c.logger != nil {
			w.c.logger.WarnContext(w.ctx, "qovery: unknown state, waited through as in progress",
				"kind", w.r.kind, "id", w.r.id, "state", string(s), "target", string(w.target))
		}
	}
	if w.c.wait.OnStatus == nil || (w.told != nil && sameState(w.told.State, s)) {
		return
	}
	w.told = &WaitEvent{Kind: w.r.kind, ID: w.r.id, State: s, Message: o.message,
		Elapsed: time.Since(w.start), Polls: w.polls, Unconfirmed: unconfirmed}
	w.c.wait.OnStatus(*w.told)
}

// clean makes the state and message of o fit for errors, logs and events:
// printable, bounded, without the credential, and the state in upper case,
// as the API writes states.
func (w *watch) clean(o *observation) *observation {
	redact := w.c.auth.redact
	return &observation{
		state:      State(cleanRedacted(string(o.state), 100, redact)).upper(),
		message:    cleanRedacted(o.message, 500, redact),
		deployedAt: o.deployedAt,
	}
}

func (w *watch) stateError(o *observation) *StateError {
	return &StateError{Kind: w.r.kind, ID: w.r.id, Target: w.target, State: o.state, Message: o.message}
}
