package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"
)

// A vendor's spec is often split over several files joined by relative
// $refs (paths/widget.yaml, schemas.yaml#/Widget). bundle joins them into
// one document with kin-openapi, which loads the files and moves what they
// hold into components (InternalizeRefs); everything after it reads that
// one document as if it were the spec. Its lines are those of the bundle,
// which regen says when it reports a problem.

// bundled is a spec joined from several files.
type bundled struct {
	raw   []byte   // the one document
	files []string // the files it was joined from, the spec first
}

// bundle returns the spec at specPath, whose text is raw, joined with the
// files its $refs name; nil when it names none, so that a spec in one file
// is read exactly as written. What is wrong with the $refs comes back as
// problems, all of them: each missing file, each pointer into a file that
// points at nothing.
func bundle(ctx context.Context, specPath string, raw []byte) (*bundled, []Problem) {
	files, ps := externalFiles(specPath, raw)
	if len(files) == 0 || len(ps) > 0 {
		return nil, ps
	}
	l := openapi3.NewLoader()
	l.Context = ctx
	l.IsExternalRefsAllowed = true
	l.ReadFromURIFunc = readLocalFile
	doc, err := l.LoadFromFile(specPath)
	if err != nil {
		return nil, []Problem{{Msg: "kin-openapi cannot join the files of the spec: " + oneLine(err.Error())}}
	}
	doc.InternalizeRefs(ctx, componentNamer(doc))
	out, err := marshalDoc(doc)
	if err != nil {
		return nil, []Problem{{Msg: "writing the joined spec: " + err.Error()}}
	}
	return &bundled{raw: out, files: append([]string{specPath}, files...)}, nil
}

// readLocalFile reads the files a spec refers to, and nothing remote: the
// generator configuration allows no remote $ref either.
func readLocalFile(l *openapi3.Loader, location *url.URL) ([]byte, error) {
	if location.Scheme != "" && location.Scheme != "file" || location.Host != "" {
		return nil, fmt.Errorf("$ref to %s: regen reads only local files", location.Redacted())
	}
	return openapi3.ReadFromFile(l, location)
}

func marshalDoc(doc *openapi3.T) ([]byte, error) {
	v, err := doc.MarshalYAML()
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), enc.Close()
}

var componentNameRE = regexp.MustCompile(`^[a-zA-Z0-9._-]+$`)

// componentNamer names the components InternalizeRefs makes after what the
// author wrote: schemas.yaml#/Widget becomes Widget and
// parameters/widgetId.yaml becomes widgetId, where kin-openapi's default
// would say schemas_Widget. A name already used, by the spec or by another
// file's component, falls back to the default, which keeps the file's
// name in it.
func componentNamer(doc *openapi3.T) openapi3.RefNameResolver {
	owner := map[string]string{} // section/name -> the $ref it was given to
	if c := doc.Components; c != nil {
		for section, names := range map[string][]string{
			"schemas": sortedKeys(c.Schemas), "parameters": sortedKeys(c.Parameters),
			"responses": sortedKeys(c.Responses), "requestBodies": sortedKeys(c.RequestBodies),
			"headers": sortedKeys(c.Headers), "examples": sortedKeys(c.Examples),
		} {
			for _, n := range names {
				owner[section+"/"+n] = "#/components/" + section + "/" + n
			}
		}
	}
	return func(doc *openapi3.T, ref openapi3.ComponentRef) string {
		if at, inRoot := openapi3.ReferencesComponentInRootDocument(doc, ref); inRoot {
			return at[strings.LastIndex(at, "/")+1:]
		}
		u := ref.RefPath()
		name := u.Fragment[strings.LastIndex(u.Fragment, "/")+1:]
		if name == "" {
			name = strings.TrimSuffix(filepath.Base(u.Path), filepath.Ext(u.Path))
		}
		key := ref.CollectionName() + "/" + name
		if prev, taken := owner[key]; (taken && prev != u.String()) || !componentNameRE.MatchString(name) {
			return openapi3.DefaultRefNameResolver(doc, ref)
		}
		owner[key] = u.String()
		return name
	}
}

// externalFiles lists the files the spec at specPath refers to, directly
// or through other files, checking every $ref on the way: a file that
// cannot be read or parsed, or a pointer into one that points at nothing,
// is a problem with the file and line of the $ref.
func externalFiles(specPath string, raw []byte) ([]string, []Problem) {
	var files []string
	var ps []Problem
	seen := map[string]bool{filepath.Clean(specPath): true}
	trees := map[string]*yaml.Node{}
	queue := []fileText{{specPath, raw}}
	for len(queue) > 0 {
		f := queue[0]
		queue = queue[1:]
		root, err := parseYAML(f.raw)
		if err != nil {
			ps = append(ps, Problem{Msg: fmt.Sprintf("%s: not valid YAML: %v", f.path, err)})
			continue
		}
		trees[f.path] = root
		for _, r := range externalRefs(root) {
			target, text, p := readRefTarget(f.path, r, trees)
			if p != nil && f.path == specPath {
				// In the spec itself, the line says where.
				p.Line, p.Msg = r.line, strings.TrimPrefix(p.Msg, fmt.Sprintf("%s:%d: ", f.path, r.line))
			}
			if p != nil {
				ps = append(ps, *p)
				continue
			}
			if !seen[target] {
				seen[target] = true
				files = append(files, target)
				queue = append(queue, fileText{target, text})
			}
		}
	}
	return files, ps
}

type fileText struct {
	path string
	raw  []byte
}

// externalRef is a $ref to another file, where it is written.
type externalRef struct {
	file, pointer string
	line          int
}

// externalRefs are the $refs of the tree that name another file.
func externalRefs(root *yaml.Node) []externalRef {
	var refs []externalRef
	walk(root, nil, func(keys []string, k, v *yaml.Node) {
		if k.Value != "$ref" || inProperties(keys) || v.Kind != yaml.ScalarNode || strings.HasPrefix(v.Value, "#") {
			return
		}
		file, pointer, _ := strings.Cut(v.Value, "#")
		refs = append(refs, externalRef{file, pointer, v.Line})
	})
	return refs
}

// readRefTarget reads the file r names, relative to from, and checks its
// pointer. It returns the file's clean path and text, or the problem.
func readRefTarget(from string, r externalRef, trees map[string]*yaml.Node) (string, []byte, *Problem) {
	problem := func(msg string) *Problem {
		return &Problem{Msg: fmt.Sprintf("%s:%d: $ref %q %s", from, r.line, r.file+hashed(r.pointer), msg)}
	}
	if u, err := url.Parse(r.file); err != nil || u.Scheme != "" || u.Host != "" {
		return "", nil, problem("is not a relative file; regen reads only local files")
	}
	target := filepath.Clean(filepath.Join(filepath.Dir(from), filepath.FromSlash(r.file)))
	text, err := os.ReadFile(target)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return "", nil, problem("names a file that cannot be read: " + err.Error())
	}
	if r.pointer == "" || r.pointer == "/" {
		return target, text, nil
	}
	tree := trees[target]
	if tree == nil {
		if tree, err = parseYAML(text); err != nil {
			return target, text, nil // reported when the file itself is read
		}
		trees[target] = tree
	}
	if (&spec{root: tree}).at(pointerKeys("#"+r.pointer)...) == nil {
		return "", nil, problem("points at nothing in " + filepath.Base(target))
	}
	return target, text, nil
}

func hashed(pointer string) string {
	if pointer == "" {
		return ""
	}
	return "#" + pointer
}

// parseYAML parses raw into its top node.
func parseYAML(raw []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 {
		return &yaml.Node{Kind: yaml.MappingNode}, nil
	}
	return deref(doc.Content[0]), nil
}
