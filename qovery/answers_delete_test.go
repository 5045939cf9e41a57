package qovery

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/qoverykit/qovery-go/internal/fixtures"
)

// deleteCall is one DELETE of the services, with the operationId the fake
// counts it under.
type deleteCall struct {
	name string
	op   string
	call func(ctx context.Context, w *cbWorld, id string) error
	id   func(w *cbWorld) string
}

func deleteCalls() []deleteCall {
	return []deleteCall{
		{"Databases.Delete", "deleteDatabase",
			func(ctx context.Context, w *cbWorld, id string) error { return w.c.Databases.Delete(ctx, id) },
			func(w *cbWorld) string { return w.ids.DatabaseID }},
		{"Applications.Delete", "deleteApplication",
			func(ctx context.Context, w *cbWorld, id string) error { return w.c.Applications.Delete(ctx, id) },
			func(w *cbWorld) string { return w.ids.ApplicationID }},
		{"Containers.Delete", "deleteContainer",
			func(ctx context.Context, w *cbWorld, id string) error { return w.c.Containers.Delete(ctx, id) },
			func(w *cbWorld) string { return w.ids.ContainerID }},
		{"Backups.Delete", "removeDatabaseBackup",
			func(ctx context.Context, w *cbWorld, id string) error {
				return w.c.Backups.Delete(ctx, w.ids.DatabaseID, id)
			},
			func(w *cbWorld) string { return w.srv.SeedBackups(w.ids.DatabaseID, 1)[0] }},
	}
}

// A DELETE whose first attempt deleted the object but lost its answer (a
// 503 or a reset after processing) is retried and gets 404: every DELETE of
// the services takes that as the deletion done.
func TestDeleteRetriedAfterAnEffectiveAttemptSucceeds(t *testing.T) {
	faults := map[string]fixtures.Fault{
		"503 after processing":   {Kind: fixtures.FaultStatus, Status: http.StatusServiceUnavailable, Apply: true},
		"reset after processing": {Kind: fixtures.FaultReset, Apply: true},
	}
	for fname, fault := range faults {
		for _, d := range deleteCalls() {
			t.Run(fname+"/"+d.name, func(t *testing.T) {
				w := newCBWorld(t, fixtures.WithSteps(0))
				id := d.id(w)
				w.srv.InjectFault(d.op, 1, fault)
				if err := d.call(context.Background(), w, id); err != nil {
					t.Fatalf("%s: %v, want nil: the first attempt deleted it", d.name, err)
				}
				if n := w.srv.Received(d.op); n != 2 {
					t.Errorf("%s received %d requests, want 2", d.op, n)
				}
				if w.srv.Exists(id) {
					t.Errorf("%s still exists", id)
				}
			})
		}
	}
}

// A 404 stays ErrNotFound when no attempt before it can have deleted
// anything: on the first attempt, and after a 429, which the server sends
// instead of doing the work.
func TestDeleteNotFoundWithoutAnEarlierEffect(t *testing.T) {
	for _, d := range deleteCalls() {
		t.Run(d.name, func(t *testing.T) {
			w := newCBWorld(t)
			w.c, _ = newTestClient(t, w.srv.URL, WithHTTPClient(&http.Client{Transport: retryNow{http.DefaultTransport}}))
			err := d.call(context.Background(), w, unknownID)
			if !errors.Is(err, ErrNotFound) {
				t.Errorf("first attempt: err = %v, want ErrNotFound", err)
			}

			w.srv.InjectFault(d.op, 1, fixtures.Fault{Kind: fixtures.FaultRateLimit})
			err = d.call(context.Background(), w, unknownID)
			var ae *APIError
			if !errors.As(err, &ae) || ae.StatusCode != http.StatusNotFound || ae.Attempts != 2 {
				t.Errorf("after a 429: err = %v, want the 404 of the second attempt", err)
			}
		})
	}
}

// The rule is the method's, not the operation's: a GET that gets 404 after
// a 503 is still not found.
func TestNotFoundAfterA503OnAGetStaysNotFound(t *testing.T) {
	w := newCBWorld(t)
	w.inject("getDatabase", 1, http.StatusServiceUnavailable, "")
	_, err := w.c.Databases.Get(context.Background(), unknownID)
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("err = %v, want ErrNotFound", err)
	}
}

// Check, which reads the answers of c.API(), keeps the same rule.
func TestCheckDeleteRetriedAfterAnEffectiveAttempt(t *testing.T) {
	w := newCBWorld(t, fixtures.WithSteps(0))
	w.srv.InjectFault("deleteDatabase", 1, fixtures.Fault{Kind: fixtures.FaultStatus, Status: http.StatusGatewayTimeout, Apply: true})
	id := mustUUID(t, w.ids.DatabaseID)
	if err := Check(w.c.API().DeleteDatabaseWithResponse(context.Background(), id)); err != nil {
		t.Fatalf("Check: %v, want nil", err)
	}
}

// retryNow reads the Retry-After of every answer as 0, so that a 429 is
// retried after the policy's millisecond backoff, not the second it asks.
type retryNow struct{ next http.RoundTripper }

func (r retryNow) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	if resp != nil && resp.Header.Get("Retry-After") != "" {
		resp.Header.Set("Retry-After", "0")
	}
	return resp, err
}
