package qovery_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/qoverykit/qovery-go/qovery"
	"github.com/qoverykit/qovery-go/qovery/qoverytest"
)

// Print where a deployment is, as a CI job would, against a server that
// lags as the live API does: right after the deploy, it still reads
// DEPLOYED, which the wait does not take for the deploy's outcome.
func ExampleWaitPolicy() {
	srv, err := qoverytest.Start(qoverytest.WithStaleStatus(1)) // a fake Qovery API; qovery.NewFromEnv() for the real one
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := srv.Client(qovery.WithWaitPolicy(qovery.WaitPolicy{
		MinInterval: time.Millisecond, // the fake moves at each read; leave it out for the real API
		OnStatus: func(e qovery.WaitEvent) {
			note := ""
			if e.Unconfirmed {
				note = " (may be the state before the deploy)"
			}
			fmt.Printf("%s %s%s\n", e.Kind, e.State, note)
		},
	}))
	ctx := context.Background()
	dbID := srv.World.DatabaseID

	if _, err := c.Databases.Deploy(ctx, dbID); err != nil {
		fmt.Println(err)
		return
	}
	if _, err := c.Databases.Wait(ctx, dbID, qovery.StateDeployed); err != nil {
		fmt.Println(err)
	}
	// Output:
	// database QUEUED
	// database DEPLOYED (may be the state before the deploy)
	// database DEPLOYING
	// database DEPLOYED
}

// Wait for an action to end, whichever way, and tell how from the state.
func ExampleStateSettled() {
	srv, err := qoverytest.Start() // a fake Qovery API; qovery.NewFromEnv() for the real one
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()
	appID := srv.World.ApplicationID
	srv.FailNextAction(appID, "readiness probe failed")

	if _, err := c.Applications.Stop(ctx, appID); err != nil {
		fmt.Println(err)
		return
	}
	status, err := c.Applications.Wait(ctx, appID, qovery.StateSettled)
	if err != nil {
		fmt.Println(err)
		return
	}
	state := qovery.State(status.GetState())
	fmt.Println(state, state.Failed(), status.GetMessage())
	// Output: STOP_ERROR true readiness probe failed
}
