package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// census counts how much of what the API answers the spec types. It is the
// measure behind every change to the depth of the spec: run
//
//	go test ./cmd/regen -run TestCensusOfTheSpec -v
//
// to print the figures for api/openapi.yaml.
type census struct {
	// OpenObjects are the distinct places in response schemas where an
	// object (or a value of no type) declares no fields, so that the
	// generated client hands it over as map[string]any or interface{}.
	// A place is the component that holds it and the path inside that
	// component, so a component used by many answers counts once.
	OpenObjects []string
	// EnumSchemas are the component schemas that list their values.
	EnumSchemas []string
	// EnumValues is the number of values over all EnumSchemas.
	EnumValues int
	// TypedPaths is the number of distinct property paths, from each
	// response body down through every $ref, whose schema is not open.
	TypedPaths int
	// OpenPaths is the number of such paths that end in an open object.
	OpenPaths int
}

// TypedShare is the share of the response property paths that are typed.
func (c census) TypedShare() float64 {
	if c.TypedPaths+c.OpenPaths == 0 {
		return 0
	}
	return float64(c.TypedPaths) / float64(c.TypedPaths+c.OpenPaths)
}

func (c census) String() string {
	return fmt.Sprintf("open objects in responses: %d\nenum schemas: %d (%d values)\ntyped response property paths: %d\nopen response property paths: %d\ntyped share: %.1f%%",
		len(c.OpenObjects), len(c.EnumSchemas), c.EnumValues, c.TypedPaths, c.OpenPaths, 100*c.TypedShare())
}

// countSpec takes the census of a loaded spec.
func countSpec(doc *openapi3.T) census {
	var c census
	var schemas openapi3.Schemas
	if doc.Components != nil {
		schemas = doc.Components.Schemas
	}
	for _, name := range sortedKeys(schemas) {
		if s := schemas[name].Value; s != nil && len(s.Enum) > 0 {
			c.EnumSchemas = append(c.EnumSchemas, name)
			c.EnumValues += len(s.Enum)
		}
	}

	w := censusWalk{open: map[string]bool{}, typed: map[string]bool{}, openPaths: map[string]bool{}}
	for _, root := range responseRoots(doc) {
		if isOpen(root.ref.Value) {
			w.open[root.name] = true
			continue
		}
		w.schema(root.ref, root.name, root.name, "", map[string]bool{})
	}
	c.OpenObjects = sortedKeys(w.open)
	c.TypedPaths = len(w.typed)
	c.OpenPaths = len(w.openPaths)
	return c
}

type responseRoot struct {
	name string
	ref  *openapi3.SchemaRef
}

// responseRoots lists every JSON response body schema once: a component by
// its name, an inline schema by its operation and status.
func responseRoots(doc *openapi3.T) []responseRoot {
	seen := map[string]bool{}
	var roots []responseRoot
	for _, path := range doc.Paths.InMatchingOrder() {
		ops := doc.Paths.Value(path).Operations()
		for _, method := range sortedKeys(ops) {
			op := ops[method]
			if op.Responses == nil {
				continue
			}
			for status, resp := range op.Responses.Map() {
				if resp.Value == nil {
					continue
				}
				for ct, mt := range resp.Value.Content {
					if !strings.Contains(ct, "json") || mt.Schema == nil {
						continue
					}
					name := componentName(mt.Schema.Ref)
					if name == "" {
						name = op.OperationID + " " + status
					}
					if !seen[name] {
						seen[name] = true
						roots = append(roots, responseRoot{name, mt.Schema})
					}
				}
			}
		}
	}
	sort.Slice(roots, func(i, j int) bool { return roots[i].name < roots[j].name })
	return roots
}

func componentName(ref string) string {
	const prefix = "#/components/schemas/"
	if strings.HasPrefix(ref, prefix) {
		return ref[len(prefix):]
	}
	return ""
}

type censusWalk struct {
	open      map[string]bool // places: component + path inside it
	typed     map[string]bool // full paths from a response root
	openPaths map[string]bool
}

// schema walks one schema. full is the path from the response root, owner
// the component that holds the schema and rel the path inside it; stack
// holds the components being walked, so recursive schemas end.
func (w *censusWalk) schema(ref *openapi3.SchemaRef, full, owner, rel string, stack map[string]bool) {
	if ref == nil || ref.Value == nil {
		return
	}
	if name := componentName(ref.Ref); name != "" {
		if stack[name] {
			return
		}
		stack[name] = true
		defer delete(stack, name)
		owner, rel = name, ""
	}
	s := ref.Value
	for _, group := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
		for _, sub := range group {
			w.schema(sub, full, owner, rel, stack)
		}
	}
	if s.Items != nil {
		if isOpen(s.Items.Value) {
			w.openPaths[full+"[]"] = true
			w.open[openPlace(s.Items, owner, rel+"[]")] = true
		} else {
			w.schema(s.Items, full+"[]", owner, rel+"[]", stack)
		}
	}
	if ap := s.AdditionalProperties.Schema; ap != nil && !isOpen(ap.Value) {
		w.schema(ap, full+"{}", owner, rel+"{}", stack)
	}
	for _, name := range sortedKeys(s.Properties) {
		prop := s.Properties[name]
		p, r := full+"."+name, rel+"."+name
		if isOpen(prop.Value) {
			w.openPaths[p] = true
			w.open[openPlace(prop, owner, r)] = true
			continue
		}
		w.typed[p] = true
		w.schema(prop, p, owner, r, stack)
	}
}

// place names where an open schema is declared: its own component, or the
// component and path that hold it inline.
func openPlace(ref *openapi3.SchemaRef, owner, rel string) string {
	if n := componentName(ref.Ref); n != "" {
		return n
	}
	return owner + rel
}

// isOpen reports whether a schema leaves its contents unsaid: an object, or
// a value of no type, with no fields, items, composition, enum or typed map.
func isOpen(s *openapi3.Schema) bool {
	if s == nil {
		return true
	}
	if s.Type != nil && !s.Type.Is("object") {
		return false
	}
	if len(s.Properties) > 0 || s.Items != nil || len(s.Enum) > 0 ||
		len(s.AllOf) > 0 || len(s.OneOf) > 0 || len(s.AnyOf) > 0 {
		return false
	}
	if ap := s.AdditionalProperties.Schema; ap != nil && !isOpen(ap.Value) {
		return false
	}
	return true
}
