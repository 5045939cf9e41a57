// Package qoverytest is a fake Qovery API for testing code that uses
// package qovery, in the spirit of net/http/httptest: a real HTTP server on
// the loopback interface, started per test, with state.
//
//	func TestNightlyCopy(t *testing.T) {
//		srv := qoverytest.NewServer(t) // closed when the test ends
//		srv.Fail("cloneDatabase", qoverytest.TooManyRequests(time.Second))
//
//		id, err := nightlyCopy(ctx, srv.Client(), srv.World.DatabaseID)
//		if err != nil {
//			t.Fatal(err)
//		}
//		if state, _ := srv.State(id); state != "DEPLOYED" {
//			t.Errorf("the copy is %s", state)
//		}
//		if n := srv.Processed("cloneDatabase"); n != 1 {
//			t.Errorf("cloned %d times", n)
//		}
//	}
//
// # The world
//
// A server starts with an organization, a project, a "production"
// environment holding an application, a container and a PostgreSQL database
// with three backups, and an empty "staging" environment; World has their
// IDs. The Add methods add more in one call each; WithEmptyWorld starts
// with nothing.
//
// # Behaviour
//
// The server is built from the same OpenAPI description as package qovery
// and answers every one of its operations. Organizations, projects,
// environments, applications, containers, databases, backups, environment
// variables and secrets are kept in memory: created objects get fresh IDs,
// gets and lists show them, edits change them, deletes remove them (a
// deleted object answers 404), and names are unique among siblings (409).
// Deploy, stop, restart, clone and delete move the object's state one step
// each time its status is read (QUEUED, DEPLOYING, DEPLOYED; STOP_QUEUED,
// STOPPING, STOPPED; ...; see WithSteps), so waits finish in a few polls
// and tests need no sleeps. A stop or delete while an action runs answers
// 409. An environment reads DEPLOYED (or STOPPED, ...) only once all its
// services do, and a failed service shows in its status. A deploy at a
// commit is what the application's deployed_commit_id reads afterwards.
// Backups go QUEUED, DEPLOYING, DEPLOYED. Custom domains, tags, webhooks,
// API tokens, deployment rules and restrictions, container registries,
// credentials, clusters, credit cards, invitations and members are kept as
// lists under their parent too; the advanced settings and network of
// applications (and containers' network), clusters' advanced settings, an
// organization's billing info, a database's master credentials and an
// environment's deployment rule read back what their edit stored.
// FailNextAction, FailNextActionIn and SetState script failures. Every
// other operation answers a valid example body whose values look like the
// API's (commit IDs, hosts, regions, emails), never a bare "string".
//
// # The live API
//
// The live API is less tidy than its documents, and options make the server
// behave as it does: WithStaleStatus (the status lags behind an action for
// a few reads), WithDeletedStatus (a deleted object answers 403 or 400, not
// 404), WithBusyConflict (409 while the environment deploys), WithNewState
// and WithFailureState (states the documents do not list), or all of them
// at once with WithLiveBehaviours, so that code meets in a test what the
// live API is known to do.
//
// # Strictness
//
// Each request is checked against the description: path, query and body,
// undeclared query parameters and body fields included. One that the API
// would refuse gets the API's 400, and fails the test with the operation,
// each field and why:
//
//	qoverytest: the API would refuse this request: addBackupDatabase (POST /database/{databaseId}/backup): 400
//	    body.message: property "message" is missing
//
// A mistake in the test itself stops it (t.Fatal): an operationId the spec
// does not have, given to Fail, Calls, Processed, Requests or
// FailNextAction, names the operationIds nearest to it; a route not given
// to Handle names those that were; an ID given to
// FailNextAction or an Add method that names no stored object says so.
//
//	qoverytest: the API has no operation "getDatabse" (operations are named by their operationId, as in the spec); did you mean getDatabase?
//
// # Faults and records
//
// Fail makes one call, n calls or every call of an operation fail with a
// 429 and Retry-After, a 5xx, a connection reset, a slow answer or a
// truncated body. Calls, Processed and Requests tell what the code sent:
// "exactly one POST" is srv.Calls("cloneDatabase") == 1.
//
// # Operations the description lacks
//
// The live API has operations the description does not list, which code
// reaches with qovery's Client.Do. A request for one answers the API's 404 (405
// for another method on a path the description has), and fails the test
// with the call that would serve it:
//
//	qoverytest: a request outside the API description: POST /deploymentStage/<id>/service/<id>: 404
//	    path: no operation of the API description matches POST /deploymentStage/<id>/service/<id>; serve it in a test with srv.Handle("POST", "/deploymentStage/{deploymentStageId}/service/{serviceId}", handler)
//
// Handle serves it with a handler of the test's, in the same server: a
// pattern in http.ServeMux syntax, relative to the base path, whose
// wildcards the handler reads with r.PathValue. The route checks the token
// as every operation does, takes the faults given to Fail under its name
// "METHOD pattern" (or "*"), and shows in Calls, Processed and Requests
// under that name:
//
//	const move = "POST /deploymentStage/{id}/service/{serviceId}"
//	srv.Handle("POST", "/deploymentStage/{id}/service/{serviceId}", func(w http.ResponseWriter, r *http.Request) {
//		w.WriteHeader(http.StatusNoContent)
//	})
//	srv.Fail(move, qoverytest.ServiceUnavailable())
//	// ... the code under test retries the move ...
//	if n := srv.Calls(move); n != 2 {
//		t.Errorf("%d calls", n)
//	}
//
// Neither the request nor the handler's answer is checked, since the
// description says nothing of them. Handle for an operation the
// description has stops the test: the server serves it already.
//
// # Speed
//
// Client returns a *qovery.Client that polls every few milliseconds and
// retries after milliseconds even when a fault announces a Retry-After of
// seconds, so a test of a clone-and-wait with a 429 and a 503 on the way
// takes a few milliseconds.
package qoverytest
