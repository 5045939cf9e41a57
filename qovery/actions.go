package qovery

import (
	"sync"
	"time"

	"github.com/google/uuid"
)

// A Client remembers the actions it had accepted (a deploy, stop, restart
// or delete of a service, an environment or a cluster; the operations are
// listed in actionOperations in cmd/regen/naming.go), so that a Wait that
// follows one waits for that action rather than trusting a status read
// that may still show the state from before it (see waitStatus).

// actionKind is what an action asked of its resource.
type actionKind string

const (
	actionDeploy  actionKind = "deploy"
	actionStop    actionKind = "stop"
	actionRestart actionKind = "restart"
	actionDelete  actionKind = "delete"
)

// action is an action of the Client that the API accepted.
type action struct {
	seq    uint64 // tells this action from a later one on the same resource
	kind   actionKind
	at     time.Time    // when the answer came
	answer *observation // the status in the action's answer; nil when it had none
}

// actionLog is a Client's record of its accepted actions, the last one per
// resource. Entries older than keep, the longest a wait may last, can no
// longer be waited for and are dropped.
type actionLog struct {
	mu   sync.Mutex
	keep time.Duration
	seq  uint64
	byID map[uuid.UUID]action
}

// accepted records the action kind on the resource id, with the status its
// answer carried, when the call, answered code with err, succeeded. A 2xx
// with a null or empty body counts too: the API took the action. So does a
// delete that succeeded on a 404, after an attempt that deleted.
func (c *Client) accepted(code int, err error, id uuid.UUID, kind actionKind, answer *observation) {
	if err != nil && (code < 200 || code > 299) {
		return
	}
	c.actions.record(id, kind, answer, time.Now())
}

func (l *actionLog) record(id uuid.UUID, kind actionKind, answer *observation, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.byID == nil {
		l.byID = map[uuid.UUID]action{}
	}
	for k, a := range l.byID {
		if now.Sub(a.at) > l.keep {
			delete(l.byID, k)
		}
	}
	l.seq++
	l.byID[id] = action{seq: l.seq, kind: kind, at: now, answer: answer}
}

// last returns the last action on id, unless it is older than keep.
func (l *actionLog) last(id uuid.UUID, now time.Time) (action, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	a, ok := l.byID[id]
	if !ok || now.Sub(a.at) > l.keep {
		return action{}, false
	}
	return a, true
}

// consume forgets the action seq on id, once a wait has seen it through;
// an action recorded on id since then stays.
func (l *actionLog) consume(id uuid.UUID, seq uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if a, ok := l.byID[id]; ok && a.seq == seq {
		delete(l.byID, id)
	}
}
