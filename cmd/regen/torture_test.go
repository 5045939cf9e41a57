package main

import (
	"bufio"
	"bytes"
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The torture specs are written the way vendors publish theirs (several
// files, $refs with siblings, $refs into paths, shared path parameters,
// bodies that are not JSON, three kinds of pagination, names that are not
// Go, formats we do not use): one directory each under testdata/torture,
// with openapi.yaml and want.txt, lines the generated services must hold.
// Each is generated, client and services, into one module with a copy of
// the service layer's handwritten runtime, which is then built and vetted:
// a shape regen takes is one whose code compiles.
func TestTortureSpecsGenerateAndBuild(t *testing.T) {
	shapes := tortureShapes(t)
	mod := tortureModule(t)
	start := time.Now()
	for _, shape := range shapes {
		t.Run(shape, func(t *testing.T) {
			services := generateTorture(t, mod, shape)
			for _, want := range readWant(t, shape) {
				if !strings.Contains(services, want) {
					t.Errorf("the generated services have no line %q", want)
				}
			}
			if t.Failed() {
				t.Logf("the generated services:\n%s", services)
			}
		})
	}
	t.Logf("%d torture specs generated in %s", len(shapes), time.Since(start).Round(time.Millisecond))
	if t.Failed() {
		return
	}
	start = time.Now()
	goCmd(t, mod, "build", "./...")
	goCmd(t, mod, "vet", "./...")
	t.Logf("built and vetted in %s", time.Since(start).Round(time.Millisecond))
}

// tortureShapes are the directories under testdata/torture.
func tortureShapes(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join("testdata", "torture"))
	require.NoError(t, err)
	var shapes []string
	for _, e := range entries {
		if e.IsDir() {
			shapes = append(shapes, e.Name())
		}
	}
	require.NotEmpty(t, shapes)
	return shapes
}

// tortureModule is a module of its own, requiring what this one requires
// (its go.sum too, so that nothing is fetched).
func tortureModule(t *testing.T) string {
	t.Helper()
	root := repoRoot(t)
	mod := t.TempDir()
	goMod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	require.NoError(t, err)
	goMod = moduleRE.ReplaceAll(goMod, []byte("module example.com/torture"))
	require.NoError(t, os.WriteFile(filepath.Join(mod, "go.mod"), goMod, 0o644))
	goSum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(mod, "go.sum"), goSum, 0o644))
	return mod
}

// generateTorture runs regen on one torture spec into mod/<shape>, and
// returns the generated services.
func generateTorture(t *testing.T, mod, shape string) string {
	t.Helper()
	servicesDir := filepath.Join(mod, shape, "qovery")
	copyRuntime(t, servicesDir, "example.com/torture/"+shape+"/gen")
	code, stdout, stderr := runRegen(t,
		"-root", mod,
		"-spec", filepath.Join("testdata", "torture", shape, "openapi.yaml"),
		"-config", filepath.Join(repoRoot(t), "gen", "oapi-codegen.yaml"),
		"-out", filepath.Join(shape, "gen", "client.gen.go"),
		"-services-dir", servicesDir)
	require.Equal(t, 0, code, "regen on %s:\n%s%s", shape, stdout, stderr)
	shimRuntimeTypes(t, filepath.Join(mod, shape, "gen"))
	src, err := os.ReadFile(filepath.Join(servicesDir, "services.gen.go"))
	require.NoError(t, err)
	return string(src)
}

// copyRuntime copies into dir the handwritten files of package qovery that
// any spec's services use (the client, errors, pages, waits): all but the
// tests and those that write methods of this API's own services by hand.
// Their import of the generated client becomes one of clientImport.
func copyRuntime(t *testing.T, dir, clientImport string) {
	t.Helper()
	src := filepath.Join(repoRoot(t), "qovery")
	entries, err := os.ReadDir(src)
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(dir, 0o755))
	fset := token.NewFileSet()
	for _, e := range entries {
		n := e.Name()
		if !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") || strings.HasSuffix(n, ".gen.go") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(src, n))
		require.NoError(t, err)
		f, err := parser.ParseFile(fset, n, data, parser.SkipObjectResolution)
		require.NoError(t, err)
		if declaresServiceMethods(f) {
			continue
		}
		data = bytes.Replace(data, []byte(strconv.Quote(genImport)), []byte("gen "+strconv.Quote(clientImport)), 1)
		require.NoError(t, os.WriteFile(filepath.Join(dir, n), data, 0o644))
	}
}

func declaresServiceMethods(f *ast.File) bool {
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv != nil && strings.HasSuffix(receiverName(fd.Recv.List[0].Type), "Service") {
			return true
		}
	}
	return false
}

// The runtime reads two types of the generated client, Error (to tell a
// JSON error answer) and Status (in waits). A torture spec that has no
// such schema gets the least of each the runtime needs.
var runtimeTypes = map[string]string{
	"Error":  "type Error struct {\n\tMessage *string `json:\"message,omitempty\"`\n}\n",
	"Status": "type Status struct {\n\tState   *string `json:\"state,omitempty\"`\n\tMessage *string `json:\"message,omitempty\"`\n}\n",
}

func shimRuntimeTypes(t *testing.T, genDir string) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(genDir, "client.gen.go"))
	require.NoError(t, err)
	shim := "package gen\n\n"
	for name, decl := range runtimeTypes {
		if !regexp.MustCompile(`(?m)^type ` + name + ` `).Match(src) {
			shim += decl + "\n"
		}
	}
	require.NoError(t, os.WriteFile(filepath.Join(genDir, "runtime_shim.go"), []byte(shim), 0o644))
}

// readWant reads want.txt of a shape: one expected line per line, blank
// lines and lines starting with # aside.
func readWant(t *testing.T, shape string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "torture", shape, "want.txt"))
	require.NoError(t, err)
	defer func() { _ = f.Close() }()
	var want []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && !strings.HasPrefix(line, "#") {
			want = append(want, line)
		}
	}
	require.NoError(t, sc.Err())
	require.NotEmpty(t, want, "%s/want.txt says nothing", shape)
	return want
}

// goCmd runs the go command in dir, offline.
func goCmd(t *testing.T, dir string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOPROXY=off", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go %s:\n%s", strings.Join(args, " "), out)
}
