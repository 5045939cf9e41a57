// Package qovery is a client for the Qovery API.
//
// Every operation of the API is one method of a service of the Client,
// generated from the API's description: c.Organizations, c.Projects,
// c.Environments, c.Applications, c.Databases, c.Backups,
// c.ApplicationVariables and so on. Around them the package gives what a
// program needs: authentication, retries that never duplicate a write, typed
// errors, iterators over paginated lists and waiters for deployments.
//
//	c, err := qovery.NewFromEnv() // QOVERY_API_TOKEN, and QOVERY_API_URL when set
//	if err != nil {
//		return err
//	}
//	db, err := c.Databases.Get(ctx, databaseID)
//	switch {
//	case qovery.IsNotFound(err):
//		// no such database
//	case err != nil:
//		return err
//	}
//	fmt.Println(db.Name)
//
//	for b, err := range c.Backups.ListIter(ctx, databaseID, nil) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(b.GetName(), b.GetStatus().GetState())
//	}
//
//	status, err := c.Databases.Wait(ctx, databaseID, qovery.StateDeployed)
//	fmt.Println(status.GetState())
//
// # Reading answers
//
// Most fields of an answer are optional in the API's description, so they
// are pointers: printed, a pointer shows an address, and dereferenced when
// absent it panics. Every optional field has a getter that gives its value,
// or the zero value when the field or the answer is nil: b.GetName() is ""
// for a backup without a name, b.GetStatus().GetState() is "" for one
// without a status. An ID reads back as the string the services take, ""
// when absent, so it goes straight into the next call:
//
//	projects, err := c.Projects.List(ctx, org.GetId())
//
// An enum reads as its type (db.GetAccessibility() is a
// DatabaseAccessibilityEnum), a date as a time.Time. The types are aliases
// of package gen's, which declares the fields and getters: `go doc
// gen.Status` lists them (`go doc qovery.Status` shows the alias alone).
//
// # Services
//
// A method takes the context, then the path IDs as strings, then the
// request body and the query options when the operation has them. An ID that
// is not a UUID, or is the nil UUID (00000000-0000-0000-0000-000000000000),
// which no resource of the API has, fails with an *ArgError before
// anything is sent. A method
// returns (*T, error), ([]T, error) for a list, or error; any status that is
// not 2xx is an *APIError, and a body that does not decode a *DecodeError.
// Its comment gives the operation's HTTP method, path, summary and
// operationId: `go doc -all qovery | grep -B4 'operationId: getDatabase$'`
// prints the method of an operation, and `go doc qovery.ApplicationsService.Create` prints one
// method's whole signature, which `go doc qovery.ApplicationsService` cuts
// short. The runnable examples are on pkg.go.dev, or in a checkout with
// `go test -run Example -v ./qovery`; go doc does not show them. The
// request and answer types are aliases of package gen's, so a program
// imports qovery alone. c.API() still reaches the generated client, with
// Result and Check to read its answers.
//
// A few operations take more than one call or a rule of their own, and
// their method is written by hand rather than generated: c.Databases.Clone,
// c.Applications.Clone and c.Environments.Clone take the new name and
// target as arguments and, with WithDeploy, deploy the clone and wait for
// it; c.Backups.Create refuses an empty name. Beside them, c.Backups.Wait
// waits for a backup and c.Backups.Latest finds the newest completed one.
// They check their arguments as the generated methods do, with an
// *ArgError.
//
// Every generated operation method takes CallOptions last, which change
// that call alone: CallTimeout, CallRetryPolicy, CallNoRetry, CallHeader,
// and CallResponse to read the answer's status, request ID and rate
// limit.
//
// # Operations this package does not list
//
// The live API has more operations than the documents this package is
// built from. c.Do sends any request, with the guarantees of a service
// method, since both take the same path (see Client.send in the source):
//
//	var stage struct{ Name string `json:"name"` }
//	err := c.Do(ctx, "GET", "/deploymentStage/"+qovery.PathEscape(id), nil, &stage)
//
// # Waits
//
// c.Applications.Wait, c.Containers.Wait, c.Databases.Wait,
// c.Environments.Wait and c.Clusters.Wait read a status until it reaches a
// target state, a failure state, or WaitPolicy.Timeout (4 hours by
// default, as long as a cluster's creation may take). WaitPolicy.OnStatus
// hears each state on the way, for a CI job's log.
//
// States are classified rather than listed (see State): a state ending in
// _ERROR, or CANCELED, is a failure; DEPLOYED, STOPPED, DELETED, RESTARTED
// and READY are final successes; any other, a state new to this package
// included, is in progress, and the wait goes on through it. StateSettled
// waits for any final state and returns its status, a failure included.
//
// A Client remembers the actions the API accepted from it: the Deploy,
// Stop, Restart and Delete of applications, containers, databases and
// environments (and Environments.DeployAllApplications and
// DeployAllServices), the Deploy, Stop, Upgrade and Delete of clusters, and
// the deploy of a Clone with WithDeploy. A Wait after an action of this
// Client waits for that action. For a few seconds after it accepts an
// action, the API may answer a status read with the state from before it,
// so a final state read counts only with evidence that it is the action's
// outcome:
//
//   - another state was read since the action: the resource was seen to
//     move;
//   - the status's last_deployment_date is later than the one in the
//     action's answer;
//   - it is the failure state the action's own answer showed;
//   - WaitPolicy.StaleGrace (30 seconds) has passed since the action was
//     accepted, which is how a wait ends after an action that changed
//     nothing.
//
// The action's answer stands for the wait's first read: a failure state in
// it ends the wait at once, and the first status read comes
// WaitPolicy.MinInterval after it. A wait that reaches its target forgets
// the action, so that the next one reads the state as it is. An action
// sent another way (through c.API(), another client, the console) is not
// known: a Wait after it reads the state as it is, and may return on the
// state from before it.
//
// Deleted means deleted: after a Delete by this Client, the API may answer
// 403 or 400 for the resource rather than 404, and any of the three ends a
// wait for StateDeleted (or StateSettled) with success and a nil status.
// Without a recorded delete, 404 alone does, and 403 is an *APIError
// matching ErrForbidden.
//
// An action on an environment that is busy deploying is refused with 409;
// c.Environments.WhenIdle waits for the environment to settle and runs the
// action again, when the refused request surely did nothing.
//
// # Errors
//
// The errors a call can return, and how to tell them (their types are
// declared together in errors.go). A network failure that outlasts the
// retries wraps the last attempt's net/http error ("gave up after 4
// attempts"), which errors.As and errors.Is reach.
//
//   - *APIError: the API answered with a status of 400 or more. errors.As
//     gives the status, message, request ID, body and the number of
//     attempts; errors.Is matches it against ErrUnauthorized (401),
//     ErrForbidden (403), ErrNotFound (404), ErrConflict (409) and
//     ErrRateLimited (429), as IsNotFound and the other helpers do. On a 429
//     or 503 whose wait was too long to sleep, RetryAt says when to come
//     back; a Wait method told to come back after its end fails at once
//     with an error wrapping that *APIError. A DELETE is the exception: a
//     404 to its retry, after an attempt that may have taken effect, means
//     that attempt deleted the object, and the call succeeds (see
//     RetryPolicy); a 404 to the first attempt, or after a 429, still
//     matches ErrNotFound.
//   - *PacingError: with WithPacing, a request whose turn under the rate
//     limit came after its context's deadline or further off than
//     RetryPolicy.MaxRetryAfter, and which was not sent. It matches
//     ErrRateLimited, as IsRateLimited does, and RetryAt says when the turn
//     would come.
//   - *DecodeError: an answer came but could not be read or decoded: a body
//     cut off, JSON that does not fit the operation, an empty or null
//     success body, a success answer without the id its schema requires or
//     with the nil UUID as id ("the answer has no id"; DatabaseResponse and
//     ApplicationResponse require one), or a success body larger than
//     WithMaxResponseBody, which also matches ErrResponseTooLarge. It names
//     the operation and, when known, the status.
//   - *ArgError: an argument refused before anything was sent: an ID that
//     is not a UUID or is the nil UUID, an empty state to wait for, a token
//     or base URL New cannot use.
//   - *PageError: a paginated list whose pages contradict each other, so
//     that walking it would never end.
//   - *StateError: a Wait method saw the resource reach a failure state
//     (State.Failed: a state ending in _ERROR, or CANCELED, read without
//     regard to case, as the target is), unless the target was
//     StateSettled. ErrWaitTimeout: WaitPolicy.Timeout ran out first; the
//     error names the states seen.
//   - *BackupError: Backups.Wait saw the backup fail. ErrNoBackup, which also
//     matches ErrNotFound: Backups.Latest found no completed backup.
//   - Errors met only through what they wrap or match, with errors.Is or
//     errors.As on the inner error: a "not found" the package finds itself
//     (a backup gone from its list) matches ErrNotFound; a deploy that fails
//     after a clone wraps the deploy's *APIError; an attempt cut by
//     RetryPolicy.AttemptTimeout is a net.Error whose Timeout is true; an
//     error whose text showed the token is replaced by one without it, which
//     errors.Is still matches against what the original matched
//     (context.Canceled, syscall.ECONNRESET, ...) and errors.As no longer
//     reaches.
//   - A call stopped by its context: errors.Is(err, ctx.Err()) holds.
//
// # Authentication
//
// The token is sent as "Authorization: Token <token>", or as a Bearer token
// with WithBearer, and only to the API's own scheme, host and port: a
// request to any other origin, a redirect included, goes out without it.
// The token never appears in errors, logs or fmt output of a Client.
//
// # Secrets
//
// New refuses a token holding a control character, which no request could
// carry. The token is scrubbed from every error the client returns,
// whatever produced it (the API, net/http, the caller's own RoundTripper
// or redirect policy), and from response headers: from an error body also
// where it is escaped, in any mix of JSON escapes ("\/", "\u0072") and
// HTML character references, whether or not the body decodes as a whole,
// and where the 1 MiB of the body kept would cut it short; and from a
// message once it is decoded and cleaned. Nothing a Client holds prints
// the token, whatever the fmt verb. An error whose text showed the token is
// replaced by one with the token removed; errors.Is still matches what the
// original matched, but errors.As no longer reaches it. A base URL shows up
// in an error with its user information replaced and without its query or
// fragment.
//
// # Retries
//
// One transport layer under the generated client retries what is safe to
// retry; see RetryPolicy for the rules. Every error status becomes an
// *APIError, which errors.Is matches against ErrNotFound, ErrUnauthorized,
// ErrForbidden, ErrConflict and ErrRateLimited.
//
// # Security choices
//
// A plain http:// base URL is accepted only on a loopback host, unless
// WithInsecureHTTP is given. TLS certificate verification is never turned
// off: New refuses an HTTP client whose *http.Transport skips it, rather
// than silently overriding the setting.
package qovery
