package main

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Problem is one thing wrong with the spec, located as precisely as we can.
type Problem struct {
	Line  int    // 1-based line in the spec file; 0 when unknown
	Where string // "operation getFoo (GET /foo)", "schema Foo", ...; empty for the document as a whole
	Msg   string // what is wrong and, where it is not obvious, what to do about it
}

// Format renders the problem as "file:line: where: message".
func (p Problem) Format(file string) string {
	var b strings.Builder
	b.WriteString(file)
	if p.Line > 0 {
		b.WriteString(":" + strconv.Itoa(p.Line))
	}
	b.WriteString(": ")
	if p.Where != "" {
		b.WriteString(p.Where + ": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// sortProblems orders problems by line and drops exact duplicates, which
// appear when the same fault is found both by the document-wide validation
// and by the per-operation or per-schema pass.
func sortProblems(ps []Problem) []Problem {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.Line != b.Line {
			// Problems without a line go last.
			if a.Line == 0 || b.Line == 0 {
				return b.Line == 0
			}
			return a.Line < b.Line
		}
		if a.Where != b.Where {
			return a.Where < b.Where
		}
		return a.Msg < b.Msg
	})
	out := ps[:0]
	seen := map[Problem]bool{}
	for _, p := range ps {
		if seen[p] {
			continue
		}
		seen[p] = true
		out = append(out, p)
	}
	return out
}

// httpMethods are the operation keys of a path item, in the order the
// OpenAPI specification lists them.
var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// operation is one operation found in the YAML tree.
type operation struct {
	ID     string // operationId as written; may be empty
	Method string // upper case
	Path   string
	Line   int        // line of the method key
	Node   *yaml.Node // the operation's mapping node
}

func (o operation) String() string {
	if o.ID == "" {
		return fmt.Sprintf("operation %s %s", o.Method, o.Path)
	}
	return fmt.Sprintf("operation %s (%s %s)", o.ID, o.Method, o.Path)
}

// spec is the spec parsed as a plain YAML tree. Every lint works on this tree
// rather than on kin-openapi's model so that it still runs, and still knows
// line numbers, when kin-openapi cannot load the document at all (a $ref to
// a missing component, for instance, stops the loader at the first one).
type spec struct {
	root *yaml.Node // the top-level mapping
	ops  []operation

	spans []span // built on first use by ownerOf

	changed bool        // normalize rewrote the tree
	lines   map[int]int // lines of the rewritten tree's text -> the spec's
}

// span is the lines an operation or a component occupies.
type span struct {
	first, last int
	owner       string
}

var yamlLineRE = regexp.MustCompile(`line (\d+)`)

// parseSpec parses raw as YAML (JSON is YAML too). A syntax error is returned
// as a problem with the line the parser reported.
func parseSpec(raw []byte) (*spec, []Problem) {
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		p := Problem{Msg: "not valid YAML: " + err.Error()}
		if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
			p.Line, _ = strconv.Atoi(m[1])
		}
		return nil, []Problem{p}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || deref(doc.Content[0]).Kind != yaml.MappingNode {
		return nil, []Problem{{Line: 1, Msg: "the spec must be a YAML mapping with openapi, info and paths at the top level"}}
	}
	s := &spec{root: deref(doc.Content[0])}
	if _, paths := lookup(s.root, "paths"); paths != nil && paths.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(paths.Content); i += 2 {
			path, item := paths.Content[i].Value, deref(paths.Content[i+1])
			if item.Kind != yaml.MappingNode {
				continue
			}
			for _, m := range httpMethods {
				k, v := lookup(item, m)
				if v == nil || v.Kind != yaml.MappingNode {
					continue
				}
				op := operation{Method: strings.ToUpper(m), Path: path, Line: k.Line, Node: v}
				if _, id := lookup(v, "operationId"); id != nil {
					op.ID = id.Value
				}
				s.ops = append(s.ops, op)
			}
		}
	}
	return s, nil
}

func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// lookup returns the key and value nodes of key in mapping n, or nils.
func lookup(n *yaml.Node, key string) (k, v *yaml.Node) {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i], deref(n.Content[i+1])
		}
	}
	return nil, nil
}

// at follows keys from the root and returns the value node, or nil.
func (s *spec) at(keys ...string) *yaml.Node {
	n := s.root
	for _, k := range keys {
		if n = deref(n); n == nil {
			return nil
		}
		switch n.Kind {
		case yaml.MappingNode:
			_, n = lookup(n, k)
		case yaml.SequenceNode:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(n.Content) {
				return nil
			}
			n = deref(n.Content[i])
		default:
			return nil
		}
	}
	return n
}

// lineOf returns the line of the key that holds the value at keys (the line
// a person would look at), or 0 when there is no such element.
func (s *spec) lineOf(keys ...string) int {
	if len(keys) == 0 {
		return 1
	}
	parent := s.at(keys[:len(keys)-1]...)
	if parent == nil {
		return 0
	}
	last := keys[len(keys)-1]
	switch parent.Kind {
	case yaml.MappingNode:
		if k, _ := lookup(parent, last); k != nil {
			return k.Line
		}
	case yaml.SequenceNode:
		if i, err := strconv.Atoi(last); err == nil && i >= 0 && i < len(parent.Content) {
			return parent.Content[i].Line
		}
	}
	return 0
}

// operationAt returns the operation at paths/<path>/<method>, if any.
func (s *spec) operationAt(path, method string) (operation, bool) {
	for _, op := range s.ops {
		if op.Path == path && strings.EqualFold(op.Method, method) {
			return op, true
		}
	}
	return operation{}, false
}

// componentKinds maps the component sections to the singular a message uses.
var componentKinds = map[string]string{
	"schemas":         "schema",
	"responses":       "response",
	"parameters":      "parameter",
	"examples":        "example",
	"requestBodies":   "request body",
	"headers":         "header",
	"securitySchemes": "security scheme",
	"links":           "link",
	"callbacks":       "callback",
}

// describe names the element at a YAML key path for a person: the operation
// or component it belongs to, then the rest of the path inside it.
func (s *spec) describe(keys []string) string {
	var head string
	rest := keys
	switch {
	case len(keys) >= 3 && keys[0] == "paths":
		if op, ok := s.operationAt(keys[1], keys[2]); ok {
			head, rest = op.String(), keys[3:]
		} else {
			head, rest = "path "+keys[1], keys[2:]
		}
	case len(keys) >= 2 && keys[0] == "paths":
		head, rest = "path "+keys[1], keys[2:]
	case len(keys) >= 3 && keys[0] == "components":
		kind := componentKinds[keys[1]]
		if kind == "" {
			kind = keys[1]
		}
		head, rest = kind+" "+keys[2], keys[3:]
	}
	if len(rest) == 0 {
		return head
	}
	if head == "" {
		return strings.Join(rest, ".")
	}
	return head + ", at " + strings.Join(rest, ".")
}

// walk calls fn for every key/value pair of every mapping in the tree, with
// the key path leading to the value.
func walk(n *yaml.Node, keys []string, fn func(keys []string, k, v *yaml.Node)) {
	n = deref(n)
	if n == nil {
		return
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], deref(n.Content[i+1])
			// Appending to a clipped slice copies it: siblings never share keys.
			sub := append(slices.Clip(keys), k.Value)
			fn(sub, k, v)
			walk(v, sub, fn)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			walk(c, append(slices.Clip(keys), strconv.Itoa(i)), fn)
		}
	}
}

// inProperties reports whether the last key of keys names a property (so
// that a property called "enum" or "$ref" is not taken for the keyword).
func inProperties(keys []string) bool {
	return len(keys) >= 2 && keys[len(keys)-2] == "properties"
}

// lastLine is the last line any node under n starts on.
func lastLine(n *yaml.Node) int {
	last := n.Line
	for _, c := range n.Content {
		last = max(last, lastLine(c))
	}
	return last
}

// ownerOf names the operation or component whose text contains line, or ""
// when the line is outside all of them.
func (s *spec) ownerOf(line int) string {
	if s.spans == nil {
		for _, op := range s.ops {
			s.spans = append(s.spans, span{op.Line, lastLine(op.Node), op.String()})
		}
		if comps := s.at("components"); comps != nil && comps.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(comps.Content); i += 2 {
				section, sec := comps.Content[i].Value, deref(comps.Content[i+1])
				if sec.Kind != yaml.MappingNode || componentKinds[section] == "" {
					continue
				}
				for j := 0; j+1 < len(sec.Content); j += 2 {
					k, v := sec.Content[j], sec.Content[j+1]
					s.spans = append(s.spans, span{k.Line, lastLine(v), componentKinds[section] + " " + k.Value})
				}
			}
		}
	}
	for _, sp := range s.spans {
		if sp.first <= line && line <= sp.last {
			return sp.owner
		}
	}
	return ""
}
