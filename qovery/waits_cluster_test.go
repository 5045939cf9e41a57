package qovery

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"testing/synctest"
	"time"
)

// Clusters.Wait reads the cluster's "status" and follows the cluster's
// actions as the services' Wait follow theirs.
func TestClustersWaitFollowsItsActions(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := &liveStatus{cluster: true, state: "DEPLOYED", stale: 2, gone: http.StatusForbidden, plans: map[string][]phase{
			"deploy": {{"DEPLOYMENT_QUEUED", 10 * time.Second}, {"DEPLOYING", 20 * time.Minute}, {"DEPLOYED", 0}},
			"stop":   {{"STOP_QUEUED", 10 * time.Second}, {"STOPPING", 5 * time.Minute}, {"STOPPED", 0}},
			"delete": {{"DELETE_QUEUED", 10 * time.Second}, {"DELETING", 10 * time.Minute}, {"", 0}},
		}}
		c := liveClient(t, api, WaitPolicy{})
		ctx := context.Background()
		for _, step := range []struct {
			act    func() error
			target State
			took   time.Duration
		}{
			{func() error { _, err := c.Clusters.Deploy(ctx, waitedOrg, waitedCluster); return err }, StateDeployed, 20 * time.Minute},
			{func() error { _, err := c.Clusters.Stop(ctx, waitedOrg, waitedCluster); return err }, StateStopped, 5 * time.Minute},
			{func() error { return c.Clusters.Delete(ctx, waitedOrg, waitedCluster) }, StateDeleted, 10 * time.Minute},
		} {
			start := time.Now()
			if err := step.act(); err != nil {
				t.Fatal(err)
			}
			st, err := c.Clusters.Wait(ctx, waitedOrg, waitedCluster, step.target)
			took := time.Since(start)
			switch {
			case err != nil || took < step.took || took > step.took+30*time.Second:
				t.Fatalf("Wait(%s) = %+v, %v after %v; want it when the action ends, after %v", step.target, st, err, took, step.took)
			case step.target == StateDeleted && st != nil:
				t.Fatalf("Wait(DELETED) = %+v; want nil once the cluster answers 403", st)
			case step.target != StateDeleted && (st == nil || st.Status == nil || *st.Status != string(step.target)):
				t.Fatalf("Wait(%s) = %+v", step.target, st)
			}
		}
	})
}

func TestClustersWaitChecksBothIDs(t *testing.T) {
	c, err := New(testToken, WithBaseURL(memBaseURL), WithHTTPClient(&http.Client{Transport: &liveStatus{cluster: true}}))
	if err != nil {
		t.Fatal(err)
	}
	for _, ids := range [][2]string{{"org", waitedCluster}, {waitedOrg, "cluster"}} {
		var ae *ArgError
		if _, err := c.Clusters.Wait(context.Background(), ids[0], ids[1], StateDeployed); !errors.As(err, &ae) {
			t.Errorf("Wait(%q, %q): %v, want an *ArgError", ids[0], ids[1], err)
		}
	}
}
