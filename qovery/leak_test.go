package qovery

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// connCounter counts the connections one side of a test opens and closes,
// so a test can tell that none is left open once it is done.
type connCounter struct {
	opened atomic.Int64
	closed atomic.Int64
}

func (c *connCounter) open() int64 { return c.opened.Load() - c.closed.Load() }

// dial is a DialContext for an http.Transport whose connections are counted.
func (c *connCounter) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	c.opened.Add(1)
	return &countedConn{Conn: conn, c: c}, nil
}

// transport returns a plain HTTP transport (TLS verification untouched)
// whose connections are counted.
func (c *connCounter) transport() *http.Transport {
	return &http.Transport{
		DialContext:         c.dial,
		MaxIdleConns:        128,
		MaxIdleConnsPerHost: 128,
		IdleConnTimeout:     30 * time.Second,
	}
}

// connState is an http.Server ConnState hook counting the server's
// connections: a hijacked connection is the handler's to close, and the
// fake closes those at once.
func (c *connCounter) connState(_ net.Conn, s http.ConnState) {
	switch s {
	case http.StateNew:
		c.opened.Add(1)
	case http.StateClosed, http.StateHijacked:
		c.closed.Add(1)
	}
}

type countedConn struct {
	net.Conn
	c    *connCounter
	once sync.Once
}

func (cc *countedConn) Close() error {
	err := cc.Conn.Close()
	cc.once.Do(func() { cc.c.closed.Add(1) })
	return err
}

// countedServer serves h on a loopback httptest server whose connections
// are counted. It is closed when the test ends.
func countedServer(t *testing.T, h http.Handler) (*httptest.Server, *connCounter) {
	t.Helper()
	cc := &connCounter{}
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ConnState = cc.connState
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, cc
}

// waitFor polls cond every few milliseconds until it holds or d passes.
func waitFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// checkGoroutines fails t when, after a settle period, more goroutines run
// than before the code under test started. Goroutines of the test binary
// come and go, so it waits for the count to drop back rather than
// comparing once.
func checkGoroutines(t *testing.T, before int) int {
	t.Helper()
	var now int
	if waitFor(5*time.Second, func() bool { now = runtime.NumGoroutine(); return now <= before }) {
		return now
	}
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var leaked []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "qovery") || strings.Contains(g, "net/http") {
			leaked = append(leaked, g)
		}
	}
	t.Errorf("goroutine leak: %d running before, %d after settling; suspects:\n%s",
		before, now, strings.Join(leaked, "\n\n"))
	return now
}

// debugLogger logs everything the client says, below debug level included,
// with the source of each line, as text into w.
func debugLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug - 4, AddSource: true}))
}
