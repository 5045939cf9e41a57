package qovery

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/qoverykit/qovery-go/gen"
)

// CloneOption configures Databases.Clone, Applications.Clone and
// Environments.Clone. An option that does not apply to the method it is
// given to is an *ArgError, returned before anything is sent.
type CloneOption func(*cloneConfig)

type cloneConfig struct {
	deploy    bool
	commit    *string
	clusterID *string
	mode      *string
}

// WithDeploy deploys the clone once it has been created and waits, as the
// client's WaitPolicy says, until it is DEPLOYED. A deploy the API refuses
// with 409 because the target environment is busy (the clone itself may
// still be in the making) is sent again once the environment has settled,
// as Environments.WhenIdle does. The deploy is recorded as
// the Deploy methods record theirs, so the wait is for that deploy (see
// the package documentation, section Waits). If it reaches a failure
// state instead, the Clone method returns the clone together with a
// *StateError carrying that state and the API's message.
func WithDeploy() CloneOption { return func(c *cloneConfig) { c.deploy = true } }

// WithGitCommit sets the commit Applications.Clone deploys the clone at. It
// requires WithDeploy. Without it, the commit the new application reports as
// deployed is used, else the one the source application has deployed.
func WithGitCommit(commitID string) CloneOption {
	return func(c *cloneConfig) { c.commit = &commitID }
}

// WithCluster makes Environments.Clone place the new environment on the
// given cluster instead of the source's. Environments.Clone only.
func WithCluster(clusterID string) CloneOption {
	return func(c *cloneConfig) { c.clusterID = &clusterID }
}

// WithMode sets the mode of the environment Environments.Clone creates:
// "DEVELOPMENT", "PREVIEW", "PRODUCTION" or "STAGING". The default is the
// source's mode. Environments.Clone only.
func WithMode(mode string) CloneOption {
	return func(c *cloneConfig) { c.mode = &mode }
}

// The clone methods, as their errors name them.
const (
	cloneDatabase    = "Databases.Clone"
	cloneApplication = "Applications.Clone"
	cloneEnvironment = "Environments.Clone"
)

// newCloneConfig applies opts for the clone method op, and refuses an
// option that does not apply to it.
func newCloneConfig(op string, opts []CloneOption) (*cloneConfig, error) {
	cfg := &cloneConfig{}
	for _, o := range opts {
		if o != nil {
			o(cfg)
		}
	}
	if op != cloneEnvironment {
		if cfg.clusterID != nil {
			return nil, argError("WithCluster", *cfg.clusterID, "applies to "+cloneEnvironment+" only")
		}
		if cfg.mode != nil {
			return nil, argError("WithMode", *cfg.mode, "applies to "+cloneEnvironment+" only")
		}
	}
	if cfg.commit != nil {
		switch {
		case op != cloneApplication:
			return nil, argError("WithGitCommit", *cfg.commit, "applies to "+cloneApplication+" only")
		case !cfg.deploy:
			return nil, argError("WithGitCommit", *cfg.commit, "needs WithDeploy")
		case strings.TrimSpace(*cfg.commit) == "":
			return nil, argError("WithGitCommit", *cfg.commit, "must not be empty")
		}
	}
	return cfg, nil
}

// serviceCloneArgs checks the arguments shared by the service clones, in the
// order they are given: the source ID, the new name, the target environment,
// then the options.
func serviceCloneArgs(op, srcArg, srcID, name, environmentID string, opts []CloneOption) (src, env uuid.UUID, cfg *cloneConfig, err error) {
	if src, err = parseID(srcArg, srcID); err != nil {
		return
	}
	if err = checkName("name", name); err != nil {
		return
	}
	if env, err = parseID("environmentID", environmentID); err != nil {
		return
	}
	cfg, err = newCloneConfig(op, opts)
	return
}

// checkName refuses an empty or blank name with an *ArgError.
func checkName(arg, value string) error {
	if strings.TrimSpace(value) == "" {
		return argError(arg, value, "must not be empty")
	}
	return nil
}

// Clone copies a database's configuration into a new database called
// name, in the environment environmentID (which may be the source's own).
// The data is not copied; restore a backup for that.
//
// The arguments are checked before any request is sent: an empty name or an
// ID that is not a UUID gives an *ArgError naming the argument, and so does
// an option that does not apply to a database. A source that
// does not exist gives an error matching ErrNotFound; a name already taken,
// or an operation already running on the source, one matching ErrConflict.
// Neither is retried.
//
// With WithDeploy, the new database is then deployed and waited for. If that
// fails, the new database is returned along with the error, so that the
// caller can inspect or delete it.
//
// An answer that holds no ID for the new database is a *DecodeError,
// returned with what was decoded; nothing is sent after it.
//
// operationId: cloneDatabase (then deployDatabase and getDatabaseStatus)
func (s *DatabasesService) Clone(ctx context.Context, databaseID, name, environmentID string, opts ...CloneOption) (*DatabaseResponse, error) {
	c := s.c
	src, env, cfg, err := serviceCloneArgs(cloneDatabase, "databaseID", databaseID, name, environmentID, opts)
	if err != nil {
		return nil, err
	}

	body := gen.CloneDatabaseJSONRequestBody{Name: name, EnvironmentId: env}
	r := jsonRequest(http.MethodPost, "/database/"+src.String()+"/clone", body)
	db, err := fetch[gen.DatabaseResponse](ctx, c, &operationCloneDatabase, r, nil)
	if err != nil {
		return nil, err
	}
	if db.Id == uuid.Nil {
		return db, missingID("CloneDatabase", "database")
	}
	if !cfg.deploy {
		return db, nil
	}
	id := db.Id.String()
	err = c.Environments.WhenIdle(ctx, env.String(), func(ctx context.Context) error {
		_, err := c.Databases.Deploy(ctx, id)
		return err
	})
	if err != nil {
		return db, deployError("database", id, err)
	}
	if _, err := c.Databases.Wait(ctx, id, StateDeployed); err != nil {
		return db, err
	}
	return db, nil
}

// Clone copies an application into a new application called name, in the
// environment environmentID (which may be the source's own). It checks its
// arguments and reports errors as Databases.Clone does.
//
// With WithDeploy the new application is deployed at a git commit (see
// WithGitCommit) and waited for.
//
// operationId: cloneApplication (then deployApplication and
// getApplicationStatus)
func (s *ApplicationsService) Clone(ctx context.Context, applicationID, name, environmentID string, opts ...CloneOption) (*ApplicationResponse, error) {
	c := s.c
	src, env, cfg, err := serviceCloneArgs(cloneApplication, "applicationID", applicationID, name, environmentID, opts)
	if err != nil {
		return nil, err
	}

	body := gen.CloneApplicationJSONRequestBody{Name: name, EnvironmentId: env}
	r := jsonRequest(http.MethodPost, "/application/"+src.String()+"/clone", body)
	app, err := fetch[gen.ApplicationResponse](ctx, c, &operationCloneApplication, r, nil)
	if err != nil {
		return nil, err
	}
	if app.Id == uuid.Nil {
		return app, missingID("CloneApplication", "application")
	}
	if !cfg.deploy {
		return app, nil
	}
	id := app.Id.String()
	commit, err := c.commitToDeploy(ctx, cfg, app, src)
	if err != nil {
		return app, deployError("application", id, err)
	}
	dep := gen.DeployApplicationJSONRequestBody{GitCommitId: commit}
	err = c.Environments.WhenIdle(ctx, env.String(), func(ctx context.Context) error {
		_, err := c.Applications.Deploy(ctx, id, dep)
		return err
	})
	if err != nil {
		return app, deployError("application", id, err)
	}
	if _, err := c.Applications.Wait(ctx, id, StateDeployed); err != nil {
		return app, err
	}
	return app, nil
}

// errNoCommit is returned by Applications.Clone with WithDeploy when no commit
// to deploy is known.
var errNoCommit = errors.New("no git commit to deploy: neither the clone nor its source reports a deployed commit; use WithGitCommit")

// commitToDeploy picks the commit a cloned application is deployed at.
func (c *Client) commitToDeploy(ctx context.Context, cfg *cloneConfig, clone *gen.ApplicationResponse, srcID uuid.UUID) (string, error) {
	if cfg.commit != nil {
		return *cfg.commit, nil
	}
	if g := clone.GitRepository; g != nil && g.DeployedCommitId != nil && *g.DeployedCommitId != "" {
		return *g.DeployedCommitId, nil
	}
	src, err := c.Applications.Get(ctx, srcID.String())
	if err != nil {
		return "", fmt.Errorf("reading the source application's commit: %w", err)
	}
	if g := src.GitRepository; g != nil && g.DeployedCommitId != nil && *g.DeployedCommitId != "" {
		return *g.DeployedCommitId, nil
	}
	return "", errNoCommit
}

// Clone creates a new environment called name with the same configuration,
// applications and databases as environmentID (database data is not
// copied). WithCluster and WithMode choose the new environment's cluster and
// mode; both default to the source's.
//
// Arguments (name, IDs, mode) are checked before any request is sent, and
// errors are reported as Databases.Clone does. With WithDeploy the new
// environment is deployed and waited for until DEPLOYED.
//
// operationId: cloneEnvironment (then deployEnvironment and
// getEnvironmentStatus)
func (s *EnvironmentsService) Clone(ctx context.Context, environmentID, name string, opts ...CloneOption) (*EnvironmentResponse, error) {
	c := s.c
	src, err := parseID("environmentID", environmentID)
	if err != nil {
		return nil, err
	}
	if err := checkName("name", name); err != nil {
		return nil, err
	}
	cfg, err := newCloneConfig(cloneEnvironment, opts)
	if err != nil {
		return nil, err
	}
	body := gen.CloneEnvironmentJSONRequestBody{Name: name}
	if cfg.clusterID != nil {
		cluster, err := parseID("clusterID", *cfg.clusterID)
		if err != nil {
			return nil, err
		}
		body.ClusterId = &cluster
	}
	if cfg.mode != nil {
		if err := setEnum(&body.Mode, strings.ToUpper(strings.TrimSpace(*cfg.mode))); err != nil {
			return nil, argError("mode", *cfg.mode, "is not one the API accepts (DEVELOPMENT, PREVIEW, PRODUCTION or STAGING)")
		}
	}

	r := jsonRequest(http.MethodPost, "/environment/"+src.String()+"/clone", body)
	env, err := fetch[gen.EnvironmentResponse](ctx, c, &operationCloneEnvironment, r, nil)
	if err != nil {
		return nil, err
	}
	if env.Id == nil || *env.Id == uuid.Nil {
		return env, missingID("CloneEnvironment", "environment")
	}
	if !cfg.deploy {
		return env, nil
	}
	id := env.Id.String()
	if _, err := c.Environments.Deploy(ctx, id); err != nil {
		return env, deployError("environment", id, err)
	}
	if _, err := c.Environments.Wait(ctx, id, StateDeployed); err != nil {
		return env, err
	}
	return env, nil
}

// enum is a generated string enum type.
type enum interface {
	~string
	Valid() bool
}

// setEnum stores s in *p if it is a value of the enum E. It lets the code
// above fill generated enum fields without naming their types.
func setEnum[E enum](p **E, s string) error {
	v := E(s)
	if !v.Valid() {
		return errors.New("invalid value")
	}
	*p = &v
	return nil
}

// deployError words the failure of the deploy request that follows a
// clone. It wraps err, so that errors.Is(err, ErrConflict) and the like
// still hold.
func deployError(kind, id string, err error) error {
	return &cloneDeployError{what: kind + " " + id, err: err}
}

// missingID is the error for a clone answer without the new resource's ID
// (op is the generated operation's name, as every *DecodeError gives it):
// the answer does not fit the API's description, and nothing can be done
// with the clone (no deploy, no wait), so nothing more is sent.
func missingID(op, kind string) *DecodeError {
	return &DecodeError{Operation: op, Err: fmt.Errorf("the answer holds no id for the new %s; nothing more was sent", kind)}
}
