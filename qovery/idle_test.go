package qovery

import (
	"context"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
)

// A 409 to a DELETE retried after an attempt that may have deleted is not
// waited on and sent again: the API may be busy with that very deletion.
func TestWhenIdleLeavesAConflictAfterAnEarlierEffect(t *testing.T) {
	var deletes, statuses atomic.Int32
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			statuses.Add(1)
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"id":"` + someDB + `","state":"DEPLOYED"}`))
			return
		}
		if deletes.Add(1) == 1 { // processed, then the answer is lost
			conn, _, _ := w.(http.Hijacker).Hijack()
			_ = conn.(*net.TCPConn).SetLinger(0)
			_ = conn.Close()
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusConflict)
		_, _ = w.Write([]byte(`{"message":"environment is busy"}`))
	}))
	c, _ := newTestClient(t, srv.URL)
	err := c.Environments.WhenIdle(context.Background(), someDB, func(ctx context.Context) error {
		return c.Applications.Delete(ctx, someDB)
	})
	if !IsConflict(err) || deletes.Load() != 2 || statuses.Load() != 0 {
		t.Errorf("err %v after %d DELETEs and %d status reads; want the 409 after 2 and none", err, deletes.Load(), statuses.Load())
	}
}
