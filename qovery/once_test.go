package qovery

import (
	"context"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// HTTP/2 frame types and flags used by rawH2.
const (
	h2Data, h2Headers, h2RST, h2Settings, h2Ping, h2GoAway = 0x0, 0x1, 0x3, 0x4, 0x6, 0x7
	h2EndStream, h2Ack, h2EndHeaders                       = 0x1, 0x1, 0x4
	h2ProtocolError, h2RefusedStream                       = 0x1, 0x7
)

// rawH2 is an HTTP/2 server reduced to what the tests need, behind a real
// httptest TLS server that negotiates h2: it counts the requests that reach
// it in full (END_STREAM seen), and answers request n with reply(n): a
// stream reset with that error code, or, for 0, a 200 with a JSON body.
// net/http's own server offers no way to reset a stream after handling it.
type rawH2 struct {
	srv      *httptest.Server
	requests atomic.Int32
	reply    func(n int) (resetCode uint32)

	mu    sync.Mutex
	conns []net.Conn
}

func newRawH2(t *testing.T, reply func(n int) uint32) *rawH2 {
	t.Helper()
	h := &rawH2{reply: reply}
	h.srv = httptest.NewUnstartedServer(http.NotFoundHandler())
	h.srv.EnableHTTP2 = true
	h.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	h.srv.Config.TLSNextProto = map[string]func(*http.Server, *tls.Conn, http.Handler){
		"h2": func(_ *http.Server, c *tls.Conn, _ http.Handler) { h.serve(c) },
	}
	h.srv.StartTLS()
	t.Cleanup(func() {
		h.mu.Lock()
		for _, c := range h.conns {
			_ = c.Close()
		}
		h.mu.Unlock()
		h.srv.Close()
	})
	return h
}

func writeFrame(w io.Writer, typ, flags byte, stream uint32, payload []byte) error {
	hdr := make([]byte, 9, 9+len(payload))
	hdr[0], hdr[1], hdr[2] = byte(len(payload)>>16), byte(len(payload)>>8), byte(len(payload))
	hdr[3], hdr[4] = typ, flags
	binary.BigEndian.PutUint32(hdr[5:], stream)
	_, err := w.Write(append(hdr, payload...))
	return err
}

func (h *rawH2) serve(c *tls.Conn) {
	h.mu.Lock()
	h.conns = append(h.conns, c)
	h.mu.Unlock()
	defer func() { _ = c.Close() }()
	preface := make([]byte, len("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"))
	if _, err := io.ReadFull(c, preface); err != nil {
		return
	}
	if writeFrame(c, h2Settings, 0, 0, nil) != nil {
		return
	}
	hdr := make([]byte, 9)
	for {
		if _, err := io.ReadFull(c, hdr); err != nil {
			return
		}
		payload := make([]byte, int(hdr[0])<<16|int(hdr[1])<<8|int(hdr[2]))
		if _, err := io.ReadFull(c, payload); err != nil {
			return
		}
		typ, flags, stream := hdr[3], hdr[4], binary.BigEndian.Uint32(hdr[5:])&0x7fffffff
		var err error
		switch {
		case typ == h2Settings && flags&h2Ack == 0:
			err = writeFrame(c, h2Settings, h2Ack, 0, nil)
		case typ == h2Ping && flags&h2Ack == 0:
			err = writeFrame(c, h2Ping, h2Ack, 0, payload)
		case typ == h2GoAway:
			return
		case (typ == h2Headers || typ == h2Data) && flags&h2EndStream != 0:
			err = h.answer(c, stream, int(h.requests.Add(1)))
		}
		if err != nil {
			return
		}
	}
}

func (h *rawH2) answer(c *tls.Conn, stream uint32, n int) error {
	if code := h.reply(n); code != 0 {
		return writeFrame(c, h2RST, 0, stream, binary.BigEndian.AppendUint32(nil, code))
	}
	// HPACK: ":status: 200" is entry 8 of the static table; content-type
	// (entry 31) is sent as a literal without indexing.
	block := append([]byte{0x88, 0x0f, 0x10, byte(len("application/json"))}, "application/json"...)
	if err := writeFrame(c, h2Headers, h2EndHeaders, stream, block); err != nil {
		return err
	}
	return writeFrame(c, h2Data, h2EndStream, stream, []byte(`{"results":[]}`))
}

// A POST the server processed and then reset with PROTOCOL_ERROR reaches
// the server once, with a body and without one: net/http's HTTP/2
// transport would send it again on its own, under the retry layer.
func TestHTTP2ResetAfterPOSTNotResent(t *testing.T) {
	for _, tc := range []struct {
		name string
		body func() io.Reader
	}{
		{"with body", func() io.Reader { return strings.NewReader(`{"name":"nightly","message":"m"}`) }},
		{"without body", func() io.Reader { return nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newRawH2(t, func(int) uint32 { return h2ProtocolError })
			rt := &countingRT{next: h.srv.Client().Transport}
			c, _ := newTestClient(t, h.srv.URL, WithHTTPClient(&http.Client{Transport: rt}))
			// Past the HTTP/2 transport's immediate resend, before its next.
			ctx, cancel := context.WithTimeout(context.Background(), 400*time.Millisecond)
			defer cancel()
			_, err := do(t, c, ctx, http.MethodPost, "/database/x/deploy", tc.body())
			if err == nil {
				t.Fatal("the POST succeeded; want an error")
			}
			time.Sleep(20 * time.Millisecond) // let a resend, if any, arrive
			if n := h.requests.Load(); n != 1 {
				t.Errorf("the server received the POST %d times, want 1 (err: %v)", n, err)
			}
			if n := rt.n.Load(); n != 1 {
				t.Errorf("%d attempts, want 1", n)
			}
			if errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("err = %v; want the failure itself, not the deadline", err)
			}
		})
	}
}

// The resends HTTP/2 is right to make still happen for idempotent calls.
func TestHTTP2ResetStillRecoveredForIdempotentCalls(t *testing.T) {
	for _, code := range []uint32{h2ProtocolError, h2RefusedStream} {
		for _, method := range []string{http.MethodGet, http.MethodPut, http.MethodDelete} {
			t.Run(method, func(t *testing.T) {
				h := newRawH2(t, func(n int) uint32 {
					if n == 1 {
						return code
					}
					return 0
				})
				rt := &countingRT{next: h.srv.Client().Transport}
				c, _ := newTestClient(t, h.srv.URL, WithHTTPClient(&http.Client{Transport: rt}))
				var body io.Reader
				if method == http.MethodPut {
					body = strings.NewReader(`{"name":"n"}`)
				}
				resp, err := do(t, c, context.Background(), method, "/organization", body)
				if err != nil || resp.StatusCode != 200 {
					t.Fatalf("resp %v, err %v; want 200", resp, err)
				}
				if resp.ProtoMajor != 2 || h.requests.Load() != 2 {
					t.Errorf("HTTP/%d, %d requests; want HTTP/2 and 2", resp.ProtoMajor, h.requests.Load())
				}
			})
		}
	}
}

// corruptAfterPOST is a TLS server that reads a request in full and then,
// instead of answering, writes a TLS record with a bad version under the
// encryption layer: the client fails with "received record with version".
func corruptAfterPOST(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var processed atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		processed.Add(1)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer func() { _ = conn.Close() }()
		if tc, ok := conn.(*tls.Conn); ok {
			_, _ = tc.NetConn().Write([]byte{0x17, 0x01, 0x01, 0x00, 0x05, 'h', 'e', 'l', 'l', 'o'})
			_, _ = io.Copy(io.Discard, tc.NetConn()) // until the client hangs up
		}
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv, &processed
}

func TestTLSRecordErrorAfterPOSTIsMaybeSent(t *testing.T) {
	srv, processed := corruptAfterPOST(t)
	rt := &countingRT{next: srv.Client().Transport}
	c, _ := newTestClient(t, srv.URL, WithHTTPClient(&http.Client{Transport: rt}))
	_, err := do(t, c, context.Background(), http.MethodPost, "/database/x/backups", strings.NewReader(`{"name":"b"}`))
	var rh tls.RecordHeaderError
	if !errors.As(err, &rh) {
		t.Fatalf("err = %v, want a TLS record header error", err)
	}
	if n := processed.Load(); n != 1 || rt.n.Load() != 1 {
		t.Errorf("the backup was taken %d times in %d attempts, want once in 1", n, rt.n.Load())
	}
}

// cutFirstHandshake wraps a listener: the first connection has its TLS
// handshake cut (the ClientHello is read, then the connection is reset);
// the others go through.
type cutFirstHandshake struct {
	net.Listener
	cut atomic.Bool
}

func (l *cutFirstHandshake) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil || l.cut.Swap(true) {
			return c, err
		}
		_ = c.SetReadDeadline(time.Now().Add(time.Second))
		_, _ = c.Read(make([]byte, 512))
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.SetLinger(0)
		}
		_ = c.Close()
	}
}

func TestPOSTRetriedWhenHandshakeCutBeforeWriting(t *testing.T) {
	h := &counter{script: []int{200}}
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Listener = &cutFirstHandshake{Listener: srv.Listener}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	rt := &countingRT{next: srv.Client().Transport}
	c, _ := newTestClient(t, srv.URL, WithHTTPClient(&http.Client{Transport: rt}))
	resp, err := do(t, c, context.Background(), http.MethodPost, "/database/x/backups", strings.NewReader(`{"name":"b"}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("resp %v, err %v; want 200 after a second attempt", resp, err)
	}
	if rt.n.Load() != 2 || h.hits.Load() != 1 {
		t.Errorf("%d attempts, %d requests processed; want 2 and 1", rt.n.Load(), h.hits.Load())
	}
}

// A TLS error from a transport that tells nothing of its handshake may come
// after the request was written: a POST is not retried on it.
func TestTLSErrorWithoutHandshakeTraceIsMaybeSent(t *testing.T) {
	for name, fail := range map[string]error{
		"alert":         tls.AlertError(20),
		"record header": tls.RecordHeaderError{Msg: "received record with version 101 when expecting version 303"},
	} {
		t.Run(name, func(t *testing.T) {
			var calls atomic.Int32
			rt := rtFunc(func(r *http.Request) (*http.Response, error) {
				calls.Add(1)
				return nil, fail
			})
			c, _ := newTestClient(t, "http://127.0.0.1:1", WithHTTPClient(&http.Client{Transport: rt}))
			if _, err := do(t, c, context.Background(), http.MethodPost, "/organization", strings.NewReader(`{}`)); err == nil {
				t.Fatal("want an error")
			}
			if calls.Load() != 1 {
				t.Errorf("%d attempts, want 1", calls.Load())
			}
		})
	}
}

// Backups.Delete takes a 404 for "deleted by an earlier attempt" only when an
// earlier attempt may have taken effect.
func TestBackupsDelete404AfterAttemptsThatDidNothing(t *testing.T) {
	const db, backup = "3f1b6a7e-2c4d-4e8f-9a0b-1c2d3e4f5a6b", "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d"
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	for _, tc := range []struct {
		name  string
		first func() (int, error) // the first attempt's outcome
		want  error               // nil: taken as deleted
	}{
		{"429 then 404", func() (int, error) { return http.StatusTooManyRequests, nil }, ErrNotFound},
		{"refused then 404", func() (int, error) { return 0, refused }, ErrNotFound},
		{"502 then 404", func() (int, error) { return http.StatusBadGateway, nil }, nil},
		{"reset then 404", func() (int, error) { return 0, syscall.ECONNRESET }, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := &counter{script: []int{http.StatusNotFound}, body: `{"message":"backup not found"}`}
			srv := serve(t, h)
			var calls atomic.Int32
			rt := rtFunc(func(r *http.Request) (*http.Response, error) {
				if calls.Add(1) == 1 {
					code, err := tc.first()
					if err != nil {
						return nil, err
					}
					return &http.Response{StatusCode: code, Header: http.Header{}, Body: http.NoBody, Request: r}, nil
				}
				return http.DefaultTransport.RoundTrip(r)
			})
			c, _ := newTestClient(t, srv.URL, WithHTTPClient(&http.Client{Transport: rt}))
			err := c.Backups.Delete(context.Background(), db, backup)
			switch {
			case tc.want == nil && err != nil:
				t.Errorf("err = %v, want nil (the first attempt may have deleted it)", err)
			case tc.want != nil && !errors.Is(err, tc.want):
				t.Errorf("err = %v, want %v", err, tc.want)
			}
			if calls.Load() != 2 {
				t.Errorf("%d attempts, want 2", calls.Load())
			}
		})
	}
}
