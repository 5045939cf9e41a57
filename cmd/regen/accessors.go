package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"path"
	"strings"
	"text/template"
	"unicode"
)

// Getters, as go-github's accessors: most fields of an answer are pointers
// (optional in the spec, so that a request can send false or 0), and a
// reader who prints one gets an address, or a panic when it is absent.
// GetName() gives the value, or the zero value when the field or its holder
// is nil. They are methods of gen's types, since package qovery cannot
// declare methods on its aliases of them, and its aliases carry them all.
// An ID reads back as the string the services take, so that an answer's ID
// goes into the next call as it is.

// accessorsName is the getters' file, beside the generated client.
const accessorsName = "accessors.gen.go"

// getter is one method of accessors.gen.go.
type getter struct {
	Recv   string // the type, a struct of gen
	R      string // the receiver's name
	Field  string
	Result string // the result type
	Zero   string // the result's zero value
	// Kind is how the field becomes the result: "value" dereferences a
	// pointer, "pointer" returns a pointer to a struct as it is (so that
	// getters chain), "uuid" a *UUID as a string and "uuidValue" a UUID as a
	// string, "" for the nil UUID.
	Kind string
}

// accessorsFile writes the getters of every struct of gen's data, gen being
// code, the generated client in package pkg, at output. It returns the
// file's slash path beside output, its source, and the number of getters.
func accessorsFile(code []byte, output, pkg string) (string, []byte, int, error) {
	g, err := readGen(code)
	if err != nil {
		return "", nil, 0, fmt.Errorf("reading the generated client: %w", err)
	}
	getters := g.getters()
	src, err := emitAccessors(getters, output, pkg)
	if err != nil {
		return "", nil, 0, err
	}
	return path.Join(path.Dir(output), accessorsName), src, len(getters), nil
}

// getters are the getters of the fields of gen's data types, by type and
// field in order. A type alias gets none: the type it names has them.
func (g *genAPI) getters() []getter {
	var out []getter
	for _, name := range sortedKeys(g.types) {
		ts := g.types[name]
		if !ast.IsExported(name) || ts.Assign.IsValid() || g.isClientMachinery(name) {
			continue
		}
		st := g.structOf(name)
		if st == nil {
			continue
		}
		for _, f := range st.Fields.List {
			for _, id := range f.Names {
				gt, ok := g.getterOf(f.Type)
				// A field or method already named GetX keeps its name; the
				// field then goes without a getter rather than break gen.
				if !ok || !id.IsExported() || field(st, "Get"+id.Name) != nil || g.byType[name+".Get"+id.Name] {
					continue
				}
				gt.Recv, gt.R, gt.Field = name, receiverVar(name), id.Name
				out = append(out, gt)
			}
		}
	}
	return out
}

// getterOf is the getter of a field of type e, without its names; false
// when the field gets none: a required field other than an ID (read it as
// it is), a list or a map (nil reads as empty), or a type with no plain
// zero value to give.
func (g *genAPI) getterOf(e ast.Expr) (getter, bool) {
	star, isPointer := e.(*ast.StarExpr)
	if !isPointer {
		if g.isUUID(e) {
			return getter{Result: "string", Zero: `""`, Kind: "uuidValue"}, true
		}
		return getter{}, false
	}
	if g.isUUID(star.X) {
		return getter{Result: "string", Zero: `""`, Kind: "uuid"}, true
	}
	result := g.typeName(star.X)
	if result == "" {
		return getter{}, false
	}
	if id, ok := star.X.(*ast.Ident); ok && g.structOf(id.Name) != nil {
		return getter{Result: "*" + result, Zero: "nil", Kind: "pointer"}, true
	}
	zero, ok := g.zeroOf(star.X)
	if !ok {
		return getter{}, false
	}
	return getter{Result: result, Zero: zero, Kind: "value"}, true
}

// isUUID reports whether e is openapi_types.UUID or a name of gen for it.
func (g *genAPI) isUUID(e ast.Expr) bool {
	switch t := e.(type) {
	case *ast.Ident:
		return g.aliasesUUID(t.Name)
	case *ast.SelectorExpr:
		x, ok := t.X.(*ast.Ident)
		return ok && x.Name == "openapi_types" && t.Sel.Name == "UUID"
	}
	return false
}

// typeName is e as gen spells it, for a name or a qualified name; "" for
// any other type expression.
func (g *genAPI) typeName(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.Ident:
		return t.Name
	case *ast.SelectorExpr:
		if x, ok := t.X.(*ast.Ident); ok {
			return x.Name + "." + t.Sel.Name
		}
	}
	return ""
}

// zeroOf is the zero value of the scalar type e: a basic type, an enum of
// gen (a defined type over one), a time or a date; false for anything else.
func (g *genAPI) zeroOf(e ast.Expr) (string, bool) {
	switch t := e.(type) {
	case *ast.SelectorExpr:
		switch g.typeName(t) {
		case "time.Time", "openapi_types.Date":
			return g.typeName(t) + "{}", true
		case "openapi_types.Email":
			return `""`, true
		}
		return "", false
	case *ast.Ident:
		switch t.Name {
		case "string":
			return `""`, true
		case "bool":
			return "false", true
		case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "float32", "float64":
			return "0", true
		}
		ts, ok := g.types[t.Name]
		if !ok {
			return "", false
		}
		if under, ok := ts.Type.(*ast.Ident); ok && under.Name != t.Name {
			return g.zeroOf(under)
		}
	}
	return "", false
}

// receiverVar is the receiver's name for a method of typeName: its first
// letter, as gen's own methods name theirs.
func receiverVar(typeName string) string {
	for _, r := range typeName {
		return string(unicode.ToLower(r))
	}
	return "x"
}

var accessorsTemplate = template.Must(template.New("accessors").Parse(`// Code generated by cmd/regen from {{.Source}}. DO NOT EDIT.

package {{.Package}}
{{if .Imports}}
import (
{{range .Imports}}{{.}}
{{end}})
{{end}}
{{range .Getters}}
{{- if eq .Kind "value"}}
// Get{{.Field}} returns the {{.Field}} field if {{.R}} and it are non-nil, its zero value otherwise.
func ({{.R}} *{{.Recv}}) Get{{.Field}}() {{.Result}} {
	if {{.R}} == nil || {{.R}}.{{.Field}} == nil {
		return {{.Zero}}
	}
	return *{{.R}}.{{.Field}}
}
{{else if eq .Kind "pointer"}}
// Get{{.Field}} returns the {{.Field}} field if {{.R}} is non-nil, nil otherwise.
func ({{.R}} *{{.Recv}}) Get{{.Field}}() {{.Result}} {
	if {{.R}} == nil {
		return nil
	}
	return {{.R}}.{{.Field}}
}
{{else if eq .Kind "uuid"}}
// Get{{.Field}} returns the {{.Field}} field as a string if {{.R}} and it are non-nil, "" otherwise.
func ({{.R}} *{{.Recv}}) Get{{.Field}}() string {
	if {{.R}} == nil || {{.R}}.{{.Field}} == nil {
		return ""
	}
	return {{.R}}.{{.Field}}.String()
}
{{else if eq .Kind "uuidValue"}}
// Get{{.Field}} returns the {{.Field}} field as a string if {{.R}} is non-nil, "" otherwise
// or when it holds the nil UUID, which no resource has.
func ({{.R}} *{{.Recv}}) Get{{.Field}}() string {
	if {{.R}} == nil || {{.R}}.{{.Field}} == (openapi_types.UUID{}) {
		return ""
	}
	return {{.R}}.{{.Field}}.String()
}
{{end}}
{{- end}}`))

// emitAccessors renders getters as the file beside output, in package pkg.
func emitAccessors(getters []getter, output, pkg string) ([]byte, error) {
	// The imports are those the getters' types and zero values name; a
	// uuidValue getter names openapi_types.UUID in its comparison.
	var uses strings.Builder
	for _, gt := range getters {
		uses.WriteString(gt.Result + " " + gt.Zero + " " + gt.Kind + "\n")
	}
	// The standard library's imports, then a blank line, then the others,
	// as goimports groups them.
	var imports []string
	if strings.Contains(uses.String(), "time.") {
		imports = append(imports, `"time"`, "")
	}
	if strings.Contains(uses.String(), "openapi_types.") || strings.Contains(uses.String(), "uuidValue") {
		imports = append(imports, `openapi_types "github.com/oapi-codegen/runtime/types"`)
	}
	var b bytes.Buffer
	err := accessorsTemplate.Execute(&b, map[string]any{
		"Source":  output,
		"Package": pkg,
		"Imports": imports,
		"Getters": getters,
	})
	if err != nil {
		return nil, err
	}
	out, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("generated getters do not parse: %w", err)
	}
	return out, nil
}
