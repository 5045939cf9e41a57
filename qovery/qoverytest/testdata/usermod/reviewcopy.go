// Package reviewcopy is a user's code, kept outside the client's module: it
// copies a database for a review environment. Its test shows how a program
// that uses the client tests itself with qoverytest.
package reviewcopy

import (
	"context"
	"errors"
	"fmt"

	"github.com/qoverykit/qovery-go/qovery"
)

// Copy clones the database databaseID into environmentID under name,
// deploys the clone and waits until it runs, returning its ID. A name that
// is taken gives an error matching qovery.ErrConflict.
func Copy(ctx context.Context, c *qovery.Client, databaseID, environmentID, name string) (string, error) {
	clone, err := c.Databases.Clone(ctx, databaseID, name, environmentID, qovery.WithDeploy())
	var failed *qovery.StateError
	switch {
	case errors.As(err, &failed):
		return clone.Id.String(), fmt.Errorf("the copy %s did not start: %w", name, err)
	case err != nil:
		return "", fmt.Errorf("copying database %s: %w", databaseID, err)
	}
	return clone.Id.String(), nil
}
