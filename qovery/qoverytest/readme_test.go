package qoverytest_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// goBlock returns the first ```go code block of the repository's README
// that is, and fails the test when there is none.
func goBlock(t *testing.T, what string, is func(string) bool) string {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile("(?ms)^```go\n(.*?)^```$").FindAllStringSubmatch(string(readme), -1) {
		if is(m[1]) {
			return m[1]
		}
	}
	t.Fatalf("the README has no %s", what)
	return ""
}

// goWithOverlay runs the go command in the module root, with the given
// files (paths relative to the root) laid over the tree, so that a package
// that exists only in the README is built as if it were in the repository.
func goWithOverlay(t *testing.T, files map[string]string, args ...string) {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH:", err)
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	replace := map[string]string{}
	for name, src := range files {
		p := filepath.Join(dir, filepath.Base(name))
		if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		replace[filepath.Join(root, name)] = p
	}
	overlay, err := json.Marshal(map[string]any{"Replace": replace})
	if err != nil {
		t.Fatal(err)
	}
	ov := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(ov, overlay, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(goCmd, append([]string{args[0], "-overlay", ov}, args[1:]...)...)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// The README's quick start is a whole program: it builds.
func TestReadmeQuickStartBuilds(t *testing.T) {
	main := goBlock(t, "a Go program (a ```go block starting with package main)",
		func(b string) bool { return strings.HasPrefix(b, "package main\n") })
	goWithOverlay(t, map[string]string{"internal/readmecheck/quickstart/main.go": main},
		"build", "-o", os.DevNull, "./internal/readmecheck/quickstart")
}

// The README's "Testing your code" test passes, with a Copy written as a
// user would write it.
func TestReadmeTestingExamplePasses(t *testing.T) {
	test := goBlock(t, "test built on qoverytest.NewServer",
		func(b string) bool { return strings.Contains(b, "qoverytest.NewServer(t)") })
	const copyFn = `package readme

import (
	"context"

	"github.com/qoverykit/qovery-go/qovery"
)

// Copy clones a database into an environment and waits until the clone runs.
func Copy(ctx context.Context, c *qovery.Client, databaseID, environmentID, name string) (string, error) {
	db, err := c.Databases.Clone(ctx, databaseID, name, environmentID, qovery.WithDeploy())
	if err != nil {
		return "", err
	}
	return db.GetId(), nil
}
`
	// The package directory does not exist, so the test binary is built
	// without vet (which would run there) and run in a directory of its own.
	bin := filepath.Join(t.TempDir(), "readme.test")
	goWithOverlay(t, map[string]string{
		"internal/readmecheck/testing/copy.go":      copyFn,
		"internal/readmecheck/testing/copy_test.go": "package readme\n\n" + test,
	}, "test", "-c", "-vet=off", "-o", bin, "./internal/readmecheck/testing")
	cmd := exec.Command(bin, "-test.v", "-test.count=1")
	cmd.Dir = t.TempDir()
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestCopy") {
		t.Fatalf("the README's test: %v\n%s", err, out)
	}
}
