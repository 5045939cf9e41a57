package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// apiSandbox is a sandbox whose generated packages type-check: the
// services have a copy of their handwritten runtime. It has been
// regenerated once from spec.
func apiSandbox(t *testing.T, spec string) string {
	t.Helper()
	root := sandbox(t, spec)
	copyRuntime(t, filepath.Join(root, "qovery"), genImport)
	code, _, stderr := runRegen(t, "-root", root, "-q")
	require.Equal(t, 0, code, stderr)
	shimRuntimeTypes(t, root, "qovery.gen.go")
	return root
}

// A field renamed in the spec (Thing's state becomes status) is a change
// that breaks programs: regen says which names (the field and its getter),
// writes nothing, and -check fails, until the change is acknowledged in
// api/breaking.txt.
func TestRenamedFieldIsABreakingChange(t *testing.T) {
	root := apiSandbox(t, goodSpec)
	specPath := filepath.Join(root, "api", "openapi.yaml")
	renamed := strings.Replace(goodSpec, "        state:\n          $ref: '#/components/schemas/State'\n", "        status:\n          $ref: '#/components/schemas/State'\n", 1)
	require.NotEqual(t, goodSpec, renamed)
	require.NoError(t, os.WriteFile(specPath, []byte(renamed), 0o644))

	code, stdout, stderr := runRegen(t, "-root", root)
	t.Logf("regen prints, for the renamed field:\n%s%s", stdout, stderr)
	assert.Equal(t, 1, code)
	assert.Contains(t, stdout, "regen: the regeneration changes the API:\n")
	assert.Contains(t, stdout, "  incompatible: gen: Thing.State: removed\n")
	assert.Contains(t, stdout, "  incompatible: gen: (*Thing).GetState: removed\n")
	assert.Contains(t, stdout, "  compatible:   gen: Thing.Status: added\n")
	assert.Contains(t, stdout, "  compatible:   gen: (*Thing).GetStatus: added\n")
	assert.Contains(t, stderr, "not acknowledged; nothing was written")
	assert.Contains(t, stderr, "add these lines to api/breaking.txt:\n  gen: (*Thing).GetState: removed\n  gen: Thing.State: removed\n")

	code, _, _ = runRegen(t, "-root", root, "-check")
	assert.Equal(t, 1, code)

	ack := "# Thing.state is status in version 2 of the API.\ngen: Thing.State: removed\ngen: (*Thing).GetState: removed\n"
	require.NoError(t, os.WriteFile(filepath.Join(root, "api", "breaking.txt"), []byte(ack), 0o644))
	code, stdout, stderr = runRegen(t, "-root", root)
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "  acknowledged: gen: Thing.State: removed\n")
	code, _, stderr = runRegen(t, "-root", root, "-check")
	assert.Equal(t, 0, code, stderr)
}

// Code written by hand that the regeneration breaks (it reads a field the
// spec renamed) is said out loud, with the compiler's words, and the API of
// its package is still compared: an error in a function's body leaves the
// rest of the package's API as it was.
func TestRegenerationThatBreaksHandwrittenCodeSaysSo(t *testing.T) {
	root := apiSandbox(t, goodSpec)
	byHand := "package qovery\n\n// StateOf reads a thing's state.\nfunc StateOf(t *Thing) string { return string(*t.State) }\n"
	require.NoError(t, os.WriteFile(filepath.Join(root, "qovery", "state_of.go"), []byte(byHand), 0o644))
	renamed := strings.Replace(goodSpec, "        state:\n          $ref: '#/components/schemas/State'\n", "        status:\n          $ref: '#/components/schemas/State'\n", 1)
	require.NoError(t, os.WriteFile(filepath.Join(root, "api", "openapi.yaml"), []byte(renamed), 0o644))
	ack := "gen: Thing.State: removed\ngen: (*Thing).GetState: removed\n"
	require.NoError(t, os.WriteFile(filepath.Join(root, "api", "breaking.txt"), []byte(ack), 0o644))

	code, stdout, stderr := runRegen(t, "-root", root)
	t.Logf("regen prints:\n%s%s", stdout, stderr)
	assert.Equal(t, 0, code, "acknowledged changes are written, broken code or not")
	assert.Contains(t, stderr, "regen: with the regenerated files, package qovery does not build; code written by hand must follow the new names (an error in a generated file is regen's own):\n")
	assert.Regexp(t, `qovery/state_of.go:4:\d+: t.State undefined`, stderr)
	assert.Contains(t, stdout, "  acknowledged: gen: Thing.State: removed\n")
	assert.NotContains(t, stdout, "StateOf", "StateOf's signature did not change")
}

// A name written by hand whose type the regeneration takes away (the
// schema State renamed Phase) is not reported as a change to an "invalid
// type", which nobody could acknowledge sensibly: the type errors say it.
func TestBrokenSignatureIsATypeErrorNotAChange(t *testing.T) {
	root := apiSandbox(t, goodSpec)
	byHand := "package qovery\n\nimport \"github.com/qoverykit/qovery-go/gen\"\n\n// IsReady says whether s is READY.\nfunc IsReady(s gen.State) bool { return s == gen.StateREADY }\n"
	require.NoError(t, os.WriteFile(filepath.Join(root, "qovery", "is_ready.go"), []byte(byHand), 0o644))
	renamed := strings.ReplaceAll(goodSpec, "schemas/State'", "schemas/Phase'")
	renamed = strings.Replace(renamed, "    State:\n      type: string", "    Phase:\n      type: string", 1)
	require.NotEqual(t, goodSpec, renamed)
	require.NoError(t, os.WriteFile(filepath.Join(root, "api", "openapi.yaml"), []byte(renamed), 0o644))

	_, stdout, stderr := runRegen(t, "-root", root)
	t.Logf("regen prints:\n%s%s", stdout, stderr)
	assert.Contains(t, stdout, "  incompatible: gen: State: removed\n")
	assert.Regexp(t, `qovery/is_ready.go:\d+:\d+: undefined: gen.State`, stderr)
	assert.NotContains(t, stdout+stderr, "invalid type")
}
