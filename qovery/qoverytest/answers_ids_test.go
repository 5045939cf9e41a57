package qoverytest_test

import (
	"testing"

	"github.com/google/uuid"

	"github.com/qoverykit/qovery-go/qovery"
	"github.com/qoverykit/qovery-go/qovery/qoverytest"
)

// The services refuse an answer without the id its schema requires, so the
// fake must give one to every such answer: created, read and updated
// databases and applications.
func TestAnswersThatMustCarryAnIDHaveOne(t *testing.T) {
	srv := qoverytest.NewServer(t)
	c := srv.Client()
	ctx := ctxFor(t)
	w := srv.World

	ids := map[string]func() (uuid.UUID, error){
		"Databases.Create": func() (uuid.UUID, error) {
			db, err := c.Databases.Create(ctx, w.EnvironmentID, qovery.DatabaseRequest{
				Name: "db2", Mode: qovery.DatabaseModeEnumCONTAINER, Type: qovery.DatabaseTypeEnumPOSTGRESQL, Version: "16",
			})
			return idOf(db, err, func() uuid.UUID { return db.Id })
		},
		"Databases.Get": func() (uuid.UUID, error) {
			db, err := c.Databases.Get(ctx, w.DatabaseID)
			return idOf(db, err, func() uuid.UUID { return db.Id })
		},
		"Databases.Update": func() (uuid.UUID, error) {
			db, err := c.Databases.Update(ctx, w.DatabaseID, qovery.DatabaseEditRequest{Name: qovery.Ptr("db-main")})
			return idOf(db, err, func() uuid.UUID { return db.Id })
		},
		"Applications.Create": func() (uuid.UUID, error) {
			app, err := c.Applications.Create(ctx, w.EnvironmentID, qovery.ApplicationRequest{
				Name:          "api",
				GitRepository: qovery.ApplicationGitRepositoryRequest{Url: qovery.Ptr("https://github.com/acme/api.git")},
			})
			return idOf(app, err, func() uuid.UUID { return app.Id })
		},
		"Applications.Get": func() (uuid.UUID, error) {
			app, err := c.Applications.Get(ctx, w.ApplicationID)
			return idOf(app, err, func() uuid.UUID { return app.Id })
		},
		"Applications.Update": func() (uuid.UUID, error) {
			app, err := c.Applications.Update(ctx, w.ApplicationID, qovery.ApplicationEditRequest{Name: qovery.Ptr("web-main")})
			return idOf(app, err, func() uuid.UUID { return app.Id })
		},
	}
	for name, call := range ids {
		id, err := call()
		if err != nil || id == uuid.Nil {
			t.Errorf("%s: id %v, err %v; want an id", name, id, err)
		}
	}
}

func idOf[T any](v *T, err error, id func() uuid.UUID) (uuid.UUID, error) {
	if err != nil || v == nil {
		return uuid.Nil, err
	}
	return id(), nil
}
