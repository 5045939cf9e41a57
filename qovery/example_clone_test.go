package qovery_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/qoverykit/qovery-go/qovery"
	"github.com/qoverykit/qovery-go/qovery/qoverytest"
)

func ExampleDatabasesService_Clone() {
	srv, err := qoverytest.Start() // a fake Qovery API; qovery.NewFromEnv() for the real one
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()
	databaseID, environmentID := srv.World.DatabaseID, srv.World.EnvironmentID

	// Copy the database's configuration into a new database of the same
	// environment, deploy it and wait until it runs.
	db, err := c.Databases.Clone(ctx, databaseID, "db-staging", environmentID, qovery.WithDeploy())
	var failed *qovery.StateError
	switch {
	case errors.As(err, &failed):
		// The clone exists but did not deploy: db is set, err says why.
		fmt.Println("clone", db.Id, "failed:", failed.State, failed.Message)
		return
	case err != nil:
		fmt.Println(err)
		return
	}
	fmt.Println(db.Name, db.Type, "deployed")
	// Output: db-staging POSTGRESQL deployed
}

func ExampleDatabasesService_Clone_errors() {
	srv, err := qoverytest.Start() // a fake Qovery API; qovery.NewFromEnv() for the real one
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	// Arguments are checked before anything is sent.
	_, err = c.Databases.Clone(ctx, "db", "copy", srv.World.EnvironmentID)
	fmt.Println(err)

	// A source that does not exist.
	_, err = c.Databases.Clone(ctx, "0b6c7a3e-93a4-4a51-9d4e-3f1c2a0b9d77", "copy", srv.World.EnvironmentID)
	fmt.Println("not found:", errors.Is(err, qovery.ErrNotFound))

	// A name already used in the target environment is a conflict, as is
	// an operation already running on the source. Neither is retried.
	_, err = c.Databases.Clone(ctx, srv.World.DatabaseID, "db", srv.World.EnvironmentID)
	fmt.Println("conflict:", errors.Is(err, qovery.ErrConflict))
	// Output:
	// qovery: databaseID "db" is not a UUID
	// not found: true
	// conflict: true
}

func ExampleApplicationsService_Clone() {
	srv, err := qoverytest.Start() // a fake Qovery API; qovery.NewFromEnv() for the real one
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	// Clone the application into the same environment and deploy the clone
	// at a given commit. Without WithGitCommit the commit the source has
	// deployed is used.
	app, err := c.Applications.Clone(ctx, srv.World.ApplicationID, "web-canary", srv.World.EnvironmentID,
		qovery.WithDeploy(), qovery.WithGitCommit("4f2a9c1"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(app.Name, "deployed")
	// Output: web-canary deployed
}

func ExampleEnvironmentsService_Clone() {
	srv, err := qoverytest.Start() // a fake Qovery API; qovery.NewFromEnv() for the real one
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	// A preview environment with the same services as production. The
	// cluster can be chosen too, with WithCluster.
	preview, err := c.Environments.Clone(ctx, srv.World.EnvironmentID, "preview-1234",
		qovery.WithMode("PREVIEW"), qovery.WithDeploy())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(preview.GetName(), preview.GetMode())
	// Output: preview-1234 PREVIEW
}
