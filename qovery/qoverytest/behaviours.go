package qoverytest

import "github.com/qoverykit/qovery-go/internal/fixtures"

// The live Qovery API differs from its documents, and code that works
// against the documents can fail against it. These options make the server
// behave as the live API does, so a test can show that the code copes. None
// is on by default; WithLiveBehaviours turns them all on.

// liveNewState is the state WithLiveBehaviours adds to every action, one
// the documents never list.
const liveNewState = "EXECUTING"

// WithStaleStatus makes the next n reads of the status of a service or an
// environment, after a deploy, stop, restart or delete of it is accepted,
// answer the status it had before the action; then the action proceeds as
// usual. The live API lags this way for a few seconds: an application
// DEPLOYED before a deploy still reads DEPLOYED, so code that waits for
// DEPLOYED right after deploying returns before the deploy has begun. An
// action on an environment makes its services' reads stale too; a get of
// the object counts as a read. 0, the default, turns it off; a negative n
// fails the test.
func WithStaleStatus(n int) Option { return live(fixtures.WithStaleStatus(n)) }

// WithDeletedStatus makes a deleted object (environment, service, backup,
// project, ...) answer code, 403 or 400, with the API's error body, instead
// of 404 to every call addressed to its ID: its get, its status, its
// actions. The live API answers so, and code that waits for a deletion by
// waiting for a 404 waits forever. Any other code fails the test (404 is
// the default).
func WithDeletedStatus(code int) Option { return live(fixtures.WithDeletedStatus(code)) }

// WithBusyConflict refuses with 409, and an error body saying the
// environment is busy, any action (deploy, stop, restart, delete, clone) on
// an environment or on a service of it while an action of the environment
// or of any of its services is in progress; nothing changes (cancelling
// the deployment stays possible). The live API refuses so, where the
// default server queues a deploy behind another; code that fires actions
// without waiting for the environment meets it.
func WithBusyConflict() Option { return live(fixtures.WithBusyConflict()) }

// WithNewState makes every action of a service or an environment pass
// through state (for example "WARMING_UP") just before its final state. The
// live API adds states over time; code that lists the states it knows,
// instead of waiting for the one it wants and stopping on failures, breaks
// on the first new one. A state ending in _ERROR fails the test.
func WithNewState(state string) Option { return live(fixtures.WithNewState(state)) }

// WithFailureState makes every failing action (FailNextAction) of a service
// or an environment end in state, such as "BUILD_ERROR", instead of its
// usual error state (DEPLOYMENT_ERROR, STOP_ERROR, ...). The live API has
// many failure states, all ending in _ERROR; code should treat any of them
// as a failure. A state not ending in _ERROR fails the test.
func WithFailureState(state string) Option { return live(fixtures.WithFailureState(state)) }

// WithLiveBehaviours turns on every behaviour of the live API with
// realistic values: two stale status reads after each action, 403 for
// deleted objects, 409 on a busy environment, and an extra state,
// "EXECUTING", in every action. Options after it override its values.
func WithLiveBehaviours() Option {
	return func(c *config) {
		for _, o := range []Option{
			WithStaleStatus(2),
			WithDeletedStatus(403),
			WithBusyConflict(),
			WithNewState(liveNewState),
		} {
			o(c)
		}
	}
}

func live(o fixtures.Option) Option {
	return func(c *config) { c.live = append(c.live, o) }
}

// FailNextActionIn is FailNextAction ending in state, such as
// "BUILD_ERROR", rather than in the action's usual error state: the next
// action on key (an object's ID or an operationId) fails that way with
// message. A state not ending in _ERROR fails the test. A backup ends in its
// usual error state, the only one its schema allows.
func (s *Server) FailNextActionIn(key, state, message string) {
	if s.t != nil {
		s.t.Helper()
	}
	s.add(func() string { s.fake.FailNextIn(key, state, message); return "" })
}
