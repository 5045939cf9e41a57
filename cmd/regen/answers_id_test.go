package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An answer whose schema requires the resource's id is checked for it by
// its generated method, and only such an answer: an optional id (a
// pointer in gen) may be absent.
func TestAnswersThatRequireAnIDAreChecked(t *testing.T) {
	s, genSrc, _ := serviceInputs(t)
	g, err := readGen(genSrc)
	require.NoError(t, err)
	methods, err := describeMethods(g, &typeNamer{g: g, aliased: map[string]bool{}}, s.ops)
	require.NoError(t, err)
	needs := map[string]bool{}
	generated := 0 // the methods regen writes whose answer needs an id
	for _, m := range methods {
		needs[m.op.ID] = m.needsID
		if _, byHand := handwrittenMethods[m.op.ID]; m.needsID && !byHand {
			generated++
		}
	}
	for _, id := range []string{"getDatabase", "editDatabase", "createDatabase", "getApplication"} {
		assert.True(t, needs[id], "%s answers a DatabaseResponse or ApplicationResponse, whose id is required", id)
	}
	for _, id := range []string{"getProject", "getDatabaseStatus", "listDatabase", "deleteDatabase"} {
		assert.False(t, needs[id], "%s has no answer with a required id", id)
	}

	_, files := servicesOfRepo(t)
	src := string(files[servicesFile])
	assert.Contains(t, src, "return identified(&operationGetDatabase, c.c, &r, code, v, v.Id)")
	assert.Equal(t, generated, strings.Count(src, "return identified("))
}
