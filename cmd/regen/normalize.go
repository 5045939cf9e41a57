package main

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"

	"gopkg.in/yaml.v3"
)

// Vendors write specs that OpenAPI 3.0 allows, or tolerates, but that
// kin-openapi's validation or oapi-codegen refuse. normalize rewrites two
// such shapes in the YAML tree before anything else reads it:
//
//   - A $ref into #/paths/ (a parameter or a response reused from another
//     operation), which oapi-codegen cannot follow, is replaced by a copy
//     of what it points at. Inlined, it generates what a component would:
//     the generator names a parameter by its name and a response by its
//     operation, not by where they were declared; and it invents no
//     component name that could collide with the vendor's.
//   - A $ref with sibling keys, which OpenAPI 3.0 says to ignore and
//     kin-openapi's validation refuses, loses its siblings, as the
//     standard says, except nullable: true beside a schema $ref. That one
//     changes what a client must accept (null, where the bare $ref would
//     make a required field refuse it), so the $ref is wrapped as
//     allOf: [$ref] with nullable beside it, the form oapi-codegen reads
//     as a nullable reference; the other siblings (description, default,
//     example, ...) only describe and are dropped.
//
// The rewritten nodes keep the lines of the spec's text, so that lint and
// services still point at what the author wrote.
func (s *spec) normalize() []Problem {
	// A copied target may hold $refs of its own: another pass sees them.
	for range 10 {
		ps, changed := s.normalizeOnce()
		if len(ps) > 0 || !changed {
			return ps
		}
		s.changed = true
	}
	return nil
}

// normalizeOnce rewrites the $refs the tree holds now, and reports whether
// it changed any.
func (s *spec) normalizeOnce() (ps []Problem, changed bool) {
	var refs []refSite
	walkMappings(s.root, nil, func(keys []string, n *yaml.Node) {
		if k, v := lookup(n, "$ref"); k != nil && v.Kind == yaml.ScalarNode && (len(keys) == 0 || keys[len(keys)-1] != "properties") {
			refs = append(refs, refSite{keys, n, v.Value, k.Line})
		}
	})
	for _, r := range refs {
		if !strings.HasPrefix(r.ref, "#/paths/") {
			changed = s.settleSiblings(r) || changed
			continue
		}
		p, ok := s.inlinePathRef(r)
		if !ok {
			ps = append(ps, p)
			continue
		}
		changed = true
	}
	return ps, changed
}

// refSite is a mapping holding a $ref, at keys.
type refSite struct {
	keys []string
	node *yaml.Node
	ref  string
	line int
}

// walkMappings calls fn for every mapping node in the tree, with the key
// path leading to it.
func walkMappings(n *yaml.Node, keys []string, fn func(keys []string, n *yaml.Node)) {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		if n != nil && n.Kind == yaml.SequenceNode {
			for i, c := range n.Content {
				walkMappings(c, append(keys[:len(keys):len(keys)], fmt.Sprint(i)), fn)
			}
		}
		return
	}
	fn(keys, n)
	for i := 0; i+1 < len(n.Content); i += 2 {
		walkMappings(n.Content[i+1], append(keys[:len(keys):len(keys)], n.Content[i].Value), fn)
	}
}

// inlinePathRef replaces the mapping of r, a $ref into #/paths/, by a copy
// of its target, following the target's own $refs into #/paths/. It
// returns the problem when the $ref points at nothing.
func (s *spec) inlinePathRef(r refSite) (Problem, bool) {
	target := r.node
	ref := r.ref
	for range 10 {
		target = s.at(pointerKeys(ref)...)
		if target == nil {
			return Problem{Line: r.line, Where: s.describe(r.keys), Msg: fmt.Sprintf(
				"$ref %q points at nothing in this document; fix the pointer (each / in a path is written ~1)", r.ref)}, false
		}
		_, next := lookup(target, "$ref")
		if next == nil || !strings.HasPrefix(next.Value, "#/paths/") {
			break
		}
		ref = next.Value
	}
	*r.node = *copyNode(target)
	return Problem{}, true
}

// pointerKeys splits a local JSON pointer (#/a/b~1c) into its keys. In a
// URI fragment the braces of a path template may be percent-encoded
// (~1thing~1%7BthingId%7D), and vendors write it either way.
func pointerKeys(ref string) []string {
	keys := strings.Split(strings.TrimPrefix(ref, "#/"), "/")
	for i, k := range keys {
		if u, err := url.PathUnescape(k); err == nil {
			k = u
		}
		keys[i] = strings.ReplaceAll(strings.ReplaceAll(k, "~1", "/"), "~0", "~")
	}
	return keys
}

// copyNode is a deep copy of n, lines included.
func copyNode(n *yaml.Node) *yaml.Node {
	c := *n
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, sub := range n.Content {
		c.Content[i] = copyNode(sub)
	}
	return &c
}

// settleSiblings drops the siblings of the $ref of r or, for nullable
// beside a schema $ref, wraps it as allOf (see normalize). It reports
// whether it changed anything.
func (s *spec) settleSiblings(r refSite) bool {
	if len(r.node.Content) == 2 {
		return false
	}
	refKey, refValue := lookup(r.node, "$ref")
	_, nullable := lookup(r.node, "nullable")
	if nullable != nil && nullable.Value == "true" && strings.HasPrefix(r.ref, "#/components/schemas/") {
		wrapped := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: r.line, Content: []*yaml.Node{refKey, refValue}}
		r.node.Content = []*yaml.Node{
			{Kind: yaml.ScalarNode, Tag: "!!str", Value: "allOf", Line: r.line},
			{Kind: yaml.SequenceNode, Tag: "!!seq", Line: r.line, Content: []*yaml.Node{wrapped}},
			{Kind: yaml.ScalarNode, Tag: "!!str", Value: "nullable", Line: nullable.Line},
			nullable,
		}
		return true
	}
	r.node.Content = []*yaml.Node{refKey, refValue}
	return true
}

// source is the text of the normalised tree, for kin-openapi and the
// generator, with s.lines mapping its lines back to the spec's. When
// normalize changed nothing, it is raw itself, and no line moves.
func (s *spec) source(raw []byte) ([]byte, error) {
	if !s.changed {
		return raw, nil
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(s.root); err != nil {
		return nil, fmt.Errorf("writing the normalised spec: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	var again yaml.Node
	if err := yaml.Unmarshal(b.Bytes(), &again); err != nil {
		return nil, fmt.Errorf("reading the normalised spec back: %w", err)
	}
	s.lines = map[int]int{}
	mapLines(s.lines, deref(again.Content[0]), s.root)
	return b.Bytes(), nil
}

// mapLines records, for every node of the re-read tree, the line of the
// same node in the tree it was written from (the two have one shape).
func mapLines(lines map[int]int, written, from *yaml.Node) {
	if _, ok := lines[written.Line]; !ok && from.Line > 0 {
		lines[written.Line] = from.Line
	}
	for i := range min(len(written.Content), len(from.Content)) {
		mapLines(lines, written.Content[i], from.Content[i])
	}
}

// sourceLine is the line of the spec's text for line of the text that
// kin-openapi read: the same unless normalize rewrote the tree.
func (s *spec) sourceLine(line int) int {
	if s.lines == nil || line <= 0 {
		return line
	}
	for l := line; l > 0; l-- {
		if src, ok := s.lines[l]; ok {
			return src
		}
	}
	return line
}
