// Command regen turns api/openapi.yaml into package gen.
//
// It validates the spec with kin-openapi and reports every problem it finds
// (not just the first), with the operation or schema and the line; lints for
// what breaks oapi-codegen (operationIds that collide once capitalised,
// component names that clash with generated names, null in enums, $refs
// outside #/components/); runs oapi-codegen in-process with
// gen/oapi-codegen.yaml; and gofmts the result into gen/.
//
// Usage, from anywhere inside the module:
//
//	go run ./cmd/regen          # regenerate gen/ (also: make regen, go generate ./...)
//	go run ./cmd/regen -check   # exit 1 if gen/ is not what the spec generates
//
// The flags -spec, -out, -package and -services-dir run it on another spec
// (a vendor's, split over several files or not) into another layout; the
// defaults are this repository's.
//
// Exit status: 0 on success, 1 when the spec has problems or gen/ is out of
// date, 2 when regen itself cannot run (missing file, bad flag).

// The API report's apidiff predates go/types' Alias type and panics on
// one; the versions that know it need a go.mod of go 1.26, which would
// raise the library's minimum Go for the sake of a tool. Without Alias
// types, an alias is the type it names, which is all apidiff compares.
//
//go:debug gotypesalias=0
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole command; it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, code := parseFlags(args, stderr)
	if o == nil {
		return code
	}
	res, err := regenerateWith(ctx, o)
	if err != nil {
		fmt.Fprintln(stderr, "regen:", err)
		return 2
	}
	if len(res.Problems) > 0 {
		fmt.Fprintf(stderr, "regen: %s has %d problem(s); nothing was generated:\n", res.SpecName, len(res.Problems))
		if res.Bundled > 0 {
			fmt.Fprintf(stderr, "  (joined from %d files: the lines are those of the joined spec, the operations and components are the spec's)\n", res.Bundled)
		}
		for _, p := range res.Problems {
			fmt.Fprintln(stderr, "  "+p.Format(res.SpecName))
		}
		return 1
	}
	blocked, err := reportAPI(o, res, stdout, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "regen:", err)
		return 2
	}
	if o.check {
		if code := checkFiles(o, res, stdout, stderr); code != 0 || blocked {
			return 1
		}
		return 0
	}
	if blocked {
		return 1
	}
	return writeFiles(o, res, stdout, stderr)
}

// options are regen's flags, with the defaults filled in.
type options struct {
	root, spec, config string
	out, pkg           string // override the configuration's output: and package:
	servicesDir        string // the service layer's package directory
	check, quiet       bool
}

// parseFlags reads the command line. A nil options comes with the exit
// code: 0 for -h, 2 for a bad flag or a module root that cannot be found.
func parseFlags(args []string, stderr io.Writer) (*options, int) {
	o := &options{}
	fs := flag.NewFlagSet("regen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.root, "root", "", "module root (default: the nearest directory upwards with a go.mod)")
	fs.StringVar(&o.spec, "spec", "", "OpenAPI spec (default: api/openapi.yaml under the module root)")
	fs.StringVar(&o.config, "config", "", "oapi-codegen configuration (default: gen/oapi-codegen.yaml under the module root)")
	fs.StringVar(&o.out, "out", "", "generated client file (default: output: of the configuration, relative to the module root)")
	fs.StringVar(&o.pkg, "package", "", "package name of the generated client (default: package: of the configuration)")
	fs.StringVar(&o.servicesDir, "services-dir", "", "directory of the service layer's package (default: qovery under the module root)")
	fs.BoolVar(&o.check, "check", false, "write nothing; exit 1 and name the files in gen/ that differ from what the spec generates")
	fs.BoolVar(&o.quiet, "q", false, "print nothing on success")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: regen [-check] [-q] [-root dir] [-spec file] [-config file] [-out file] [-package name] [-services-dir dir]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, 0
		}
		return nil, 2
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return nil, 2
	}
	if o.root == "" {
		wd, err := os.Getwd()
		if err == nil {
			o.root, err = findModuleRoot(wd)
		}
		if err != nil {
			fmt.Fprintln(stderr, "regen:", err)
			return nil, 2
		}
	}
	o.fillDefaults()
	return o, 0
}

// fillDefaults puts this repository's layout under root where a flag left
// a path unset.
func (o *options) fillDefaults() {
	if o.spec == "" {
		o.spec = filepath.Join(o.root, "api", "openapi.yaml")
	}
	if o.config == "" {
		o.config = filepath.Join(o.root, "gen", "oapi-codegen.yaml")
	}
	if o.servicesDir == "" {
		o.servicesDir = filepath.Join(o.root, "qovery")
	}
}

// checkFiles is -check: it names every generated file that differs from
// what is on disk, and exits 1 if any does.
func checkFiles(o *options, res *result, stdout, stderr io.Writer) int {
	stale, err := compare(o.root, res.Files)
	if err != nil {
		fmt.Fprintln(stderr, "regen:", err)
		return 2
	}
	if len(stale) > 0 {
		for _, s := range stale {
			fmt.Fprintln(stderr, "regen: "+s)
		}
		fmt.Fprintf(stderr, "regen: generated files are out of date with %s; run `make regen` (or `go generate ./gen`) and commit the result\n", res.SpecName)
		return 1
	}
	if !o.quiet {
		fmt.Fprintf(stdout, "regen: %s are up to date with %s (%s)\n", strings.Join(sortedKeys(res.Files), ", "), res.SpecName, res.Timing())
	}
	return 0
}

// writeFiles writes the generated files that changed, and says which.
func writeFiles(o *options, res *result, stdout, stderr io.Writer) int {
	start := time.Now()
	var written []string
	for _, name := range sortedKeys(res.Files) {
		changed, err := writeIfChanged(filepath.Join(o.root, filepath.FromSlash(name)), res.Files[name])
		if err != nil {
			fmt.Fprintln(stderr, "regen:", err)
			return 2
		}
		state := "unchanged"
		if changed {
			state = "written"
		}
		written = append(written, fmt.Sprintf("%s %s (%d lines)", name, state, bytes.Count(res.Files[name], []byte("\n"))))
	}
	res.Phases = append(res.Phases, phase{"write", time.Since(start)})
	if !o.quiet {
		fmt.Fprintf(stdout, "regen: %d operations, %d schemas, %d getters -> %s (%s)\n",
			res.Operations, res.Schemas, res.Getters, strings.Join(written, ", "), res.Timing())
	}
	return 0
}

// result is what one regeneration produced.
type result struct {
	SpecName   string            // spec path as shown in messages (relative to the module root)
	Problems   []Problem         // non-empty means nothing was generated
	Files      map[string][]byte // generated files by slash path relative to the module root
	Operations int
	Schemas    int // component schemas in the spec
	Getters    int // nil-safe getters of the data types, in accessors.gen.go
	Bundled    int // files the spec was joined from; 0 for a spec in one file
	Phases     []phase
}

type phase struct {
	name string
	d    time.Duration
}

// Timing renders the time spent in each phase and in total.
func (r *result) Timing() string {
	var total time.Duration
	parts := make([]string, 0, len(r.Phases))
	for _, p := range r.Phases {
		total += p.d
		parts = append(parts, fmt.Sprintf("%s %s", p.name, p.d.Round(time.Millisecond)))
	}
	return fmt.Sprintf("%s: %s", total.Round(time.Millisecond), strings.Join(parts, ", "))
}

// regenerate is regenerateWith in this repository's layout under root, with
// the spec and the configuration given.
func regenerate(ctx context.Context, root, specPath, configPath string) (*result, error) {
	o := &options{root: root, spec: specPath, config: configPath}
	o.fillDefaults()
	return regenerateWith(ctx, o)
}

// regenerateWith validates the spec and, when it has no problems, generates
// the files of gen/ and of the service layer in memory. The error is for
// regen's own failures (an unreadable file, a bad configuration); what is
// wrong with the spec comes back in result.Problems.
func regenerateWith(ctx context.Context, o *options) (*result, error) {
	root := o.root
	res := &result{SpecName: relName(root, o.spec)}
	watch := startStopwatch(res)
	in, err := readInputs(o)
	if err != nil {
		return nil, err
	}
	joined, problems := bundle(ctx, o.spec, in.raw)
	if len(problems) > 0 {
		res.Problems = problems
		return res, nil
	}
	if joined != nil {
		in.raw, res.Bundled = joined.raw, len(joined.files)
		watch.lap("bundle")
	}
	s, doc := checkSpec(ctx, in.raw, res, watch)
	if doc == nil {
		return res, nil
	}
	res.Problems = sortProblems(append(res.Problems, needsProblems(doc, o.servicesDir)...))
	if len(res.Problems) > 0 {
		later, err := laterProblems(o, in, s, doc, res.SpecName)
		res.Problems = sortProblems(append(res.Problems, later...))
		return res, err
	}
	code, err := generate(doc, in.cfg, in.version)
	if err != nil {
		res.Problems = generationProblems(err)
		return res, nil
	}
	watch.lap("generate+gofmt")
	services, problems, err := serviceFiles(o, in.cfg, s, code, res.SpecName)
	if err != nil || len(problems) > 0 {
		res.Problems = problems
		return res, err
	}
	output := filepath.ToSlash(filepath.Clean(in.cfg.Output))
	accessors, getters, n, err := accessorsFile(code, output, in.cfg.PackageName)
	if err != nil {
		return res, err
	}
	res.Files = map[string][]byte{output: code, accessors: getters}
	res.Getters = n
	maps.Copy(res.Files, services)
	watch.lap("services")
	return res, nil
}

// stopwatch times the phases of one regeneration: each lap adds to the
// result the time since the previous lap (or the start), so that the
// summary line can say where the time went.
type stopwatch struct {
	res   *result
	clock time.Time
}

// startStopwatch starts timing the phases of res from now.
func startStopwatch(res *result) *stopwatch {
	return &stopwatch{res: res, clock: time.Now()}
}

// lap records the phase that ends now under name.
func (w *stopwatch) lap(name string) {
	now := time.Now()
	w.res.Phases = append(w.res.Phases, phase{name, now.Sub(w.clock)})
	w.clock = now
}

// inputs are the files a regeneration reads besides the handwritten code:
// the oapi-codegen configuration, the version of oapi-codegen in use (which
// the generated header names), and the spec's bytes.
type inputs struct {
	cfg     config
	version string
	raw     []byte
}

// readInputs reads the inputs of a regeneration, failing on the first one
// that cannot be read: without any of them there is nothing to check or
// generate. The flags -out and -package override the configuration.
func readInputs(o *options) (*inputs, error) {
	cfg, err := loadConfig(o.config)
	if err != nil {
		return nil, err
	}
	if o.out != "" {
		cfg.Output = relName(o.root, absUnder(o.root, o.out))
	}
	if o.pkg != "" {
		cfg.PackageName = o.pkg
	}
	version, err := toolVersion(o.root)
	if err != nil {
		return nil, err
	}
	raw, err := os.ReadFile(o.spec)
	if err != nil {
		return nil, err
	}
	return &inputs{cfg: cfg, version: version, raw: raw}, nil
}

// absUnder is path, taken relative to root when it is not absolute.
func absUnder(root, path string) string {
	if filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(root, path)
}

// checkSpec normalises, lints and validates the spec raw, putting into res
// every problem found (sorted), the number of operations and of schemas.
// It returns the parsed spec and the loaded document, even when it has
// problems (so that the later stages can look for theirs), or a nil
// document when the spec cannot be parsed or loaded.
func checkSpec(ctx context.Context, raw []byte, res *result, watch *stopwatch) (*spec, *openapi3.T) {
	s, problems := parseSpec(raw)
	if s == nil {
		res.Problems = problems
		return nil, nil
	}
	res.Operations = len(s.ops)
	res.Problems = s.normalize()
	brokenPathRefs := len(res.Problems) > 0
	src, err := s.source(raw)
	if err != nil {
		res.Problems = append(res.Problems, Problem{Msg: err.Error()})
		return nil, nil
	}
	lint, brokenRefs := s.lint()
	res.Problems = append(res.Problems, lint...)
	brokenRefs = brokenRefs || brokenPathRefs
	watch.lap("lint")

	doc, err := loadDoc(src)
	if err != nil {
		// A bad $ref stops the loader; those are listed already, all of them.
		if !brokenRefs {
			res.Problems = append(res.Problems, s.loadProblems(err)...)
		}
		res.Problems = sortProblems(res.Problems)
		return nil, nil
	}
	res.Problems = sortProblems(append(res.Problems, s.validate(ctx, doc)...))
	watch.lap("load+validate")
	if doc.Components != nil {
		res.Schemas = len(doc.Components.Schemas)
	}
	return s, doc
}

// serviceFiles generates the service layer from s and code, the generated
// client. It reads the handwritten files of the service layer's package
// first, since the generated names must keep clear of the names declared
// there. What the spec makes impossible comes back as problems, one per
// operation; the error is regen's own failure.
func serviceFiles(o *options, cfg config, s *spec, code []byte, specName string) (map[string][]byte, []Problem, error) {
	taken, err := handwrittenNames(o.servicesDir)
	if err != nil {
		return nil, nil, err
	}
	services, err := generateServices(s, code, taken)
	if err != nil {
		return nil, s.serviceProblems(err), nil
	}
	l, err := newLayout(o, cfg, specName)
	if err != nil {
		return nil, nil, err
	}
	return l.relocate(services), nil, nil
}

// compare returns one message per generated file whose committed copy under
// root is missing or differs.
func compare(root string, files map[string][]byte) ([]string, error) {
	var stale []string
	for _, name := range sortedKeys(files) {
		have, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
		switch {
		case errors.Is(err, os.ErrNotExist):
			stale = append(stale, name+" is missing")
		case err != nil:
			return nil, err
		case !bytes.Equal(have, files[name]):
			stale = append(stale, fmt.Sprintf("%s differs from what the spec generates (first difference at line %d)", name, firstDiffLine(have, files[name])))
		}
	}
	return stale, nil
}

func firstDiffLine(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for i < n && a[i] == b[i] {
		i++
	}
	return bytes.Count(a[:i], []byte("\n")) + 1
}

// writeIfChanged writes data to path through a temporary file and a rename,
// and leaves the file alone (and its timestamp, which keeps build caches
// warm) when it already holds data.
func writeIfChanged(path string, data []byte) (bool, error) {
	if have, err := os.ReadFile(path); err == nil && bytes.Equal(have, data) {
		return false, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return false, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".regen-*.go.tmp")
	if err != nil {
		return false, err
	}
	// After the rename there is nothing left to remove; before it, the
	// temporary file is litter whose removal error would hide the real one.
	defer func() { _ = os.Remove(tmp.Name()) }()
	if _, err := tmp.Write(data); err != nil {
		_ = tmp.Close()
		return false, err
	}
	if err := tmp.Chmod(0o644); err != nil {
		_ = tmp.Close()
		return false, err
	}
	if err := tmp.Close(); err != nil {
		return false, err
	}
	return true, os.Rename(tmp.Name(), path)
}

// findModuleRoot walks up from dir to the first directory with a go.mod.
func findModuleRoot(dir string) (string, error) {
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("no go.mod in %s or any parent; run regen inside the module or pass -root", dir)
		}
		d = parent
	}
}

// relName shows path relative to root when it is inside it.
func relName(root, path string) string {
	if rel, err := filepath.Rel(root, path); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return path
}
