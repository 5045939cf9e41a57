package qovery_test

import (
	"context"
	"fmt"
	"log"

	"github.com/qoverykit/qovery-go/qovery"
	"github.com/qoverykit/qovery-go/qovery/qoverytest"
)

// Read an answer through its getters: an optional field printed as itself
// rather than as a pointer, an ID passed on as a string, and nothing to
// check for nil first, not even the answer.
func Example_getters() {
	srv, err := qoverytest.Start() // a fake Qovery API; qovery.NewFromEnv() for the real one
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	st, err := c.Databases.GetStatus(ctx, srv.World.DatabaseID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("state %v\n", st.GetState()) // st.State would print an address

	orgs, err := c.Organizations.List(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	projects, err := c.Projects.List(ctx, orgs[0].GetId())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(projects[0].GetName())

	var none *qovery.Backup // an answer that never came
	fmt.Printf("%q %q %q\n", none.GetName(), none.GetId(), none.GetStatus().GetState())
	// Output:
	// state DEPLOYED
	// shop
	// "" "" ""
}
