// Package tasks is six everyday jobs written as a user of the client
// would write them: answers read through their getters, IDs passed on as
// strings, no pointer dereferenced or printed.
package tasks

import (
	"context"
	"fmt"
	"io"

	"github.com/qoverykit/qovery-go/qovery"
)

// Tree prints the organizations, their projects and the projects'
// environments, one level of indent each.
func Tree(ctx context.Context, c *qovery.Client, w io.Writer) error {
	orgs, err := c.Organizations.List(ctx)
	if err != nil {
		return err
	}
	for _, org := range orgs {
		fmt.Fprintln(w, org.GetName())
		projects, err := c.Projects.List(ctx, org.GetId())
		if err != nil {
			return err
		}
		for _, p := range projects {
			fmt.Fprintln(w, " ", p.GetName())
			envs, err := c.Environments.List(ctx, p.GetId())
			if err != nil {
				return err
			}
			for _, e := range envs {
				fmt.Fprintln(w, "   ", e.GetName(), e.GetMode())
			}
		}
	}
	return nil
}

// DatabaseName is the database's name, and false when there is no such
// database.
func DatabaseName(ctx context.Context, c *qovery.Client, databaseID string) (string, bool, error) {
	db, err := c.Databases.Get(ctx, databaseID)
	switch {
	case qovery.IsNotFound(err):
		return "", false, nil
	case err != nil:
		return "", false, err
	}
	return db.Name, true, nil
}

// CloneAndWait clones a database into an environment, deploys the clone,
// waits until it runs and returns its ID and state.
func CloneAndWait(ctx context.Context, c *qovery.Client, databaseID, environmentID, name string) (string, string, error) {
	clone, err := c.Databases.Clone(ctx, databaseID, name, environmentID, qovery.WithDeploy())
	if err != nil {
		return "", "", fmt.Errorf("cloning %s: %w", databaseID, err)
	}
	st, err := c.Databases.GetStatus(ctx, clone.GetId())
	if err != nil {
		return "", "", err
	}
	return clone.GetId(), st.GetState(), nil
}

// Backup takes a backup, waits for it, prints every backup of the
// database, newest first, and the latest completed one.
func Backup(ctx context.Context, c *qovery.Client, w io.Writer, databaseID, name string) error {
	b, err := c.Backups.Create(ctx, databaseID, name, "taken by tasks.Backup")
	if err != nil {
		return err
	}
	if b, err = c.Backups.Wait(ctx, databaseID, b.GetId()); err != nil {
		return err
	}
	for each, err := range c.Backups.ListIter(ctx, databaseID, nil) {
		if err != nil {
			return err
		}
		fmt.Fprintln(w, each.GetName(), qovery.BackupPhaseOf(&each))
	}
	latest, err := c.Backups.Latest(ctx, databaseID)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "latest:", latest.GetName(), latest.GetId() == b.GetId())
	return nil
}

// DeployAt sets an environment variable of an application, deploys the
// application at a commit, waits until it runs and prints the state and the
// commit it runs.
func DeployAt(ctx context.Context, c *qovery.Client, w io.Writer, applicationID, key, value, commit string) error {
	v, err := c.ApplicationVariables.Create(ctx, applicationID, qovery.ApplicationEnvironmentVariableRequest{Key: key, Value: value})
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "variable", v.GetKey(), v.GetScope())
	if _, err := c.Applications.Deploy(ctx, applicationID, qovery.DeployApplicationRequest{GitCommitId: commit}); err != nil {
		return err
	}
	st, err := c.Applications.Wait(ctx, applicationID, qovery.StateDeployed)
	if err != nil {
		return err
	}
	app, err := c.Applications.Get(ctx, applicationID)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "state", st.GetState(), "at", app.GetGitRepository().GetDeployedCommitId())
	return nil
}

// Describe sets an application's description and minimum instances and
// prints them as the API reads them back.
func Describe(ctx context.Context, c *qovery.Client, w io.Writer, applicationID, description string, instances int) error {
	_, err := c.Applications.Update(ctx, applicationID, qovery.ApplicationEditRequest{
		Description:         qovery.Ptr(description),
		MinRunningInstances: qovery.Ptr(instances),
	})
	if err != nil {
		return err
	}
	app, err := c.Applications.Get(ctx, applicationID)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, app.Name, app.GetDescription(), app.GetMinRunningInstances())
	return nil
}
