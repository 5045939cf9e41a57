package qovery

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

const nilUUID = "00000000-0000-0000-0000-000000000000"

// No Qovery resource has the nil UUID: an ID that is the nil UUID is an
// argument mistake (a zero value passed on), refused before anything is
// sent.
func TestNilUUIDIsRefusedBeforeSending(t *testing.T) {
	h := &counter{script: []int{http.StatusAccepted}, body: `{"id":"` + waitedDatabase + `","state":"DEPLOYED"}`}
	srv := serve(t, h)
	c, _ := newTestClient(t, srv.URL)
	ctx := context.Background()
	calls := map[string]func() error{
		"Databases.Deploy": func() error { _, err := c.Databases.Deploy(ctx, nilUUID); return err },
		"Databases.Get":    func() error { _, err := c.Databases.Get(ctx, nilUUID); return err },
		"Databases.Wait":   func() error { _, err := c.Databases.Wait(ctx, nilUUID, StateDeployed); return err },
		"Databases.Clone":  func() error { _, err := c.Databases.Clone(ctx, waitedDatabase, "copy", nilUUID); return err },
		"Backups.Delete":   func() error { return c.Backups.Delete(ctx, waitedDatabase, nilUUID) },
		"Backups.Wait":     func() error { _, err := c.Backups.Wait(ctx, nilUUID, waitedDatabase); return err },
	}
	for name, call := range calls {
		err := call()
		var ae *ArgError
		if !errors.As(err, &ae) || !strings.Contains(ae.Reason, "nil UUID") {
			t.Errorf("%s: err = %v, want an *ArgError saying the ID is the nil UUID", name, err)
		}
	}
	if n := h.hits.Load(); n != 0 {
		t.Errorf("the server received %d requests, want none", n)
	}
}
