package qovery

import (
	"context"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/synctest"
	"time"
)

// memNet is a network in memory: a listener whose connections are the
// server ends of net.Pipe pairs, and a dialer for the client ends. Inside a
// testing/synctest bubble every wait on it is a wait on the bubble's own
// channels and timers, so the bubble's clock advances as soon as everything
// waits; real sockets would stop it.
type memNet struct {
	conns     chan net.Conn
	done      chan struct{}
	closeOnce sync.Once
}

func newMemNet() *memNet {
	return &memNet{conns: make(chan net.Conn), done: make(chan struct{})}
}

// memBaseURL is the base URL of a server on a memNet: a loopback host, so
// the client allows plain http; the dialer ignores it.
const memBaseURL = "http://127.0.0.1:80"

// DialContext connects to the server, or fails as a refused connection
// once the listener is closed.
func (m *memNet) DialContext(ctx context.Context, _, _ string) (net.Conn, error) {
	client, server := net.Pipe()
	select {
	case m.conns <- server:
		return client, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-m.done:
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	}
}

func (m *memNet) Accept() (net.Conn, error) {
	select {
	case c := <-m.conns:
		return c, nil
	case <-m.done:
		return nil, net.ErrClosed
	}
}

func (m *memNet) Close() error {
	m.closeOnce.Do(func() { close(m.done) })
	return nil
}

func (m *memNet) Addr() net.Addr { return memAddr{} }

type memAddr struct{}

func (memAddr) Network() string { return "mem" }
func (memAddr) String() string  { return "127.0.0.1:80" }

// serveMem serves h on a memNet whose server-side connections cc counts,
// and stops it when the test ends. Call it inside the bubble.
func serveMem(t *testing.T, h http.Handler, cc *connCounter) *memNet {
	t.Helper()
	m := newMemNet()
	srv := &http.Server{Handler: h, ConnState: cc.connState, ReadHeaderTimeout: time.Minute}
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = srv.Serve(m)
	}()
	t.Cleanup(func() {
		_ = srv.Close()
		<-served
	})
	return m
}

// memTransport is a plain HTTP transport over m whose connections cc
// counts.
func memTransport(m *memNet, cc *connCounter) *http.Transport {
	tr := cc.transport()
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := m.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		cc.opened.Add(1)
		return &countedConn{Conn: conn, c: cc}, nil
	}
	return tr
}

// bubbleStacks returns the stacks of the goroutines of the calling
// goroutine's synctest bubble, once every other one of them waits.
// Goroutines outside the bubble (the test runner's, the runtime's) are left
// out: they follow real time, which a bubble does not see pass.
func bubbleStacks() []string {
	synctest.Wait()
	self := make([]byte, 1<<10)
	self = self[:runtime.Stack(self, false)]
	header, _, _ := strings.Cut(string(self), "\n")
	i := strings.Index(header, "synctest bubble ")
	if i < 0 {
		panic("bubbleStacks called outside a synctest bubble")
	}
	bubble := strings.TrimRight(header[i:], "]:") + "]"
	all := make([]byte, 1<<22)
	all = all[:runtime.Stack(all, true)]
	var stacks []string
	for _, g := range strings.Split(string(all), "\n\n") {
		if h, _, _ := strings.Cut(g, "\n"); strings.Contains(h, bubble) {
			stacks = append(stacks, g)
		}
	}
	return stacks
}

// checkBubbleGoroutines fails t when more goroutines are left in the
// calling bubble than the before it was given (a len of bubbleStacks).
// Every goroutine that can finish has finished by then, so the count is
// exact and needs no settling time.
func checkBubbleGoroutines(t *testing.T, before int) {
	t.Helper()
	if stacks := bubbleStacks(); len(stacks) > before {
		t.Errorf("goroutine leak: %d goroutines in the test before, %d after:\n%s",
			before, len(stacks), strings.Join(stacks, "\n\n"))
	}
}
