package qovery

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// serverWait returns how long the server asked the client to wait, from
// Retry-After (seconds or HTTP date) or, when useReset is set, from
// X-RateLimit-Reset (Unix seconds, or seconds from now for small values).
func serverWait(h http.Header, now time.Time, useReset bool) (time.Duration, bool) {
	at, ok := resetTime(h, now, useReset)
	if !ok {
		return 0, false
	}
	return max(at.Sub(now), 0), true
}

// resetTime returns the instant from which the server accepts requests again.
func resetTime(h http.Header, now time.Time, useReset bool) (time.Time, bool) {
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if n, ok := parseSeconds(v); ok {
			return now.Add(secondsDuration(n)), true
		}
		if t, err := http.ParseTime(v); err == nil {
			return t, true
		}
	}
	if useReset {
		if v := strings.TrimSpace(h.Get("X-RateLimit-Reset")); v != "" {
			return rateLimitReset(v, now)
		}
	}
	return time.Time{}, false
}

// rateLimitReset reads X-RateLimit-Reset: Unix seconds, or seconds from
// now for small values.
func rateLimitReset(v string, now time.Time) (time.Time, bool) {
	n, ok := parseSeconds(v)
	switch {
	case !ok:
		return time.Time{}, false
	case n >= 1_000_000_000: // an instant, in Unix seconds
		return time.Unix(int64(min(n, 1<<40)), 0), true
	}
	return now.Add(secondsDuration(n)), true
}

// parseSeconds reads a count of seconds. A number of digits too large for
// uint64 is read as the largest one: it announces a wait beyond any clamp,
// not the absence of a wait.
func parseSeconds(v string) (uint64, bool) {
	n, err := strconv.ParseUint(v, 10, 64)
	if err == nil {
		return n, true
	}
	if errors.Is(err, strconv.ErrRange) {
		return math.MaxUint64, true
	}
	return 0, false
}

func secondsDuration(n uint64) time.Duration {
	const maxSeconds = 100 * 365 * 24 * 3600 // far beyond any clamp, far from overflow
	return time.Duration(min(n, maxSeconds)) * time.Second
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-tm.C:
		return nil
	}
}
