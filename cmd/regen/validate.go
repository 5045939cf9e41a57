package main

import (
	"context"
	"errors"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"
)

func init() {
	// Keep kin-openapi's messages to one line: without this every schema
	// error carries a JSON dump of the schema and of the value.
	openapi3.SchemaErrorDetailsDisabled = true
}

// loadDoc loads the spec with kin-openapi the way oapi-codegen's own loader
// does (with source locations), but refusing references to other files or
// URLs: the spec is self-contained.
func loadDoc(raw []byte) (*openapi3.T, error) {
	l := openapi3.NewLoader()
	l.IncludeOrigin = true
	l.IsExternalRefsAllowed = false
	return l.LoadFromData(raw)
}

// loadProblem turns a loader failure into a problem, with the line when the
// message carries one.
func (s *spec) loadProblems(err error) []Problem {
	msg := err.Error()
	// kin-openapi tries JSON first and then YAML; the JSON attempt's
	// complaint about the first character is noise.
	if i := strings.LastIndex(msg, "yaml error: "); i >= 0 {
		msg = msg[i+len("yaml error: "):]
	}
	for _, noise := range []string{"error unmarshaling JSON: ", "while decoding JSON: ", "json: "} {
		msg = strings.ReplaceAll(msg, noise, "")
	}
	msg = "kin-openapi cannot load the spec: " + oneLine(msg)
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return []Problem{{Line: s.sourceLine(line), Msg: msg}}
	}
	// "cannot unmarshal string into field Schema.required of type []string":
	// point at every "required" whose value has the wrong shape.
	if m := unmarshalRE.FindStringSubmatch(msg); m != nil {
		want := expectedKind(m[2])
		var ps []Problem
		walk(s.root, nil, func(keys []string, k, v *yaml.Node) {
			if k.Value == m[1] && want != 0 && v.Kind != want && !inProperties(keys) && len(ps) < 10 &&
				(m[1] != "required" || m[2] != "[]string" || isSchemaPath(keys[:len(keys)-1])) {
				ps = append(ps, Problem{Line: k.Line, Where: s.describe(keys), Msg: msg})
			}
		})
		if len(ps) > 0 {
			return ps
		}
	}
	return []Problem{{Msg: msg}}
}

// isSchemaPath reports whether the node at keys is a schema (as opposed to,
// say, a parameter, whose required is a boolean).
func isSchemaPath(keys []string) bool {
	n := len(keys)
	switch {
	case n >= 1 && (keys[n-1] == "schema" || keys[n-1] == "items" || keys[n-1] == "not" || keys[n-1] == "additionalProperties"):
		return true
	case n >= 2 && (keys[n-2] == "properties" || keys[n-2] == "allOf" || keys[n-2] == "oneOf" || keys[n-2] == "anyOf"):
		return true
	case n == 3 && keys[0] == "components" && keys[1] == "schemas":
		return true
	}
	return false
}

var unmarshalRE = regexp.MustCompile(`into field \w+\.(\w+) of type (\S+)`)

// expectedKind is the YAML node kind a Go type is decoded from, or 0.
func expectedKind(goType string) yaml.Kind {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return yaml.SequenceNode
	case strings.HasPrefix(goType, "map["), strings.Contains(goType, "."):
		return yaml.MappingNode
	case goType == "string", goType == "bool", strings.HasPrefix(goType, "int"),
		strings.HasPrefix(goType, "uint"), strings.HasPrefix(goType, "float"):
		return yaml.ScalarNode
	}
	return 0
}

// scope is where in the document a validation error was raised.
type scope struct {
	section, name string // component section (plural, as in the YAML) and name
	path, method  string
}

// componentSections maps kin-openapi's singular component kinds back to the
// section keys of the YAML.
var componentSections = map[string]string{}

func init() {
	for plural, singular := range componentKinds {
		componentSections[singular] = plural
	}
}

// validate runs kin-openapi's validation on the whole document with every
// error collected, then once more on each component and each operation on
// its own, because some validators still stop at their first error. The
// second pass finds what the first hid; duplicates are dropped later.
func (s *spec) validate(ctx context.Context, doc *openapi3.T) []Problem {
	multi := openapi3.EnableMultiError()
	var ps []Problem
	add := func(err error, sc scope) { ps = append(ps, s.explain(err, sc)...) }

	add(doc.Validate(ctx, multi), scope{})

	if c := doc.Components; c != nil {
		for _, name := range sortedKeys(c.Schemas) {
			add(c.Schemas[name].Validate(ctx, multi), scope{section: "schemas", name: name})
		}
		for _, name := range sortedKeys(c.Parameters) {
			add(c.Parameters[name].Validate(ctx, multi), scope{section: "parameters", name: name})
		}
		for _, name := range sortedKeys(c.RequestBodies) {
			add(c.RequestBodies[name].Validate(ctx, multi), scope{section: "requestBodies", name: name})
		}
		for _, name := range sortedKeys(c.Responses) {
			add(c.Responses[name].Validate(ctx, multi), scope{section: "responses", name: name})
		}
		for _, name := range sortedKeys(c.Headers) {
			add(c.Headers[name].Validate(ctx, multi), scope{section: "headers", name: name})
		}
		for _, name := range sortedKeys(c.SecuritySchemes) {
			add(c.SecuritySchemes[name].Validate(ctx, multi), scope{section: "securitySchemes", name: name})
		}
	}
	if doc.Paths != nil {
		for _, path := range doc.Paths.Keys() {
			item := doc.Paths.Value(path)
			if item == nil {
				continue
			}
			ops := item.Operations()
			for _, method := range sortedKeys(ops) {
				add(ops[method].Validate(ctx, multi), scope{path: path, method: method})
			}
		}
	}
	return ps
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// explain flattens a (possibly multi-) error into problems, reading the
// context wrappers kin-openapi puts around each leaf to say where it is.
func (s *spec) explain(err error, sc scope) []Problem {
	for err != nil {
		switch e := err.(type) {
		case openapi3.MultiError:
			var ps []Problem
			for _, sub := range e {
				ps = append(ps, s.explain(sub, sc)...)
			}
			return ps
		case *openapi3.SectionValidationError:
			err = e.Cause
		case *openapi3.ComponentValidationError:
			if sec := componentSections[e.Section]; sec != "" {
				sc.section, sc.name = sec, e.Name
			}
			err = e.Cause
		case *openapi3.PathValidationError:
			sc.path = e.Path
			err = e.Cause
		case *openapi3.OperationValidationError:
			sc.method = e.Method
			err = e.Cause
		default:
			var dup *openapi3.DuplicateOperationIDError
			if errors.As(err, &dup) {
				return nil // the operationId lint reports these, with both places
			}
			return []Problem{s.locate(err, sc)}
		}
	}
	return nil
}

// locate builds the problem for a leaf error raised in sc.
func (s *spec) locate(err error, sc scope) Problem {
	p := Problem{Msg: oneLine(err.Error())}
	switch {
	case sc.section != "":
		p.Where = componentKinds[sc.section] + " " + sc.name
		p.Line = s.lineOf("components", sc.section, sc.name)
	case sc.path != "" && sc.method != "":
		if op, ok := s.operationAt(sc.path, sc.method); ok {
			p.Where, p.Line = op.String(), op.Line
		} else {
			p.Where = "operation " + strings.ToUpper(sc.method) + " " + sc.path
			p.Line = s.lineOf("paths", sc.path)
		}
	case sc.path != "":
		p.Where = "path " + sc.path
		p.Line = s.lineOf("paths", sc.path)
	}
	// A more precise line, when kin-openapi recorded where the offending
	// element is.
	// That line also tells whose fault it is: an error in a schema shows up
	// again in every operation that refers to it, and is reported once, on
	// the schema.
	if line := s.sourceLine(originLine(err)); line > 0 {
		p.Line = line
		if owner := s.ownerOf(line); owner != "" {
			p.Where = owner
		}
	}
	return p
}

var originType = reflect.TypeFor[*openapi3.Origin]()

// originLine returns the line of the innermost error in err's chain that
// carries a source location (kin-openapi's typed errors have an Origin field
// when the document was loaded with IncludeOrigin).
func originLine(err error) int {
	line := 0
	for e := err; e != nil; e = errors.Unwrap(e) {
		v := reflect.ValueOf(e)
		if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
			continue
		}
		f := v.Elem().FieldByName("Origin")
		if !f.IsValid() || f.Type() != originType || f.IsNil() {
			continue
		}
		if o := f.Interface().(*openapi3.Origin); o.Key != nil && o.Key.Line > 0 {
			line = o.Key.Line
		}
	}
	return line
}

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	s = strings.Join(strings.Fields(s), " ")
	const max = 400
	if len(s) > max {
		s = s[:max] + "..."
	}
	return s
}
