package qoverytest_test

import (
	"testing"

	"github.com/qoverykit/qovery-go/qovery"
	"github.com/qoverykit/qovery-go/qovery/qoverytest"
)

// Seeded objects go through the typed services and back: what the server
// stores is what the services read, and what they write the server keeps.
func TestSeededObjectsRoundTripThroughTheServices(t *testing.T) {
	srv := qoverytest.NewServer(t)
	c := srv.Client()
	ctx := ctxFor(t)
	w := srv.World

	db, err := c.Databases.Get(ctx, w.DatabaseID)
	if err != nil {
		t.Fatal(err)
	}
	if db.Name != "db" || db.Id.String() != w.DatabaseID || db.Environment.Id.String() != w.EnvironmentID {
		t.Errorf("Databases.Get: %+v", db)
	}
	name, storage := "db-main", 20
	if _, err := c.Databases.Update(ctx, w.DatabaseID, qovery.DatabaseEditRequest{Name: &name, Storage: &storage}); err != nil {
		t.Fatal(err)
	}
	listed, err := c.Databases.List(ctx, w.EnvironmentID)
	if err != nil {
		t.Fatal(err)
	}
	if len(listed) != 1 || listed[0].Name != "db-main" || listed[0].Storage == nil || *listed[0].Storage != 20 {
		t.Errorf("Databases.List after Update: %+v", listed)
	}

	var backups []string
	for b, err := range c.Backups.ListIter(ctx, w.DatabaseID, nil) {
		if err != nil {
			t.Fatal(err)
		}
		backups = append(backups, b.Id.String())
	}
	// Newest first: the reverse of World.BackupIDs.
	if len(backups) != 3 || backups[0] != w.BackupIDs[2] || backups[2] != w.BackupIDs[0] {
		t.Errorf("Backups.ListIter: %v, seeded %v", backups, w.BackupIDs)
	}

	clone, err := c.Databases.Clone(ctx, w.DatabaseID, "db-copy", w.StagingEnvironmentID)
	if err != nil {
		t.Fatal(err)
	}
	if !srv.Exists(clone.Id.String()) || clone.Name != "db-copy" {
		t.Errorf("Databases.Clone: %+v", clone)
	}

	srv.AddVariable(w.ProjectID, "REGION", "eu")
	created, err := c.ApplicationVariables.Create(ctx, w.ApplicationID, qovery.ApplicationEnvironmentVariableRequest{Key: "PORT", Value: "80"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ApplicationVariables.Update(ctx, w.ApplicationID, created.Id.String(), qovery.ApplicationEnvironmentVariableEditRequest{Key: "PORT", Value: "8080"}); err != nil {
		t.Fatal(err)
	}
	vars, err := c.ApplicationVariables.List(ctx, w.ApplicationID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, v := range vars {
		got[*v.Key+"@"+string(*v.Scope)] = *v.Value
	}
	if len(got) != 2 || got["REGION@PROJECT"] != "eu" || got["PORT@APPLICATION"] != "8080" {
		t.Errorf("ApplicationVariables.List: %v", got)
	}
	if err := c.ApplicationVariables.Delete(ctx, w.ApplicationID, created.Id.String()); err != nil {
		t.Fatal(err)
	}
	if srv.Exists(created.Id.String()) {
		t.Error("the deleted variable is still stored")
	}

	if err := c.Databases.Delete(ctx, w.DatabaseID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Databases.Wait(ctx, w.DatabaseID, qovery.StateDeleted); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Databases.Get(ctx, w.DatabaseID); !qovery.IsNotFound(err) {
		t.Errorf("Databases.Get after Delete: %v", err)
	}
}

// An application's advanced settings read back what the last update
// stored, as a program tuning its probes expects.
func TestAdvancedSettingsReadBackWhatWasStored(t *testing.T) {
	srv := qoverytest.NewServer(t)
	c := srv.Client()
	ctx := ctxFor(t)
	app := srv.World.ApplicationID

	before, err := c.Applications.GetAdvancedSettings(ctx, app)
	if err != nil {
		t.Fatal(err)
	}
	timeout := before.GetBuildTimeoutMaxSec() + 600
	path := "/healthz"
	if _, err := c.Applications.UpdateAdvancedSettings(ctx, app, qovery.AdvancedSettingsEditRequest{
		BuildTimeoutMaxSec: &timeout, LivenessProbeHttpGetPath: &path,
	}); err != nil {
		t.Fatal(err)
	}
	after, err := c.Applications.GetAdvancedSettings(ctx, app)
	if err != nil {
		t.Fatal(err)
	}
	if after.GetBuildTimeoutMaxSec() != timeout || after.GetLivenessProbeHttpGetPath() != path {
		t.Errorf("after the update: build.timeout_max_sec %d, liveness_probe.http_get.path %q; want %d, %q",
			after.GetBuildTimeoutMaxSec(), after.GetLivenessProbeHttpGetPath(), timeout, path)
	}
}
