package qovery

import (
	"context"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestWaitEndsAtFirstCertificateError(t *testing.T) {
	srv := httptest.NewUnstartedServer(&counter{script: []int{200}})
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	rt := &countingRT{next: http.DefaultTransport} // does not trust the test CA
	c, _ := newTestClient(t, srv.URL, WithHTTPClient(&http.Client{Transport: rt}))
	_, err := c.Databases.Wait(context.Background(), lieDB, StateDeployed)
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("err = %v, want a certificate error", err)
	}
	if n := rt.n.Load(); n != 1 {
		t.Errorf("%d polls, want 1", n)
	}
}

func TestWaitEmptyTargetIsAnArgumentError(t *testing.T) {
	h := &counter{script: []int{200}, body: `{"state":"DEPLOYED"}`}
	c, _ := newTestClient(t, serve(t, h).URL)
	for _, target := range []State{"", "  "} {
		for name, wait := range map[string]func(context.Context, string, State) (any, error){
			"Applications.Wait": func(ctx context.Context, id string, s State) (any, error) { return c.Applications.Wait(ctx, id, s) },
			"Containers.Wait":   func(ctx context.Context, id string, s State) (any, error) { return c.Containers.Wait(ctx, id, s) },
			"Databases.Wait":    func(ctx context.Context, id string, s State) (any, error) { return c.Databases.Wait(ctx, id, s) },
			"Environments.Wait": func(ctx context.Context, id string, s State) (any, error) { return c.Environments.Wait(ctx, id, s) },
		} {
			var ae *ArgError
			if _, err := wait(context.Background(), lieDB, target); !errors.As(err, &ae) || ae.Arg != "target" {
				t.Errorf("%s(%q): err = %v, want an *ArgError for the target", name, target, err)
			}
		}
	}
	if n := h.hits.Load(); n != 0 {
		t.Errorf("%d requests, want 0", n)
	}
}

const graceBackup = "00000000-0000-4000-8000-000000000042"

// backupLister lists the backup graceBackup in the state script[n] at
// poll n ("" leaves it out; the last entry repeats).
func backupLister(t *testing.T, script []string, grace time.Duration) (*Client, *atomic.Int32) {
	t.Helper()
	var polls atomic.Int32
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(polls.Add(1))
		state := script[min(n, len(script))-1]
		w.Header().Set("Content-Type", "application/json")
		if state == "" {
			_, _ = io.WriteString(w, `{"page":1,"page_size":20,"results":[]}`)
			return
		}
		_, _ = io.WriteString(w, `{"page":1,"page_size":20,"results":[{"id":"`+graceBackup+`","name":"b","status":{"state":"`+state+`"}}]}`)
	}))
	c, _ := newTestClient(t, srv.URL, WithWaitPolicy(WaitPolicy{MinInterval: time.Millisecond, MaxInterval: 2 * time.Millisecond, Timeout: 5 * time.Second, ListGrace: grace}))
	return c, &polls
}

func TestBackupsWaitGraceForNotListedYet(t *testing.T) {
	t.Run("listed after a moment", func(t *testing.T) {
		c, polls := backupLister(t, []string{"", "", "DEPLOYING", "DEPLOYED"}, time.Second)
		b, err := c.Backups.Wait(context.Background(), lieDB, graceBackup)
		if err != nil || b == nil || polls.Load() != 4 {
			t.Fatalf("(%v, %v) after %d polls, want the backup after 4", b, err, polls.Load())
		}
	})
	t.Run("never listed", func(t *testing.T) {
		c, polls := backupLister(t, []string{""}, 30*time.Millisecond)
		start := time.Now()
		_, err := c.Backups.Wait(context.Background(), lieDB, graceBackup)
		if !errors.Is(err, ErrNotFound) || errors.Is(err, ErrWaitTimeout) {
			t.Fatalf("err = %v, want ErrNotFound once the grace is over", err)
		}
		if time.Since(start) < 30*time.Millisecond || polls.Load() < 2 {
			t.Errorf("gave up after %v and %d polls, before the grace was over", time.Since(start), polls.Load())
		}
	})
	t.Run("gone after being seen", func(t *testing.T) {
		c, polls := backupLister(t, []string{"DEPLOYING", ""}, time.Minute)
		_, err := c.Backups.Wait(context.Background(), lieDB, graceBackup)
		if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "after being seen") || polls.Load() != 2 {
			t.Fatalf("err = %v after %d polls, want a gone-after-seen error after 2", err, polls.Load())
		}
	})
}
