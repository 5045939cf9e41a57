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
// with openapi.yaml and want.txt, lines the generated services must hold
// (or the generated client, for a line starting "gen: ").
// Each is generated, client and services, into one module with a copy of
// the service layer's handwritten runtime, which is then built and vetted:
// a shape regen takes is one whose code compiles.
func TestTortureSpecsGenerateAndBuild(t *testing.T) {
	shapes := tortureShapes(t)
	mod := tortureModule(t)
	start := time.Now()
	for _, shape := range shapes {
		t.Run(shape, func(t *testing.T) {
			files := generateTorture(t, mod, shape)
			for _, want := range readWant(t, shape) {
				file, line := "services.gen.go", want
				if rest, ok := strings.CutPrefix(want, "gen: "); ok {
					file, line = "client.gen.go", rest
				}
				// gofmt aligns fields with spaces: compare words only.
				if !strings.Contains(oneSpaced(files[file]), oneSpaced(line)) {
					t.Errorf("%s has no line %q", file, line)
					t.Logf("%s:\n%s", file, files[file])
				}
			}
		})
	}
	t.Logf("%d torture specs generated in %s", len(shapes), time.Since(start).Round(time.Millisecond))
	if t.Failed() {
		return
	}
	start = time.Now()
	goCmd(t, mod, "build", "./...")
	t.Logf("built in %s", time.Since(start).Round(time.Millisecond))
	goCmd(t, mod, "vet", "./...")
	t.Logf("built and vetted in %s", time.Since(start).Round(time.Millisecond))
}

func oneSpaced(s string) string {
	return regexp.MustCompile(`[ \t]+`).ReplaceAllString(s, " ")
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
// returns the generated client and services by file name.
func generateTorture(t *testing.T, mod, shape string) map[string]string {
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
	shimRuntimeTypes(t, filepath.Join(mod, shape), "client.gen.go")
	files := map[string]string{}
	for name, path := range map[string]string{
		"services.gen.go": filepath.Join(servicesDir, "services.gen.go"),
		"client.gen.go":   filepath.Join(mod, shape, "gen", "client.gen.go"),
	} {
		src, err := os.ReadFile(path)
		require.NoError(t, err)
		files[name] = string(src)
	}
	return files
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
// JSON error answer) and Status (in waits), and names one alias of
// types.gen.go, Backup (BackupError holds one). A torture spec without
// such a schema gets the least of each the runtime needs.
var runtimeTypes = []struct {
	dir, file, name, decl string // file "" is the generated client
}{
	{"gen", "", "Error", "type Error struct {\n\tMessage *string `json:\"message,omitempty\"`\n}\n"},
	{"gen", "", "Status", "type Status struct {\n\tState   *string `json:\"state,omitempty\"`\n\tMessage *string `json:\"message,omitempty\"`\n}\n"},
	{"qovery", "types.gen.go", "Backup", "type Backup struct{}\n"},
}

// shimRuntimeTypes adds them under root, where the generated client is
// gen/<client>.
func shimRuntimeTypes(t *testing.T, root, client string) {
	t.Helper()
	shims := map[string]string{}
	for _, rt := range runtimeTypes {
		file := rt.file
		if file == "" {
			file = client
		}
		src, err := os.ReadFile(filepath.Join(root, rt.dir, file))
		require.NoError(t, err)
		if !regexp.MustCompile(`(?m)^\s*(type )?` + rt.name + ` `).Match(src) {
			shims[rt.dir] += "\n" + rt.decl
		}
	}
	for dir, decls := range shims {
		src := "package " + filepath.Base(dir) + "\n" + decls
		require.NoError(t, os.WriteFile(filepath.Join(root, dir, "runtime_shim.go"), []byte(src), 0o644))
	}
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
