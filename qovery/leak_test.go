package qovery

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
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

// debugLogger logs everything the client says, below debug level included,
// with the source of each line, as text into w.
func debugLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug - 4, AddSource: true}))
}
