package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/exp/apidiff"
)

// A regeneration can break the programs that use the client: a schema
// renamed, a property dropped, an operation gone. regen says so out loud.
// It compares the public API of the generated packages (gen, and the
// services' package, whose aliases and methods users call) as the files on
// disk declare it with what the regenerated files make of it, with
// golang.org/x/exp/apidiff on the two type-checked versions. An
// incompatible change must be acknowledged, one line each, in
// breaking.txt beside the spec, or regen writes nothing and -check fails.

// apiChange is one change of a package's API.
type apiChange struct {
	pkg        string // the package's name: gen, qovery
	msg        string // as apidiff says it: "Thing.Name: removed"
	compatible bool
}

// String is the change as breaking.txt acknowledges it.
func (c apiChange) String() string { return c.pkg + ": " + c.msg }

// apiChanges compares the API of the packages files belong to, as on disk
// under root, with the API files give them. A package not on disk yet, or
// that does not type-check as it is, is not compared: there is nothing to
// break, or nothing to tell. A package that type-checks as it is but not
// with files is compared all the same, as far as go/types made it out (an
// error in a function's body leaves its API whole), and is reported in
// broken with its first errors: the regeneration breaks it until the code
// written by hand follows.
func apiChanges(root string, files map[string][]byte) (changes []apiChange, broken []brokenPackage, err error) {
	if !differs(root, files) {
		return nil, nil, nil
	}
	module, err := modulePath(root)
	if err != nil {
		return nil, nil, err
	}
	pkgs := apiPackages(module, files)
	imp, err := newExportImporter(root, pkgs)
	if err != nil {
		return nil, nil, err
	}
	before, failedBefore := typeCheck(pkgs, imp, nil)
	after, failures := typeCheck(pkgs, imp, files)
	for _, p := range pkgs {
		old, cur := before[p.path], after[p.path]
		if old == nil || cur == nil || len(failedBefore[p.path]) > 0 {
			continue
		}
		failed := len(failures[p.path]) > 0
		if failed {
			broken = append(broken, brokenPackage{name: cur.Name(), errs: failures[p.path]})
		}
		for _, c := range apidiff.Changes(old, cur).Changes {
			if failed && strings.Contains(c.Message, "invalid type") {
				// A name whose type no longer resolves: the type errors
				// say why, and its new signature is for the hand that
				// fixes it to write.
				continue
			}
			changes = append(changes, apiChange{pkg: old.Name(), msg: c.Message, compatible: c.Compatible})
		}
	}
	sort.SliceStable(changes, func(i, j int) bool { return !changes[i].compatible && changes[j].compatible })
	return changes, broken, nil
}

// brokenPackage is a package that the regenerated files leave failing to
// type-check, with its first errors.
type brokenPackage struct {
	name string
	errs []string
}

// maxTypeErrors is how many type errors of a package the report shows.
const maxTypeErrors = 5

// differs reports whether any of files is not on disk as it is.
func differs(root string, files map[string][]byte) bool {
	for name, src := range files {
		if have, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name))); err != nil || !bytes.Equal(have, src) {
			return true
		}
	}
	return false
}

// apiPackage is a package whose API is compared: its directory (slash,
// relative to the module root), import path, and the generated files of
// it that the regeneration writes.
type apiPackage struct {
	dir, path string
	generated []string // slash names, relative to the module root
}

// apiPackages are the packages of files, those imported by the others
// first, since they are type-checked in that order.
func apiPackages(module string, files map[string][]byte) []apiPackage {
	byDir := map[string]*apiPackage{}
	for _, name := range sortedKeys(files) {
		dir := path.Dir(name)
		if byDir[dir] == nil {
			byDir[dir] = &apiPackage{dir: dir, path: module + "/" + dir}
		}
		byDir[dir].generated = append(byDir[dir].generated, name)
	}
	var pkgs []apiPackage
	for _, dir := range sortedKeys(byDir) {
		pkgs = append(pkgs, *byDir[dir])
	}
	sort.SliceStable(pkgs, func(i, j int) bool { return imports(files, pkgs[j], pkgs[i].path) })
	return pkgs
}

// imports reports whether a generated file of p imports path.
func imports(files map[string][]byte, p apiPackage, path string) bool {
	for _, name := range p.generated {
		if bytes.Contains(files[name], []byte(strconv.Quote(path))) {
			return true
		}
	}
	return false
}

// typeCheck type-checks pkgs in order from their sources under the module
// root, with overlay (generated files by name) in place of the files on
// disk, and returns them by import path, with the first errors of those
// that do not type-check. Each package checked is importable by the next.
func typeCheck(pkgs []apiPackage, imp *exportImporter, overlay map[string][]byte) (map[string]*types.Package, map[string][]string) {
	out := map[string]*types.Package{}
	failures := map[string][]string{}
	for _, p := range pkgs {
		files, err := parseDir(imp.fset, imp.root, p, overlay)
		if err != nil || len(files) == 0 {
			continue
		}
		cfg := types.Config{
			Importer: importerFunc(func(path string) (*types.Package, error) {
				if lp := out[path]; lp != nil {
					return lp, nil
				}
				return imp.Import(path)
			}),
			Error: func(err error) {
				if len(failures[p.path]) < maxTypeErrors {
					failures[p.path] = append(failures[p.path], err.Error())
				}
			},
		}
		tp, _ := cfg.Check(p.path, imp.fset, files, nil)
		out[p.path] = tp
	}
	return out, failures
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// parseDir parses the Go files of p's directory (tests aside), with
// overlay in place of the generated ones; a generated file not on disk yet
// is added.
func parseDir(fset *token.FileSet, root string, p apiPackage, overlay map[string][]byte) ([]*ast.File, error) {
	dir := filepath.Join(root, filepath.FromSlash(p.dir))
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	srcs := map[string][]byte{}
	for _, e := range entries {
		if n := e.Name(); strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") {
			srcs[path.Join(p.dir, n)] = nil
		}
	}
	if overlay != nil {
		for _, name := range p.generated {
			srcs[name] = overlay[name]
		}
	}
	var files []*ast.File
	for _, name := range sortedKeys(srcs) {
		src := srcs[name]
		if src == nil {
			if src, err = os.ReadFile(filepath.Join(root, filepath.FromSlash(name))); err != nil {
				return nil, err
			}
		}
		f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

// exportImporter imports the packages the generated ones depend on from
// the export data the go command keeps in its build cache: the standard
// library's importer reads it, and gives an alias the type it names when
// Alias types are off (see main.go), which apidiff needs.
type exportImporter struct {
	types.Importer
	fset *token.FileSet
	root string
}

// newExportImporter asks the go command for the export data of every
// package that pkgs import, but not of pkgs themselves, whose sources are
// what is compared.
func newExportImporter(root string, pkgs []apiPackage) (*exportImporter, error) {
	fset := token.NewFileSet()
	own := map[string]bool{}
	for _, p := range pkgs {
		own[p.path] = true
	}
	deps := map[string]bool{}
	for _, p := range pkgs {
		files, err := parseDir(fset, root, p, nil)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			for _, spec := range f.Imports {
				if ip, _ := strconv.Unquote(spec.Path.Value); !own[ip] && ip != "" {
					deps[ip] = true
				}
			}
		}
	}
	exports := map[string]string{}
	if len(deps) > 0 {
		cmd := exec.Command("go", append([]string{"list", "-mod=readonly", "-export", "-deps", "-f", "{{.ImportPath}}={{.Export}}"}, sortedKeys(deps)...)...)
		cmd.Dir = root
		out, err := cmd.Output()
		if err != nil {
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				err = fmt.Errorf("%w: %s", err, bytes.TrimSpace(ee.Stderr))
			}
			return nil, fmt.Errorf("go list, for the API report: %w", err)
		}
		for _, line := range strings.Split(string(out), "\n") {
			if ip, file, ok := strings.Cut(line, "="); ok && file != "" {
				exports[ip] = file
			}
		}
	}
	lookup := func(path string) (io.ReadCloser, error) {
		file, ok := exports[path]
		if !ok {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(file)
	}
	return &exportImporter{Importer: importer.ForCompiler(fset, "gc", lookup), fset: fset, root: root}, nil
}

// breakingFile is where the incompatible changes are acknowledged: beside
// the spec.
func breakingFile(specPath string) string {
	return filepath.Join(filepath.Dir(specPath), "breaking.txt")
}

// acknowledged reads breakingFile: one change a line, as regen prints it;
// blank lines and lines starting with # aside. A missing file
// acknowledges nothing.
func acknowledged(file string) (map[string]bool, error) {
	f, err := os.Open(file)
	if errors.Is(err, os.ErrNotExist) {
		return map[string]bool{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	ack := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			ack[line] = true
		}
	}
	return ack, sc.Err()
}

// unacknowledged are the incompatible changes that ack does not list.
func unacknowledged(changes []apiChange, ack map[string]bool) []apiChange {
	var out []apiChange
	for _, c := range changes {
		if !c.compatible && !ack[c.String()] {
			out = append(out, c)
		}
	}
	return out
}

// reportAPI says how the regeneration in res changes the API of the
// generated packages, and reports whether an incompatible change is not
// acknowledged, which blocks it.
func reportAPI(o *options, res *result, stdout, stderr io.Writer) (blocked bool, err error) {
	start := time.Now()
	changes, broken, err := apiChanges(o.root, res.Files)
	if err != nil || len(changes) == 0 && len(broken) == 0 {
		return false, err
	}
	res.Phases = append(res.Phases, phase{"api", time.Since(start)})
	for _, b := range broken {
		fmt.Fprintf(stderr, "regen: with the regenerated files, package %s does not build; code written by hand must follow the new names (an error in a generated file is regen's own):\n", b.name)
		for _, e := range b.errs {
			fmt.Fprintln(stderr, "  "+e)
		}
	}
	if len(changes) == 0 {
		return false, nil
	}
	ack, err := acknowledged(breakingFile(o.spec))
	if err != nil {
		return false, err
	}
	fmt.Fprintln(stdout, "regen: the regeneration changes the API:")
	for _, c := range changes {
		kind := "incompatible:"
		if c.compatible {
			kind = "compatible:  "
		} else if ack[c.String()] {
			kind = "acknowledged:"
		}
		fmt.Fprintln(stdout, "  "+kind+" "+c.String())
	}
	missing := unacknowledged(changes, ack)
	if len(missing) == 0 {
		return false, nil
	}
	fmt.Fprintf(stderr, "regen: %d incompatible change(s) to the API, not acknowledged; nothing was written.\n", len(missing))
	fmt.Fprintf(stderr, "regen: programs using these names break. If that is meant, add these lines to %s:\n", relName(o.root, breakingFile(o.spec)))
	for _, c := range missing {
		fmt.Fprintln(stderr, "  "+c.String())
	}
	return true, nil
}
