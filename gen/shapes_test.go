package gen_test

import (
	"context"
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
