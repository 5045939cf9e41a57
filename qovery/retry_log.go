package qovery

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

func (t *transport) debug(ctx context.Context, msg string, attrs ...slog.Attr) {
	if t.logger != nil && t.logger.Enabled(ctx, slog.LevelDebug) {
		t.logger.LogAttrs(ctx, slog.LevelDebug, msg, attrs...)
	}
}

func (t *transport) logAttempt(ctx context.Context, r *http.Request, attempt int, resp *http.Response, err error, delay time.Duration, why string) {
	if t.logger == nil || !t.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := make([]slog.Attr, 0, 7)
	attrs = append(attrs,
		slog.String("method", r.Method),
		slog.String("url", redactURL(r)),
		slog.Int("attempt", attempt),
	)
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", t.auth.redact(err.Error())))
	}
	if delay > 0 {
		attrs = append(attrs, slog.Duration("retry_in", delay))
	}
	if why != "" {
		attrs = append(attrs, slog.String("no_retry", why))
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
