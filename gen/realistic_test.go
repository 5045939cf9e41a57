package gen_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/oapi-codegen/runtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qoverykit/qovery-go/gen"
)

// Hand-written bodies shaped like the API's answers, decoded through the
// typed fields. They complement TestEveryOperationDecodes, whose bodies are
// built from the spec itself.

// val returns what x holds, whether the generated field is a value or a
// pointer (optional fields are pointers), so these tests survive a field
// becoming required. It fails the test on a nil pointer.
func val(t *testing.T, x any) any {
	t.Helper()
	v := reflect.ValueOf(x)
	for v.Kind() == reflect.Pointer {
		require.False(t, v.IsNil(), "field of type %s is nil", v.Type())
		v = v.Elem()
	}
	return v.Interface()
}

func uuid(t *testing.T, s string) types.UUID {
	t.Helper()
	var u types.UUID
	require.NoError(t, u.UnmarshalText([]byte(s)))
	return u
}

func TestGetOrganizationDecodes(t *testing.T) {
	c, fake := newClient(t)
	fake.answer(http.StatusOK, []byte(`{
		"id": "0b9c4a0e-6f53-4d3a-9a52-1f0d4bf8c2e1",
		"created_at": "2024-01-15T08:12:44.512Z",
		"updated_at": "2024-06-02T17:40:03Z",
		"name": "Acme Robotics",
		"description": "Production workloads",
		"plan": "TEAM",
		"website_url": "https://acme.example",
		"owner": "5d7e1c44-98a2-4d51-b0f1-7a3c9e2d6b80",
		"admin_emails": ["ops@acme.example", "cto@acme.example"]
	}`))

	id := uuid(t, "0b9c4a0e-6f53-4d3a-9a52-1f0d4bf8c2e1")
	resp, err := c.GetOrganizationWithResponse(context.Background(), id)
	require.NoError(t, err)
	method, path, _ := fake.request()
	assert.Equal(t, "GET", method)
	assert.Equal(t, "/organization/0b9c4a0e-6f53-4d3a-9a52-1f0d4bf8c2e1", path)
	require.Equal(t, http.StatusOK, resp.StatusCode())
	require.NotNil(t, resp.JSON200)

	org := resp.JSON200
	assert.Equal(t, id, val(t, org.Id))
	assert.Equal(t, "Acme Robotics", val(t, org.Name))
	assert.Equal(t, "TEAM", fmt.Sprint(val(t, org.Plan)))
	assert.Equal(t, []string{"ops@acme.example", "cto@acme.example"}, val(t, org.AdminEmails))
	created := val(t, org.CreatedAt).(time.Time)
	assert.True(t, created.Equal(time.Date(2024, 1, 15, 8, 12, 44, 512e6, time.UTC)), "created_at %v", created)
}

func TestListDatabaseBackupDecodes(t *testing.T) {
	c, fake := newClient(t)
	fake.answer(http.StatusOK, []byte(`{
		"page": 1,
		"page_size": 20,
		"results": [
			{
				"id": "c1a2f5de-3b47-4e0a-8f19-6d2b7e4a9c03",
				"created_at": "2024-05-20T02:00:05Z",
				"updated_at": "2024-05-20T02:03:41Z",
				"name": "nightly-2024-05-20",
				"message": "scheduled backup",
				"status": {
					"id": "c1a2f5de-3b47-4e0a-8f19-6d2b7e4a9c03",
					"state": "DEPLOYED",
					"service_deployment_status": "UP_TO_DATE",
					"is_part_last_deployment": false,
					"deployment_requests_count": 0,
					"last_deployment_date": "2024-05-20T02:03:41Z",
					"status_details": {"action": "DEPLOY", "status": "SUCCESS", "sub_action": "NONE"},
					"steps": {
						"total_duration_sec": 216,
						"total_computing_duration_sec": 198,
						"details": [{"step_name": "DEPLOYMENT", "status": "SUCCESS", "duration_sec": 198}]
					}
				}
			},
			{
				"id": "9e8d7c6b-5a49-4382-a716-151413121110",
				"created_at": "2024-05-21T02:00:04Z",
				"name": "nightly-2024-05-21",
				"status": {"state": "BUILDING"}
			}
		]
	}`))

	resp, err := c.ListDatabaseBackupWithResponse(context.Background(), uuid(t, "4e1f0a2b-7c3d-4e5f-8a9b-0c1d2e3f4a5b"), &gen.ListDatabaseBackupParams{})
	require.NoError(t, err)
	_, path, _ := fake.request()
	assert.Equal(t, "/database/4e1f0a2b-7c3d-4e5f-8a9b-0c1d2e3f4a5b/backup", path)
	require.NotNil(t, resp.JSON200)

	assert.EqualValues(t, 1, val(t, resp.JSON200.Page))
	assert.EqualValues(t, 20, val(t, resp.JSON200.PageSize))
	backups := reflect.ValueOf(val(t, resp.JSON200.Results))
	require.Equal(t, 2, backups.Len())
	first := backups.Index(0).Interface().(gen.BackupDatabaseResponse)
	assert.Equal(t, "nightly-2024-05-20", val(t, first.Name))
	status := val(t, first.Status).(gen.ServiceStatus)
	assert.Equal(t, "DEPLOYED", fmt.Sprint(val(t, status.State)))
	steps := val(t, status.Steps).(gen.ServiceStepMetrics)
	assert.EqualValues(t, 216, val(t, steps.TotalDurationSec))
	second := backups.Index(1).Interface().(gen.BackupDatabaseResponse)
	assert.Equal(t, "BUILDING", fmt.Sprint(val(t, val(t, second.Status).(gen.ServiceStatus).State)))
}

func TestCloneDatabaseDecodes(t *testing.T) {
	c, fake := newClient(t)
	fake.answer(http.StatusAccepted, []byte(`{
		"id": "77b0c5e2-1d3f-4a6b-9c8d-2e4f6a8b0c1d",
		"created_at": "2024-06-10T11:22:33Z",
		"name": "orders-db-clone",
		"type": "POSTGRESQL",
		"version": "16",
		"mode": "CONTAINER",
		"accessibility": "PRIVATE",
		"cpu": 500,
		"memory": 512,
		"storage": 10,
		"icon_uri": "app://qovery-console/postgresql",
		"service_type": "DATABASE",
		"environment": {"id": "a3b4c5d6-e7f8-4a9b-8c7d-6e5f4a3b2c1d"}
	}`))

	var body gen.CloneDatabaseJSONRequestBody
	require.NoError(t, json.Unmarshal([]byte(`{"name": "orders-db-clone", "environment_id": "a3b4c5d6-e7f8-4a9b-8c7d-6e5f4a3b2c1d"}`), &body))
	resp, err := c.CloneDatabaseWithResponse(context.Background(), uuid(t, "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9"), body)
	require.NoError(t, err)

	method, path, sent := fake.request()
	assert.Equal(t, "POST", method)
	assert.Equal(t, "/database/1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9/clone", path)
	assert.JSONEq(t, `{"name": "orders-db-clone", "environment_id": "a3b4c5d6-e7f8-4a9b-8c7d-6e5f4a3b2c1d"}`, string(sent))

	require.Equal(t, http.StatusAccepted, resp.StatusCode())
	require.NotNil(t, resp.JSON202)
	db := resp.JSON202
	assert.Equal(t, "orders-db-clone", val(t, db.Name))
	assert.Equal(t, "POSTGRESQL", fmt.Sprint(val(t, db.Type)))
	assert.Equal(t, "CONTAINER", fmt.Sprint(val(t, db.Mode)))
	assert.EqualValues(t, 512, val(t, db.Memory))
	env := val(t, db.Environment).(gen.ReferenceObject)
	assert.Equal(t, uuid(t, "a3b4c5d6-e7f8-4a9b-8c7d-6e5f4a3b2c1d"), val(t, env.Id))
}
