package qovery

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// RateLimit is what the API last said of the token's rate limit, in the
// X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset headers
// of a response. The API allows 1,000 requests per hour per token.
//
// An answer that carries none of the three headers (a proxy's error page,
// say) tells nothing of the token and leaves RateLimit as it was. One that
// carries any of them replaces it. A Remaining or Reset it lacks, or whose
// value is not a plain non-negative integer, is not said: Remaining is then
// unknown, which is not the same as none left, and Reset zero. A Limit it
// lacks stays the last one said, the limit of a token being fixed.
type RateLimit struct {
	Limit     int // requests allowed per window; the last one said, zero if none was
	Remaining int // requests left in the current window, when RemainingKnown

	// RemainingKnown reports whether the answer said how many requests
	// remain. When false, Remaining is zero and means "not said" (a proxy
	// or a cache dropped the header, or its value could not be read), not
	// "none left"; pacing does not wait on it.
	RemainingKnown bool

	Reset    time.Time // when the window ends; zero when not said
	Observed time.Time // when the response carrying them was received; zero if none has
}

// RateLimit returns the rate limit headers of the last response that
// carried any of them (Observed is zero when none has).
func (c *Client) RateLimit() RateLimit { return c.transport.limits.last() }

// WithPacing makes the Client spread its calls when the token's rate limit
// runs low, instead of spending what remains at once and meeting 429s
// together with every other user of the token. From the headers of each
// response it knows what remains until the window resets; once that falls
// to a quarter of the limit or less, each request waits its turn, the turns
// spread evenly until the reset; with nothing left, requests wait for the
// reset. Calls of one Client are counted exactly, those of other processes
// sharing the token through the Remaining the API reports.
//
// Pacing acts only on what the last answer speaking of the rate limit
// said (see RateLimit): when it did not say what remains, calls are not
// paced until an answer says it again. The earlier Remaining is older news,
// perhaps of another route to the API, and holding calls on it could hold
// them until the reset; a 429 that comes instead is handled by the
// RetryPolicy. A call already waiting for its turn keeps it.
//
// A turn is never waited for beyond what the call can use: when it comes
// after the context's deadline, or further off than
// RetryPolicy.MaxRetryAfter (the bound on a wait a 429 asks for), the call
// fails at once, nothing sent, with a *PacingError that says when the turn
// would come and matches ErrRateLimited. A cancelled context ends a wait at
// once.
func WithPacing() Option { return func(s *settings) { s.pacing = true } }

// limiter records the rate limit headers and, when pacing, hands out
// turns.
type limiter struct {
	pacing  bool
	maxWait time.Duration // RetryPolicy.MaxRetryAfter

	mu   sync.Mutex
	seen RateLimit
	// spent counts the requests started since seen was observed, which
	// its Remaining does not reflect yet; inflight those sent and not yet
	// answered; next is the next free turn.
	spent    int
	inflight int
	next     time.Time
}

func (l *limiter) last() RateLimit {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.seen
}

// observe records the headers of a response, if it has any of them.
func (l *limiter) observe(h http.Header, now time.Time) {
	said, limitSaid, ok := readRateLimit(h, now)
	if !ok {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if !limitSaid {
		said.Limit = l.seen.Limit
	}
	// Responses to concurrent requests arrive in any order: within one
	// window, the lowest Remaining is the latest news. That ordering
	// needs two Remainings said; after one not said, the next is news.
	sameWindow := said.RemainingKnown && l.seen.RemainingKnown && said.Reset.Equal(l.seen.Reset)
	if sameWindow && said.Remaining > l.seen.Remaining {
		return
	}
	if sameWindow {
		l.spent = max(l.spent-(l.seen.Remaining-said.Remaining), 0)
	} else {
		// The other requests in flight may not be counted in it yet.
		l.spent = max(l.inflight-1, 0)
	}
	l.seen = said
}

// readRateLimit reads the X-RateLimit-* headers of a response, observed at
// now. ok is false when it carries none of them; limitSaid whether it said
// the Limit.
func readRateLimit(h http.Header, now time.Time) (said RateLimit, limitSaid, ok bool) {
	if len(h["X-Ratelimit-Limit"])+len(h["X-Ratelimit-Remaining"])+len(h["X-Ratelimit-Reset"]) == 0 {
		return RateLimit{}, false, false
	}
	said.Observed = now
	said.Limit, limitSaid = headerCount(h, "X-Ratelimit-Limit")
	said.Remaining, said.RemainingKnown = headerCount(h, "X-Ratelimit-Remaining")
	if v, ok := oneValue(h, "X-Ratelimit-Reset"); ok {
		said.Reset, _ = rateLimitReset(v, now)
	}
	return said, limitSaid, true
}

// wait blocks until the request r may be sent, when pacing says so. When it
// returns nil, done must be called once the request is answered.
func (l *limiter) wait(ctx context.Context, r *http.Request) error {
	if !l.pacing {
		return nil
	}
	for {
		now := time.Now()
		h := newHorizon(ctx, now, l.maxWait)
		at, window, ok := l.turn(now, h)
		switch {
		case !ok:
			return h.refusal(r, at)
		case at.IsZero():
			return nil
		}
		if err := sleep(ctx, time.Until(at)); err != nil {
			return fmt.Errorf("qovery: waiting for a turn under the rate limit: %w", err)
		}
		if l.admit(window) {
			return nil
		}
		// A new window was reported while waiting: the turn was counted
		// against the old one, so take one in the new.
	}
}

// admit lets through a request that waited for its turn in window, unless
// a new window was reported meanwhile. It counts the request in flight in
// the same critical section as the decision, so that a response observed
// in between, opening a new window, cannot miss it (see observe).
func (l *limiter) admit(window time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.seen.Reset.Equal(window) && time.Now().Before(l.seen.Reset) {
		return false
	}
	l.inflight++
	return true
}

// done ends a request that wait let through.
func (l *limiter) done() {
	if !l.pacing {
		return
	}
	l.mu.Lock()
	l.inflight--
	l.mu.Unlock()
}

// turn reserves a turn for one request in the current window and returns
// when it comes (the zero time for at once) and the window's reset. A turn
// never falls after the reset: with none left, the request waits for the
// reset, and then for a turn in the new window. A turn beyond the horizon
// is not reserved, and ok is false.
//
// A request let through at once is counted in flight under the same lock.
func (l *limiter) turn(now time.Time, h horizon) (at, window time.Time, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	at, window, ok = l.reserve(now, h)
	if ok && at.IsZero() {
		l.inflight++
	}
	return at, window, ok
}

// reserve is turn's decision; l.mu is held.
func (l *limiter) reserve(now time.Time, h horizon) (at, window time.Time, ok bool) {
	s := l.seen
	if !s.RemainingKnown || s.Reset.IsZero() || !now.Before(s.Reset) {
		return time.Time{}, time.Time{}, true // nothing known of the current window
	}
	left := s.Remaining - l.spent
	switch {
	case left > s.Limit/4:
		l.spent++
		return time.Time{}, s.Reset, true
	case left <= 0:
		return s.Reset, s.Reset, h.allows(s.Reset)
	}
	at = now
	if l.next.After(now) {
		at = l.next
	}
	switch {
	case !at.Before(s.Reset):
		return s.Reset, s.Reset, h.allows(s.Reset)
	case at.After(now) && !h.allows(at):
		return at, s.Reset, false
	}
	l.spent++
	l.next = at.Add(s.Reset.Sub(now) / time.Duration(left))
	if !at.After(now) {
		at = time.Time{}
	}
	return at, s.Reset, true
}

// horizon bounds a call's wait for its turn. A turn at or after the
// context's deadline would end the wait with nothing sent; one further off
// than MaxRetryAfter is refused as a 429 asking for that wait is, rather
// than held in silence for up to the hour of a window.
type horizon struct {
	deadline time.Time // zero without one
	latest   time.Time // MaxRetryAfter from when the turn is taken
	maxWait  time.Duration
}

func newHorizon(ctx context.Context, now time.Time, maxWait time.Duration) horizon {
	dl, _ := ctx.Deadline()
	return horizon{deadline: dl, latest: now.Add(maxWait), maxWait: maxWait}
}

func (h horizon) allows(at time.Time) bool {
	ok, _ := h.check(at)
	return ok
}

// check decides whether a turn at is worth waiting for, and says why not.
func (h horizon) check(at time.Time) (ok bool, reason string) {
	switch {
	case !h.deadline.IsZero() && !at.Before(h.deadline):
		return false, "after the context's deadline"
	case at.After(h.latest):
		return false, "more than RetryPolicy.MaxRetryAfter (" + h.maxWait.String() + ") away"
	}
	return true, ""
}

// refusal is the error of the request r whose turn, at, is beyond h.
func (h horizon) refusal(r *http.Request, at time.Time) *PacingError {
	_, reason := h.check(at)
	return &PacingError{Method: r.Method, Path: r.URL.Path, RetryAt: at, Reason: reason}
}

// headerCount reads a header holding a count: one value, a plain
// non-negative integer. Anything else (absent, empty, a sign, a fraction,
// a list, two lines, beyond int) is not a count, rather than 0.
func headerCount(h http.Header, key string) (int, bool) {
	v, ok := oneValue(h, key)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseUint(v, 10, 0) // no sign, no fraction, no list
	if err != nil || n > math.MaxInt {
		return 0, false
	}
	return int(n), true
}

// oneValue returns the value of a header sent once; sent twice, it has
// no one value (RFC 9110 reads two lines as the list "a, b").
func oneValue(h http.Header, key string) (string, bool) {
	vs := h[key]
	if len(vs) != 1 {
		return "", false
	}
	return strings.TrimSpace(vs[0]), true
}
