// Package qovery is a client for the Qovery API.
//
// It wraps the generated client of package gen, which has one method per
// operation, with what a program needs around it: authentication, retries
// that never duplicate a write, typed errors, iterators over paginated lists
// and waiters for deployments.
//
//	c, err := qovery.NewFromEnv() // QOVERY_API_TOKEN, and QOVERY_API_URL when set
//	if err != nil {
//		return err
//	}
//	db, err := qovery.Result[gen.DatabaseResponse](c.API().GetDatabaseWithResponse(ctx, id))
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
//		fmt.Println(*b.Name)
//	}
//
//	status, err := c.Databases.Wait(ctx, databaseID, qovery.StateDeployed)
//
// # Authentication
//
// The token is sent as "Authorization: Token <token>", or as a Bearer token
// with WithBearer, and only to the API's own scheme, host and port: a
// request to any other origin, a redirect included, goes out without it.
// The token never appears in errors, logs or fmt output of a Client.
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
