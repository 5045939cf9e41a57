package qovery

import (
	"context"
	"log/slog"
	"net/http"
)

func (t *transport) debug(ctx context.Context, msg string, attrs ...slog.Attr) {
	if t.logger != nil && t.logger.Enabled(ctx, slog.LevelDebug) {
		t.logger.LogAttrs(ctx, slog.LevelDebug, msg, attrs...)
	}
}

// logAttempt logs an attempt and the decision taken on it.
func (t *transport) logAttempt(ctx context.Context, a *attempt, d decision) {
	if t.logger == nil || !t.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := make([]slog.Attr, 0, 7)
	attrs = append(attrs,
		slog.String("method", a.req.Method),
		slog.String("url", redactURL(a.req)),
		slog.Int("attempt", a.n),
	)
	if a.resp != nil {
		attrs = append(attrs, slog.Int("status", a.resp.StatusCode))
	}
	if a.err != nil {
		attrs = append(attrs, slog.String("error", t.auth.redact(a.err.Error())))
	}
	if d.delay > 0 {
		attrs = append(attrs, slog.Duration("retry_in", d.delay))
	}
	if d.reason != "" {
		attrs = append(attrs, slog.String("no_retry", d.reason))
	}
	t.logger.LogAttrs(ctx, slog.LevelDebug, "qovery: http attempt", attrs...)
}

// redactURL is the request URL without user information, query or fragment.
func redactURL(r *http.Request) string {
	u := r.URL
	if u == nil {
		return ""
	}
	return u.Scheme + "://" + u.Host + u.EscapedPath()
}
