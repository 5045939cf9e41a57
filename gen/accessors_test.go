package gen_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qoverykit/qovery-go/gen"
)

// The getters read an answer as decoded, fields absent included, and a nil
// answer: nothing panics and nothing prints as an address.
func TestGettersOfAnAnswer(t *testing.T) {
	var full gen.BackupDatabaseResponse
	require.NoError(t, json.Unmarshal([]byte(`{
		"id": "0b6c8f5e-6b1a-4c1e-9f51-6a6e6f0c9a11",
		"name": "nightly",
		"created_at": "2026-12-04T20:00:00Z",
		"status": {"state": "DEPLOYED", "status_details": {"action": "DEPLOY"}}
	}`), &full))
	assert.Equal(t, "0b6c8f5e-6b1a-4c1e-9f51-6a6e6f0c9a11", full.GetId())
	assert.Equal(t, "nightly", full.GetName())
	assert.Equal(t, time.Date(2026, 12, 4, 20, 0, 0, 0, time.UTC), full.GetCreatedAt())
	assert.Equal(t, "DEPLOYED", full.GetStatus().GetState())
	assert.Equal(t, "DEPLOY", full.GetStatus().GetStatusDetails().GetAction())
	assert.Equal(t, "state DEPLOYED", fmt.Sprintf("state %v", full.GetStatus().GetState()))

	var empty gen.BackupDatabaseResponse
	require.NoError(t, json.Unmarshal([]byte(`{}`), &empty))
	var none *gen.BackupDatabaseResponse
	for _, b := range []*gen.BackupDatabaseResponse{&empty, none} {
		assert.Empty(t, b.GetId())
		assert.Empty(t, b.GetName())
		assert.True(t, b.GetCreatedAt().IsZero())
		assert.Nil(t, b.GetStatus())
		assert.Empty(t, b.GetStatus().GetState())
		assert.Empty(t, b.GetStatus().GetStatusDetails().GetAction())
	}
}

// A required ID (a UUID, not a pointer) reads as "" when it is the nil
// UUID, as when the answer lacked it, so that it cannot be passed on as an
// ID; an enum reads as its type.
func TestGettersOfRequiredIDsAndEnums(t *testing.T) {
	var db gen.DatabaseResponse
	assert.Empty(t, db.GetId())
	require.NoError(t, json.Unmarshal([]byte(`{"id": "5e0b7c1a-1c2d-4e5f-8a9b-0c1d2e3f4a5b", "accessibility": "PUBLIC"}`), &db))
	assert.Equal(t, "5e0b7c1a-1c2d-4e5f-8a9b-0c1d2e3f4a5b", db.GetId())
	assert.Equal(t, gen.DatabaseAccessibilityEnumPUBLIC, db.GetAccessibility())
	assert.Empty(t, (*gen.DatabaseResponse)(nil).GetId())
}
