package qoverytest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/qoverykit/qovery-go/gen"
	"github.com/qoverykit/qovery-go/qovery"
	"github.com/qoverykit/qovery-go/qovery/qoverytest"
)

// copyForReview is the code under test: a function of the user's own,
// written against package qovery, that clones a database next to a review
// environment and waits until the copy runs.
func copyForReview(ctx context.Context, c *qovery.Client, databaseID, environmentID string) (string, error) {
	clone, err := c.Databases.Clone(ctx, databaseID, "db-review", environmentID, qovery.WithDeploy())
	if err != nil {
		return "", fmt.Errorf("copying database %s: %w", databaseID, err)
	}
	return clone.GetId(), nil
}

// A test of copyForReview through a rate limit and an outage. In a test
// function, start the server with NewServer(t): it is closed when the test
// ends, and a request the API would refuse fails the test.
func Example() {
	srv, err := qoverytest.Start()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	srv.Fail("cloneDatabase", qoverytest.TooManyRequests(time.Second))
	srv.Fail("getDatabaseStatus", qoverytest.ServiceUnavailable())

	id, err := copyForReview(context.Background(), srv.Client(), srv.World.DatabaseID, srv.World.StagingEnvironmentID)
	if err != nil {
		fmt.Println(err)
		return
	}
	state, _ := srv.State(id)
	fmt.Println("the copy is", state)
	fmt.Println("clone requests:", srv.Calls("cloneDatabase"), "taking effect:", srv.Processed("cloneDatabase"))
	// Output:
	// the copy is DEPLOYED
	// clone requests: 2 taking effect: 1
}

// databaseName is code under test that must report an outage clearly.
func databaseName(ctx context.Context, c *qovery.Client, id string) (string, error) {
	db, err := qovery.Result[gen.DatabaseResponse](c.API().GetDatabaseWithResponse(ctx, uuid.MustParse(id)))
	var apiErr *qovery.APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode >= 500 {
		return "", fmt.Errorf("Qovery is down (%d), try later", apiErr.StatusCode)
	}
	if err != nil {
		return "", err
	}
	return db.Name, nil
}

// A fault for every call, then none.
func ExampleServer_Fail() {
	srv, err := qoverytest.Start()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	srv.Fail("getDatabase", qoverytest.ServerError(http.StatusServiceUnavailable).Always())
	_, err = databaseName(ctx, c, srv.World.DatabaseID)
	fmt.Println(err)
	fmt.Println("attempts:", srv.Calls("getDatabase"))

	srv.ClearFaults()
	name, err := databaseName(ctx, c, srv.World.DatabaseID)
	fmt.Println(name, err)
	// Output:
	// Qovery is down (503), try later
	// attempts: 4
	// db <nil>
}

// backupAll is code under test that must back each database up once.
func backupAll(ctx context.Context, c *qovery.Client, databaseIDs ...string) error {
	for _, id := range databaseIDs {
		if _, err := c.Backups.Create(ctx, id, "before-migration", "taken before the schema migration"); err != nil {
			return err
		}
	}
	return nil
}

// Checking what the code sent: exactly one POST a database, even when the
// first answer is lost.
func ExampleServer_Requests() {
	srv, err := qoverytest.Start()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	other := srv.AddDatabase(srv.World.EnvironmentID, "analytics")
	srv.Fail("addBackupDatabase", qoverytest.ServerError(http.StatusBadGateway).AfterProcessing())

	err = backupAll(context.Background(), srv.Client(), srv.World.DatabaseID, other)
	fmt.Println("error:", err != nil)
	for _, r := range srv.Requests("addBackupDatabase") {
		fmt.Println(r.Method, r.Status, r.Fault)
	}
	fmt.Println("backups taken:", srv.Processed("addBackupDatabase"))
	// Output:
	// error: true
	// POST 502 status 502
	// backups taken: 1
}

// Seeding a variable and reading it back the way the code under test does.
func ExampleServer_AddVariable() {
	srv, err := qoverytest.Start()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	srv.AddVariable(srv.World.ProjectID, "REGION", "eu-west-3")
	srv.AddVariable(srv.World.ApplicationID, "PORT", "8080")

	vars, err := qovery.Result[gen.ApplicationEnvironmentVariableResponseList](
		srv.Client().API().ListApplicationEnvironmentVariableWithResponse(context.Background(), uuid.MustParse(srv.World.ApplicationID)))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, v := range vars.Results {
		fmt.Println(v.GetKey(), v.GetValue(), v.GetScope())
	}
	// Output:
	// REGION eu-west-3 PROJECT
	// PORT 8080 APPLICATION
}
