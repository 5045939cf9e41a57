package qovery_test

import (
	"context"
	"fmt"
	"log"

	"github.com/qoverykit/qovery-go/qovery"
	"github.com/qoverykit/qovery-go/qovery/qoverytest"
)

// List the organizations, their projects and the projects' environments.
func ExampleOrganizationsService_List() {
	srv, err := qoverytest.Start() // a fake Qovery API; qovery.NewFromEnv() for the real one
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	orgs, err := c.Organizations.List(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, org := range orgs {
		fmt.Println(org.GetName())
		projects, err := c.Projects.List(ctx, org.GetId())
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, p := range projects {
			fmt.Println(" ", p.GetName())
			envs, err := c.Environments.List(ctx, p.GetId())
			if err != nil {
				fmt.Println(err)
				return
			}
			for _, e := range envs {
				fmt.Println("   ", e.GetName())
			}
		}
	}
	// Output:
	// acme
	//   shop
	//     production
	//     staging
}

// Get a database, and tell "not found" from other failures.
func ExampleDatabasesService_Get() {
	srv, err := qoverytest.Start() // a fake Qovery API; qovery.NewFromEnv() for the real one
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	for _, id := range []string{srv.World.DatabaseID, "0b6c7a3e-93a4-4a51-9d4e-3f1c2a0b9d77", "db"} {
		db, err := c.Databases.Get(ctx, id)
		switch {
		case qovery.IsNotFound(err):
			fmt.Println("no such database")
		case err != nil:
			fmt.Println(err)
		default:
			fmt.Println(db.Name, db.Type)
		}
	}
	// Output:
	// db POSTGRESQL
	// no such database
	// qovery: databaseID "db" is not a UUID
}

// Take a backup, wait for it, then list every backup and get the latest.
func ExampleBackupsService_ListIter() {
	srv, err := qoverytest.Start() // a fake Qovery API; qovery.NewFromEnv() for the real one
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()
	databaseID := srv.AddDatabase(srv.World.EnvironmentID, "analytics") // a database with no backup yet

	b, err := c.Backups.Create(ctx, databaseID, "nightly", "before the upgrade")
	if err == nil {
		b, err = c.Backups.Wait(ctx, databaseID, b.GetId())
	}
	if err != nil {
		fmt.Println(err)
		return
	}
	for b, err := range c.Backups.ListIter(ctx, databaseID, nil) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(b.GetName())
	}
	latest, err := c.Backups.Latest(ctx, databaseID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("latest:", latest.GetName(), latest.GetId() == b.GetId())
	// Output:
	// nightly
	// latest: nightly true
}

// Add an environment variable to an application, deploy it at a commit and
// wait until it runs. The fake lags as the live API does, answering the
// state from before the deploy for two reads: the wait is for the deploy.
func ExampleApplicationsService_Deploy() {
	srv, err := qoverytest.Start(qoverytest.WithLiveBehaviours()) // a fake Qovery API; qovery.NewFromEnv() for the real one
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()
	appID := srv.World.ApplicationID

	_, err = c.ApplicationVariables.Create(ctx, appID, qovery.ApplicationEnvironmentVariableRequest{Key: "LOG_LEVEL", Value: "debug"})
	if err != nil {
		fmt.Println(err)
		return
	}
	commit := "a3f1c9e0b7d2c4e6f8a0b1c2d3e4f5a6b7c8d9e0"
	if _, err := c.Applications.Deploy(ctx, appID, qovery.DeployApplicationRequest{GitCommitId: commit}); err != nil {
		fmt.Println(err)
		return
	}
	status, err := c.Applications.Wait(ctx, appID, qovery.StateDeployed)
	if err != nil {
		fmt.Println(err)
		return
	}
	app, err := c.Applications.Get(ctx, appID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(status.GetState(), app.GetGitRepository().GetDeployedCommitId() == commit)
	// Output: DEPLOYED true
}

// Change an application's settings and read them back.
func ExampleApplicationsService_Update() {
	srv, err := qoverytest.Start() // a fake Qovery API; qovery.NewFromEnv() for the real one
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	_, err = c.Applications.Update(ctx, srv.World.ApplicationID, qovery.ApplicationEditRequest{
		Description:         qovery.Ptr("storefront"),
		MinRunningInstances: qovery.Ptr(2),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	app, err := c.Applications.Get(ctx, srv.World.ApplicationID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(app.Name, app.GetDescription(), app.GetMinRunningInstances())
	// Output: web storefront 2
}

// Clone a database into another environment and wait until the clone runs.
func ExampleDatabasesService_Clone_anotherEnvironment() {
	srv, err := qoverytest.Start() // a fake Qovery API; qovery.NewFromEnv() for the real one
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	staging, err := c.Environments.Get(ctx, srv.World.StagingEnvironmentID)
	if err != nil {
		fmt.Println(err)
		return
	}
	clone, err := c.Databases.Clone(ctx, srv.World.DatabaseID, "db", staging.GetId(), qovery.WithDeploy())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(clone.Name, "deployed in", staging.GetName())
	// Output: db deployed in staging
}
