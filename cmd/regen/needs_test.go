package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A spec change that takes away what a handwritten helper reads is named,
// with the helper, before anything is generated.
func TestHandwrittenNeedsAreChecked(t *testing.T) {
	root := repoRoot(t)
	raw, err := os.ReadFile(filepath.Join(root, "api", "openapi.yaml"))
	require.NoError(t, err)
	services := filepath.Join(root, "qovery")

	doc, err := loadDoc(raw)
	require.NoError(t, err)
	assert.Empty(t, needsProblems(doc, services), "the spec as it is has what the helpers need")

	changed := strings.Replace(string(raw), "operationId: cloneDatabase\n", "operationId: copyDatabase\n", 1)
	changed = strings.ReplaceAll(changed, "        deployed_commit_id:\n", "        last_commit_id:\n")
	changed = strings.ReplaceAll(changed, "        page_size:\n", "        per_page:\n")
	require.NotEqual(t, string(raw), changed)
	doc, err = loadDoc([]byte(changed))
	require.NoError(t, err)
	var got []string
	for _, p := range needsProblems(doc, services) {
		got = append(got, p.Format("api/openapi.yaml"))
	}
	text := strings.Join(got, "\n")
	t.Log(text)
	for _, want := range []string{
		"Databases.Clone (qovery/clone.go) needs operation cloneDatabase, which the spec no longer has",
		"Applications.Clone (qovery/clone.go) needs git_repository.deployed_commit_id in the answer of cloneApplication",
		"needs page_size in the answer of listDatabaseBackup",
	} {
		assert.Contains(t, text, want)
	}

	// The runtime copied beside another spec's services has no helpers.
	assert.Empty(t, needsProblems(doc, t.TempDir()))
}
