package qovery

import (
	"context"
	"testing"

	"github.com/qoverykit/qovery-go/internal/fixtures"
)

// The shared fake API with the live API's ways turned on: status reads that
// lag after an action, 403 for what is deleted, and a state no document
// lists. A deploy of what is deployed, a stop and a delete, each waited
// for, end as asked.
func TestWaitsMeetTheLiveAPI(t *testing.T) {
	srv := fixtures.NewServer(t, fixtures.WithStaleStatus(2), fixtures.WithDeletedStatus(403), fixtures.WithNewState("EXECUTING"))
	ids := srv.Seed()
	c, _ := newTestClient(t, srv.URL)
	ctx := context.Background()
	app := ids.ApplicationID

	for _, step := range []struct {
		target State
		act    func() error
	}{
		{StateDeployed, func() error {
			_, err := c.Applications.Deploy(ctx, app, DeployApplicationRequest{GitCommitId: "0123456789abcdef0123456789abcdef01234567"})
			return err
		}},
		{StateStopped, func() error { _, err := c.Applications.Stop(ctx, app); return err }},
	} {
		if err := step.act(); err != nil {
			t.Fatal(err)
		}
		if st, err := c.Applications.Wait(ctx, app, step.target); err != nil || *st.State != string(step.target) {
			t.Fatalf("Wait(%s) = %+v, %v", step.target, st, err)
		}
		if got, _ := srv.State(app); got != string(step.target) {
			t.Fatalf("Wait(%s) returned with the application %s: it took a stale status for the outcome", step.target, got)
		}
	}

	if err := c.Applications.Delete(ctx, app); err != nil {
		t.Fatal(err)
	}
	if st, err := c.Applications.Wait(ctx, app, StateDeleted); err != nil || (st != nil && *st.State != "DELETED") {
		t.Fatalf("Wait(DELETED) after Delete = %+v, %v", st, err)
	}
	if _, exists := srv.State(app); exists {
		t.Fatal("Wait(DELETED) returned before the application was gone")
	}
}
