package qoverytest_test

import (
	"os/exec"
	"strings"
	"testing"
)

// goList runs `go list` with args in the package directory.
func goList(t *testing.T, args ...string) []string {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH:", err)
	}
	out, err := exec.Command(goCmd, append([]string{"list"}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("go list %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.Fields(string(out))
}

func matching(pkgs []string, part string) []string {
	var out []string
	for _, p := range pkgs {
		if strings.Contains(p, part) {
			out = append(out, p)
		}
	}
	return out
}

// A program that imports only qovery must not link the fake or what it is
// built on: kin-openapi is for tests.
func TestQoveryAloneLinksNoKinOpenAPI(t *testing.T) {
	deps := goList(t, "-deps", "./testdata/onlyqovery")
	if len(matching(deps, "github.com/qoverykit/qovery-go/qovery")) == 0 {
		t.Fatalf("the program does not link qovery: %v", deps)
	}
	const module = "github.com/qoverykit/qovery-go"
	for _, p := range deps {
		switch {
		case strings.HasPrefix(p, "github.com/getkin/kin-openapi"), p == module+"/internal/fixtures", p == module+"/qovery/qoverytest":
			t.Errorf("a program importing only qovery links %s", p)
		}
	}
	// The check can fail: qoverytest itself does link kin-openapi.
	if len(matching(goList(t, "-deps", "."), "github.com/getkin/kin-openapi")) == 0 {
		t.Error("qoverytest links no kin-openapi; the check above proves nothing")
	}
}

// The example program must build when copied out of this repository, so it
// may import public packages only.
func TestExampleImportsPublicPackagesOnly(t *testing.T) {
	imports := goList(t, "-f", `{{join .Imports " "}}`, "../../examples/clone-and-backup")
	if internal := matching(imports, "/internal/"); len(internal) > 0 {
		t.Errorf("examples/clone-and-backup imports %v", internal)
	}
	if len(matching(imports, "qovery/qoverytest")) == 0 {
		t.Errorf("examples/clone-and-backup no longer starts its fake with qoverytest: %v", imports)
	}
}
