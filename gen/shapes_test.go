package gen_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qoverykit/qovery-go/gen"
)

// Answers whose nested objects the spec types from what the documents say
// about them, decoded through the typed fields.

// An override points to the variable it overrides: its id, key, value and
// scope, the scope being one of the five levels of the hierarchy.
func TestVariableOverrideDecodes(t *testing.T) {
	c, fake := newClient(t)
	fake.answer(http.StatusOK, []byte(`{"results": [{
		"id": "0c2f7a4e-1d35-4b8e-9f60-7a1b2c3d4e5f",
		"key": "DATABASE_URL",
		"value": "postgres://replica",
		"scope": "APPLICATION",
		"overridden_variable": {
			"id": "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
			"key": "DATABASE_URL",
			"value": "postgres://primary",
			"scope": "BUILT_IN"
		},
		"aliased_variable": {
			"id": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
			"key": "DB",
			"value": "postgres://primary",
			"scope": "CONTAINER"
		}
	}]}`))
	resp, err := c.ListProjectEnvironmentVariableWithResponse(context.Background(), uuid(t, "2b1c0d9e-8f7a-4b6c-9d5e-4f3a2b1c0d9e"))
	require.NoError(t, err)
	require.NotNil(t, resp.JSON200)
	results := val(t, resp.JSON200.Results).([]gen.EnvironmentVariableResponse)
	require.Len(t, results, 1)
	v := results[0]
	assert.Equal(t, gen.EnvironmentVariableScopeEnumAPPLICATION, val(t, v.Scope))
	over := val(t, v.OverriddenVariable).(gen.VariableReference)
	assert.Equal(t, "postgres://primary", val(t, over.Value))
	assert.Equal(t, gen.EnvironmentVariableScopeEnumBUILTIN, val(t, over.Scope))
	assert.Equal(t, uuid(t, "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b"), val(t, over.Id))
	alias := val(t, v.AliasedVariable).(gen.VariableReference)
	assert.Equal(t, "DB", val(t, alias.Key))
	assert.True(t, val(t, alias.Scope).(gen.EnvironmentVariableScopeEnum).Valid())
}

// An aggregate lists what the per-service call answers: each item of the
// environment's application statuses is a Status.
func TestAggregateStatusDecodes(t *testing.T) {
	c, fake := newClient(t)
	fake.answer(http.StatusOK, []byte(`{"results": [
		{"id": "1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b", "state": "RUNNING", "service_deployment_status": "UP_TO_DATE",
		 "last_deployment_date": "2024-05-01T10:00:00Z"},
		{"id": "2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d", "state": "DEPLOYMENT_ERROR", "message": "image not found"}
	]}`))
	resp, err := c.GetEnvironmentApplicationStatusWithResponse(context.Background(), uuid(t, "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"))
	require.NoError(t, err)
	require.NotNil(t, resp.JSON200)
	items := val(t, resp.JSON200.Results).([]gen.Status)
	require.Len(t, items, 2)
	assert.Equal(t, "RUNNING", val(t, items[0].State))
	assert.Equal(t, "image not found", val(t, items[1].Message))
	assert.Equal(t, uuid(t, "2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d"), val(t, items[1].Id))
}

// A list whose items the documents never show lists the single resource:
// the applications linked to a database are applications.
func TestLinkedApplicationsDecode(t *testing.T) {
	c, fake := newClient(t)
	fake.answer(http.StatusOK, []byte(`{"results": [{
		"id": "4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a",
		"name": "api",
		"build_mode": "BUILDPACKS",
		"environment": {"id": "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b"},
		"ports": [{"internal_port": 8080, "publicly_accessible": true}]
	}]}`))
	resp, err := c.ListDatabaseApplicationWithResponse(context.Background(), uuid(t, "6f7a8b9c-0d1e-4f2a-8b3c-4d5e6f7a8b9c"))
	require.NoError(t, err)
	require.NotNil(t, resp.JSON200)
	apps := val(t, resp.JSON200.Results).([]gen.ApplicationResponse)
	require.Len(t, apps, 1)
	assert.Equal(t, "api", val(t, apps[0].Name))
	assert.Equal(t, gen.BuildModeEnumBUILDPACKS, val(t, apps[0].BuildMode))
	ports := val(t, apps[0].Ports).([]gen.ServicePort)
	assert.Equal(t, 8080, val(t, ports[0].InternalPort))
}

// A collapsed object named after a resource is a reference: a project's
// organization is its id.
func TestProjectOrganizationIsAReference(t *testing.T) {
	c, fake := newClient(t)
	fake.answer(http.StatusOK, []byte(`{
		"id": "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d",
		"name": "shop",
		"organization": {"id": "8b9c0d1e-2f3a-4b4c-9d5e-6f7a8b9c0d1e"}
	}`))
	resp, err := c.GetProjectWithResponse(context.Background(), uuid(t, "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d"))
	require.NoError(t, err)
	require.NotNil(t, resp.JSON200)
	org := val(t, resp.JSON200.Organization).(gen.ReferenceObject)
	assert.Equal(t, uuid(t, "8b9c0d1e-2f3a-4b4c-9d5e-6f7a8b9c0d1e"), val(t, org.Id))
}

// The container's advanced settings answer has the shape of the body that
// edits them.
func TestContainerAdvancedSettingsDecode(t *testing.T) {
	c, fake := newClient(t)
	fake.answer(http.StatusOK, []byte(`[{
		"network.ingress.proxy_body_size_mb": 250,
		"readiness_probe.type": "HTTP",
		"liveness_probe.failure_threshold": 5
	}]`))
	resp, err := c.GetContainerAdvancedSettingsWithResponse(context.Background(), uuid(t, "9c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f"))
	require.NoError(t, err)
	require.NotNil(t, resp.JSON200)
	settings := *resp.JSON200
	require.Len(t, settings, 1)
	assert.Equal(t, 250, val(t, settings[0].NetworkIngressProxyBodySizeMb))
	assert.Equal(t, gen.ReadinessProbeTypeEnumHTTP, val(t, settings[0].ReadinessProbeType))
}

// The items of a bulk deploy carry the single deploy's fields, and an
// identifier the caller adds still goes out.
func TestDeployAllSendsItemFields(t *testing.T) {
	c, srv, ids := fakeClient(t)
	app := gen.DeployAllApplicationsRequest_Applications_Item{GitCommitId: ptr("4f1c2a9")}
	app.Set("application_id", ids.ApplicationID)
	ctr := gen.DeployAllApplicationsRequest_Containers_Item{ImageTag: ptr("1.4.2")}
	body := gen.DeployAllApplicationsRequest{
		Applications: []gen.DeployAllApplicationsRequest_Applications_Item{app},
		Containers:   []gen.DeployAllApplicationsRequest_Containers_Item{ctr},
	}
	raw, err := json.Marshal(body)
	require.NoError(t, err)
	assert.JSONEq(t, `{"applications":[{"git_commit_id":"4f1c2a9","application_id":"`+ids.ApplicationID+`"}],"containers":[{"image_tag":"1.4.2"}]}`, string(raw))

	resp, err := c.DeployAllApplicationsWithResponse(context.Background(), uuid(t, ids.EnvironmentID), body)
	require.NoError(t, err)
	assert.Less(t, resp.StatusCode(), 300, "the fake refused the request: %s", resp.Body)
	assert.Equal(t, 1, srv.Processed("deployAllApplications"))
}

// A registry's config takes the keys the create and edit descriptions list.
func TestContainerRegistryConfigKeys(t *testing.T) {
	c, _, ids := fakeClient(t)
	body := gen.ContainerRegistryRequest{
		Name: "ecr", Kind: gen.ContainerRegistryKindEnumECR, Url: "https://123456789012.dkr.ecr.eu-west-3.amazonaws.com",
		Config: gen.ContainerRegistryConfig{Region: ptr("eu-west-3"), AccessKeyId: ptr("AKIAEXAMPLE"), SecretAccessKey: ptr("example-secret")},
	}
	raw, err := json.Marshal(body.Config)
	require.NoError(t, err)
	assert.JSONEq(t, `{"region":"eu-west-3","access_key_id":"AKIAEXAMPLE","secret_access_key":"example-secret"}`, string(raw))
	resp, err := c.CreateContainerRegistryWithResponse(context.Background(), uuid(t, ids.OrganizationID), body)
	require.NoError(t, err)
	assert.Less(t, resp.StatusCode(), 300, "the fake refused the request: %s", resp.Body)
}

// An amount beside its *_in_cents twin is a number.
func TestClusterCostDecodesFractionalAmounts(t *testing.T) {
	c, fake := newClient(t)
	fake.answer(http.StatusOK, []byte(`{"min_cost_in_cents": 15050, "min_cost": 150.5, "max_cost_in_cents": 30000, "max_cost": 300.0, "currency_code": "USD"}`))
	resp, err := c.GetClusterCurrentCostWithResponse(context.Background(),
		uuid(t, "0d1e2f3a-4b5c-4d6e-8f7a-8b9c0d1e2f3a"), uuid(t, "1e2f3a4b-5c6d-4e7f-9a8b-9c0d1e2f3a4b"))
	require.NoError(t, err, "the answer did not decode")
	require.NotNil(t, resp.JSON200)
	assert.EqualValues(t, 150.5, val(t, resp.JSON200.MinCost))
	assert.EqualValues(t, 300, val(t, resp.JSON200.MaxCost))
}
