package qovery

import (
	"context"
	"testing"
	"testing/synctest"
	"time"
)

// How many status reads a wait for a deploy of five minutes costs with the
// default policy: the action's answer stands for the first read, the next
// comes 5 s after it, and the interval grows by half up to 30 s. The
// policy before (an immediate read, then 3 s growing to 30 s) took 15.
func TestWaitRequestsForAFiveMinuteDeploy(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := &liveStatus{state: "STOPPED", plans: map[string][]phase{
			"deploy": {{"QUEUED", 10 * time.Second}, {"DEPLOYING", 5 * time.Minute}, {"DEPLOYED", 0}},
		}}
		c := liveClient(t, api, WaitPolicy{Timeout: time.Hour})
		ctx := context.Background()
		start := time.Now()
		if _, err := c.Databases.Deploy(ctx, waitedDB); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Databases.Wait(ctx, waitedDB, StateDeployed); err != nil {
			t.Fatal(err)
		}
		reads, late := len(api.readTimes()), time.Since(start)-5*time.Minute
		t.Logf("a deploy of 5m0s: %d status reads, seen %v after its end", reads, late)
		if reads > 13 || late > 30*time.Second {
			t.Errorf("%d status reads, the end seen %v late; want at most 13, within 30s", reads, late)
		}
	})
}
