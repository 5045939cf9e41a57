package qovery_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/google/uuid"

	"github.com/qoverykit/qovery-go/gen"
	"github.com/qoverykit/qovery-go/qovery"
	"github.com/qoverykit/qovery-go/qovery/qoverytest"
)

func ExampleNew() {
	c, err := qovery.New("my-api-token",
		qovery.WithUserAgent("deploy-bot/1.4"),
		qovery.WithHTTPClient(&http.Client{Timeout: time.Minute}),
		qovery.WithRetryPolicy(qovery.RetryPolicy{MaxAttempts: 5}),
		qovery.WithLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))),
	)
	if err != nil {
		log.Fatal(err)
	}
	// Printing a client never shows the token.
	fmt.Println(c)

	_, err = qovery.New("")
	fmt.Println(err)
	_, err = qovery.New("my-api-token", qovery.WithBaseURL("http://qovery.internal.example"))
	fmt.Println(err)
	// Output:
	// qovery.Client{BaseURL: https://api.qovery.com, Authorization: Token [redacted]}
	// qovery: empty API token
	// qovery: refusing plain http:// base URL on non-loopback host "qovery.internal.example" (use https, or WithInsecureHTTP)
}

func ExampleNewFromEnv() {
	// QOVERY_API_TOKEN holds the token; QOVERY_API_URL, when set, the API
	// address.
	c, err := qovery.NewFromEnv(qovery.WithUserAgent("nightly-cleanup"))
	if err != nil {
		log.Fatal(err)
	}
	_ = c
}

func ExampleWithBearer() {
	// A JWT from a console or OIDC login is sent as "Bearer <jwt>".
	c, err := qovery.New("eyJhbGciOi...", qovery.WithBearer())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%+v\n", c)
	// Output: qovery.Client{BaseURL: https://api.qovery.com, Authorization: Bearer [redacted]}
}

func ExampleResult() {
	srv, err := qoverytest.Start() // a fake Qovery API; qovery.NewFromEnv() for the real one
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	// Any operation of the API, through the generated client: Result gives
	// the typed body of a success, or an error.
	db, err := qovery.Result[gen.DatabaseResponse](c.API().GetDatabaseWithResponse(ctx, uuid.MustParse(srv.World.DatabaseID)))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(db.Name, db.Type, db.Version)
	// Output: db POSTGRESQL 16
}

func ExampleCheck() {
	srv, err := qoverytest.Start() // a fake Qovery API; qovery.NewFromEnv() for the real one
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	// Operations without a useful body: only the error matters.
	err = qovery.Check(c.API().StopContainerWithResponse(ctx, uuid.MustParse(srv.World.ContainerID)))
	fmt.Println(err)
	// Output: <nil>
}

func ExampleIsNotFound() {
	srv, err := qoverytest.Start() // a fake Qovery API; qovery.NewFromEnv() for the real one
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	missing := uuid.MustParse("0f8fad5b-d9cb-469f-a165-70867728950e")
	_, err = qovery.Result[gen.DatabaseResponse](c.API().GetDatabaseWithResponse(ctx, missing))
	switch {
	case qovery.IsNotFound(err):
		fmt.Println("no such database")
	case err != nil:
		fmt.Println(err)
		return
	}
	// Output: no such database
}

func ExampleAPIError() {
	srv, err := qoverytest.Start() // a fake Qovery API; qovery.NewFromEnv() for the real one
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	// The organization already has a project named "shop".
	_, err = c.Projects.Create(ctx, srv.World.OrganizationID, qovery.ProjectRequest{Name: "shop"})
	var apiErr *qovery.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Method, apiErr.Message)
		fmt.Println(errors.Is(err, qovery.ErrConflict))
	}
	// Output:
	// 409 POST a project named "shop" already exists
	// true
}

func ExampleWithIdempotent() {
	srv, err := qoverytest.Start() // a fake Qovery API; qovery.NewFromEnv() for the real one
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := srv.Client()
	app := uuid.MustParse(srv.World.ApplicationID)
	deploy := gen.DeployApplicationRequest{GitCommitId: "0123456789abcdef0123456789abcdef01234567"}

	// A POST that may have reached the server (here a 503) is sent once:
	// the caller sees the error.
	srv.Fail("deployApplication", qoverytest.ServiceUnavailable())
	_, err = qovery.Result[gen.Status](c.API().DeployApplicationWithResponse(context.Background(), app, deploy))
	var apiErr *qovery.APIError
	if errors.As(err, &apiErr) {
		fmt.Println("plain:", apiErr.StatusCode, srv.Calls("deployApplication"), "request(s)")
	}

	// Deploying the same commit twice does no harm: say so, and the POST is
	// retried like a GET.
	srv.ResetRecord()
	srv.Fail("deployApplication", qoverytest.ServiceUnavailable())
	ctx := qovery.WithIdempotent(context.Background())
	_, err = qovery.Result[gen.Status](c.API().DeployApplicationWithResponse(ctx, app, deploy))
	fmt.Println("idempotent:", err, srv.Calls("deployApplication"), "request(s)")
	// Output:
	// plain: 503 1 request(s)
	// idempotent: <nil> 2 request(s)
}

func ExampleRetryPolicy() {
	p := qovery.DefaultRetryPolicy()
	fmt.Println(p.MaxAttempts, p.BaseDelay, p.MaxDelay, p.MaxRetryAfter, p.BudgetRatio)
	// Output: 4 500ms 15s 1m0s 0.2
}

func ExampleClient_Backups() {
	srv, err := qoverytest.Start() // a fake Qovery API; qovery.NewFromEnv() for the real one
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := srv.Client()
	databaseID := srv.AddDatabase(srv.World.EnvironmentID, "analytics")
	srv.AddBackups(databaseID, 45) // three pages of 20

	n := 0
	for b, err := range c.Backups.ListIter(context.Background(), databaseID, nil) {
		if err != nil {
			fmt.Println(err)
			return
		}
		if n == 0 {
			fmt.Println("newest:", b.GetName())
		}
		n++
	}
	fmt.Println(n, "backups")
	// Output:
	// newest: backup-045
	// 45 backups
}

func ExampleDatabasesService_Wait() {
	srv, err := qoverytest.Start() // a fake Qovery API; qovery.NewFromEnv() for the real one
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	if _, err := c.Databases.Stop(ctx, srv.World.DatabaseID); err != nil {
		fmt.Println(err)
		return
	}
	// The wait is for this stop: a status read that may still show the
	// state from before it does not end the wait.
	status, err := c.Databases.Wait(ctx, srv.World.DatabaseID, qovery.StateStopped)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(status.GetState())
	// Output: STOPPED
}

func ExampleApplicationsService_Wait_failure() {
	srv, err := qoverytest.Start() // a fake Qovery API; qovery.NewFromEnv() for the real one
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()
	srv.FailNextAction(srv.World.ApplicationID, "readiness probe failed")

	if _, err := c.Applications.Stop(ctx, srv.World.ApplicationID); err != nil {
		fmt.Println(err)
		return
	}
	_, err = c.Applications.Wait(ctx, srv.World.ApplicationID, qovery.StateStopped)
	var failed *qovery.StateError
	if errors.As(err, &failed) {
		fmt.Println(failed.State, "-", failed.Message)
	}
	// Output: STOP_ERROR - readiness probe failed
}
