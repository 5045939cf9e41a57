package qoverytest

import (
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// World holds the IDs of the objects a Server starts with:
//
//	organization "acme"
//	└── project "shop"
//	    ├── environment "production" (DEPLOYED)
//	    │   ├── application "web"   (DEPLOYED)
//	    │   ├── container "worker"  (DEPLOYED, nginx:1.27)
//	    │   └── database "db"       (DEPLOYED, PostgreSQL 16, three finished backups)
//	    └── environment "staging"   (DEPLOYED, empty)
type World struct {
	OrganizationID       string
	ProjectID            string
	EnvironmentID        string // "production"
	StagingEnvironmentID string // "staging"
	ApplicationID        string
	ContainerID          string
	DatabaseID           string
	// BackupIDs are the database's backups, oldest first (the API lists
	// them newest first).
	BackupIDs []string
}

func (s *Server) seedWorld() World {
	ids := s.fake.Seed()
	return World{
		OrganizationID:       ids.OrganizationID,
		ProjectID:            ids.ProjectID,
		EnvironmentID:        ids.EnvironmentID,
		StagingEnvironmentID: s.fake.SeedEnvironment(ids.ProjectID, "staging"),
		ApplicationID:        ids.ApplicationID,
		ContainerID:          ids.ContainerID,
		DatabaseID:           ids.DatabaseID,
		BackupIDs:            s.fake.SeedBackups(ids.DatabaseID, 3),
	}
}

// The Add methods put objects in the server's state as if they had been
// created and deployed long ago, and return their IDs. They fail the test
// when the parent does not exist.

// AddOrganization adds an organization.
func (s *Server) AddOrganization(name string) string {
	return s.add(func() string { return s.fake.SeedOrganization(name) })
}

// AddProject adds a project to an organization.
func (s *Server) AddProject(organizationID, name string) string {
	return s.add(func() string { return s.fake.SeedProject(organizationID, name) })
}

// AddEnvironment adds a deployed environment to a project.
func (s *Server) AddEnvironment(projectID, name string) string {
	return s.add(func() string { return s.fake.SeedEnvironment(projectID, name) })
}

// AddApplication adds a deployed application to an environment.
func (s *Server) AddApplication(environmentID, name string) string {
	return s.add(func() string { return s.fake.SeedApplication(environmentID, name) })
}

// AddContainer adds a deployed container (nginx:1.27) to an environment.
func (s *Server) AddContainer(environmentID, name string) string {
	return s.add(func() string { return s.fake.SeedContainer(environmentID, name) })
}

// AddDatabase adds a deployed PostgreSQL 16 database to an environment.
func (s *Server) AddDatabase(environmentID, name string) string {
	return s.add(func() string { return s.fake.SeedDatabase(environmentID, name) })
}

// AddBackups adds n finished backups to a database and returns their IDs,
// oldest first.
func (s *Server) AddBackups(databaseID string, n int) []string {
	var ids []string
	s.add(func() string { ids = s.fake.SeedBackups(databaseID, n); return "" })
	return ids
}

// AddVariable adds an environment variable to a project, an environment,
// an application or a container. The scopes below see it too.
func (s *Server) AddVariable(scopeID, key, value string) string {
	return s.add(func() string { return s.fake.SeedVariable(scopeID, key, value) })
}

// AddSecret adds a secret to a project, an environment, an application or
// a container. The API never shows its value.
func (s *Server) AddSecret(scopeID, key, value string) string {
	return s.add(func() string { return s.fake.SeedSecret(scopeID, key, value) })
}

// AddDeployments adds n finished entries to the deployment history of an
// environment or a service and returns their IDs, oldest first.
func (s *Server) AddDeployments(id string, n int) []string {
	var ids []string
	s.add(func() string { ids = s.fake.SeedDeployments(id, n); return "" })
	return ids
}

// Set writes fields, by their JSON names, into a stored object: for
// example {"version": "15"} on a database. The API then answers them.
func (s *Server) Set(id string, fields map[string]any) {
	s.add(func() string { s.fake.Set(id, fields); return "" })
}

// State returns the state of an environment, a service or a backup
// ("DEPLOYED", "STOPPING", ...) without counting as a read of it, even
// while reads still show the state from before (WithStaleStatus); ok is
// false when the object does not exist, or no longer does.
func (s *Server) State(id string) (state string, ok bool) { return s.fake.State(id) }

// SetState forces the state of an environment, a service or a backup,
// ending any action in progress: SetState(id, "DEPLOYMENT_ERROR") makes a
// wait for it fail.
func (s *Server) SetState(id, state string) {
	s.add(func() string { s.fake.SetState(id, state); return "" })
}

// Exists reports whether an object is stored: created and not deleted.
func (s *Server) Exists(id string) bool { return s.fake.Exists(id) }

// FailNextAction makes the next action (deploy, stop, restart, clone,
// delete, backup) on an object end in its error state with message. key is
// the object's ID (for a database, its next backup too) or an operationId
// ("deployDatabase"): the next call of that operation. A key that is
// neither the ID of a stored object nor an operationId of the spec fails
// the test, with the operationIds it is nearest to.
func (s *Server) FailNextAction(key, message string) {
	if s.t != nil {
		s.t.Helper()
	}
	s.checkActionKey(key)
	s.fake.FailNext(key, message)
}

// checkActionKey fails the test when key names nothing FailNextAction can
// fail: the failure would never be used, and the test would pass without
// the failure it meant to script.
func (s *Server) checkActionKey(key string) {
	if s.t != nil {
		s.t.Helper()
	}
	switch {
	case s.fake.Exists(key):
	case isID(key):
		s.fatalf("FailNextAction(%q): no object %s is stored (never added, or deleted)", key, key)
	default:
		s.checkOperation(key)
	}
}

// isID reports whether key is written as the server writes IDs: a UUID.
func isID(key string) bool {
	_, err := uuid.Parse(key)
	return err == nil && len(key) == 36
}

// add runs a seeding call, turning its panic on a missing object into a
// test failure.
func (s *Server) add(seed func() string) string {
	if s.t != nil {
		s.t.Helper()
	}
	id, problem := func() (id string, problem any) {
		defer func() { problem = recover() }()
		return seed(), nil
	}()
	if problem != nil {
		s.fatalf("%s", strings.TrimPrefix(fmt.Sprint(problem), "fixtures: "))
	}
	return id
}
