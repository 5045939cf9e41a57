package qovery

import "strings"

// State is the deployment state of a service, an environment or a cluster,
// as in the "state" field of its status (the "status" field of a
// cluster's): DEPLOYED, DEPLOYING, DEPLOYMENT_ERROR, STOPPED, ...
//
// The API adds states over time, so the waiters do not list the states
// they wait through: they classify them. A state is final, in which case it
// either Succeeded or Failed, or it is in progress. A state this package
// does not know is taken as in progress, so that a wait goes on through
// it; the wait logs it once, and its timeout error names it.
//
// The API writes states in upper case, but a state is read without regard
// to case: "deployment_error" is DEPLOYMENT_ERROR to Failed, and the Wait
// methods match the target, and report it and the states they see (in a
// *StateError, a WaitEvent, a timeout error), in upper case. The status
// they return is the API's, as written.
type State string

// States commonly waited for.
const (
	StateDeployed  State = "DEPLOYED"
	StateStopped   State = "STOPPED"
	StateDeleted   State = "DELETED"
	StateRestarted State = "RESTARTED"

	// StateSettled is no state of the API: as the target of a Wait it
	// means any final state, a failure included. The wait returns the
	// status that settled it, and reaching a failure state is then no
	// error: the caller asked to know how it ended, and reads it from
	// the status (State.Failed).
	StateSettled State = "any final state"
)

// succeededStates are the final states that are not failures: a service
// READY (created, never deployed) has nothing running either.
var succeededStates = map[State]bool{
	"DEPLOYED":  true,
	"STOPPED":   true,
	"DELETED":   true,
	"RESTARTED": true,
	"READY":     true,
}

// inProgressStates are the states of an action under way, besides every
// state ending in _QUEUED (DEPLOYMENT_QUEUED, STOP_QUEUED, ...).
var inProgressStates = map[State]bool{
	"QUEUED":     true,
	"BUILDING":   true,
	"DEPLOYING":  true,
	"STOPPING":   true,
	"DELETING":   true,
	"RESTARTING": true,
	"CANCELING":  true,
}

// upper is s as the API writes states, so that states compare by their
// name alone: new states appear, and a state in another case is no new one.
func (s State) upper() State { return State(strings.ToUpper(string(s))) }

// Failed reports whether s is a failure state: any state ending in _ERROR
// (DEPLOYMENT_ERROR, STOP_ERROR, DELETE_ERROR, BUILD_ERROR, ...) and
// CANCELED, in any case.
func (s State) Failed() bool {
	u := s.upper()
	return strings.HasSuffix(string(u), "_ERROR") || u == "CANCELED"
}

// Succeeded reports whether s is a final state that is not a failure:
// DEPLOYED, STOPPED, DELETED, RESTARTED or READY, in any case.
func (s State) Succeeded() bool { return succeededStates[s.upper()] }

// Final reports whether s is a state the resource stays in until the next
// action: one that Succeeded or Failed. Any other state, an unknown one
// included, is in progress.
func (s State) Final() bool { return s.Failed() || s.Succeeded() }

// known reports whether this package classifies s by more than the
// default: a final state, or one known to be in progress.
func (s State) known() bool {
	u := s.upper()
	return s.Final() || inProgressStates[u] || strings.HasSuffix(string(u), "_QUEUED")
}

// sameState reports whether a and b name the same state.
func sameState(a, b State) bool { return strings.EqualFold(string(a), string(b)) }
