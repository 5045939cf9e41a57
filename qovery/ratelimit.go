package qovery

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// RateLimit is what the API last said of the token's rate limit, in the
// X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset headers
// of a response. The API allows 1,000 requests per hour per token.
type RateLimit struct {
	Limit     int       // requests allowed per window
	Remaining int       // requests left in the current window
	Reset     time.Time // when the window ends; zero when not said
	Observed  time.Time // when the response carrying them was received; zero if none has
}

// RateLimit returns the rate limit headers of the last response that
// carried them (Observed is zero when none has).
func (c *Client) RateLimit() RateLimit { return c.transport.limits.last() }

// WithPacing makes the Client spread its calls when the token's rate limit
// runs low, instead of spending what remains at once and meeting 429s
// together with every other user of the token. From the headers of each
// response it knows what remains until the window resets; once that falls
// to a quarter of the limit or less, each request waits its turn, the turns
// spread evenly until the reset; with nothing left, requests wait for the
// reset. Calls of one Client are counted exactly, those of other processes
// sharing the token through the Remaining the API reports. A cancelled
// context ends the wait at once.
func WithPacing() Option { return func(s *settings) { s.pacing = true } }

// limiter records the rate limit headers and, when pacing, hands out
// turns.
type limiter struct {
	pacing bool

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

// observe records the headers of a response, if it has them.
func (l *limiter) observe(h http.Header, now time.Time) {
	lim, okL := headerInt(h, "X-Ratelimit-Limit")
	rem, okR := headerInt(h, "X-Ratelimit-Remaining")
	if !okL && !okR {
		return
	}
	var reset time.Time
	if v := strings.TrimSpace(h.Get("X-Ratelimit-Reset")); v != "" {
		reset, _ = rateLimitReset(v, now)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if !okL {
		lim = l.seen.Limit
	}
	// Responses to concurrent requests arrive in any order: within one
	// window, the lowest Remaining is the latest news.
	sameWindow := reset.Equal(l.seen.Reset) && !l.seen.Observed.IsZero()
	if sameWindow && rem > l.seen.Remaining {
		return
	}
	if sameWindow {
		l.spent = max(l.spent-(l.seen.Remaining-rem), 0)
	} else {
		// The other requests in flight may not be counted in rem yet.
		l.spent = max(l.inflight-1, 0)
	}
	l.seen = RateLimit{Limit: lim, Remaining: rem, Reset: reset, Observed: now}
}

// wait blocks until the request may be sent, when pacing says so. When it
// returns nil, done must be called once the request is answered.
func (l *limiter) wait(ctx context.Context) error {
	if !l.pacing {
		return nil
	}
	for {
		at, window := l.turn(time.Now())
		if at.IsZero() {
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
// reset, and then for a turn in the new window.
//
// A request let through at once is counted in flight under the same lock.
func (l *limiter) turn(now time.Time) (at, window time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	at, window = l.reserve(now)
	if at.IsZero() {
		l.inflight++
	}
	return at, window
}

// reserve is turn's decision; l.mu is held.
func (l *limiter) reserve(now time.Time) (at, window time.Time) {
	s := l.seen
	if s.Observed.IsZero() || s.Reset.IsZero() || !now.Before(s.Reset) {
		return time.Time{}, time.Time{} // nothing known of the current window
	}
	left := s.Remaining - l.spent
	switch {
	case left > s.Limit/4:
		l.spent++
		return time.Time{}, s.Reset
	case left <= 0:
		return s.Reset, s.Reset
	}
	at = now
	if l.next.After(now) {
		at = l.next
	}
	if !at.Before(s.Reset) {
		return s.Reset, s.Reset
	}
	l.spent++
	l.next = at.Add(s.Reset.Sub(now) / time.Duration(left))
	if !at.After(now) {
		at = time.Time{}
	}
	return at, s.Reset
}

func headerInt(h http.Header, key string) (int, bool) {
	vs := h[key]
	if len(vs) == 0 {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(vs[0]))
	return n, err == nil && n >= 0
}
