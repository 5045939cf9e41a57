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
//		fmt.Println(*b.Name)
//	}
//
//	status, err := c.Databases.Wait(ctx, databaseID, qovery.StateDeployed)
//
// # Services
//
// A method takes the context, then the path IDs as strings, then the
// request body and the query options when the operation has them. An ID that
// is not a UUID fails with an *ArgError before anything is sent. A method
// returns (*T, error), ([]T, error) for a list, or error; any status that is
// not 2xx is an *APIError, and a body that does not decode a *DecodeError.
// Its comment gives the operation's HTTP method, path, summary and
// operationId. The request and answer types are aliases of package gen's,
// so a program imports qovery alone. c.API() still reaches the generated
// client, with Result and Check to read its answers.
//
// A few operations take more than one call or a rule of their own, and
// their method is written by hand rather than generated: c.Databases.Clone,
// c.Applications.Clone and c.Environments.Clone take the new name and
// target as arguments and, with WithDeploy, deploy the clone and wait for
// it; c.Backups.Create refuses an empty name; c.Backups.Delete takes a 404
// after an attempt that may have deleted the backup as success. Beside
// them, c.Backups.Wait waits for a backup and c.Backups.Latest finds the
// newest completed one. They check their arguments as the generated
// methods do, with an *ArgError.
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
// or redirect policy): from an error body also where it is escaped (JSON
// "\/" or "\u0072", HTML character references), and from a message once
// it is decoded and cleaned. An error whose text showed the token is
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
