package main

import (
	"go/ast"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// What the service layer does with the shapes of vendors' specs that ours
// does not have.

// aliasesUUID reports whether the gen type name is, through aliases, a
// UUID: oapi-codegen declares a parameter component (a path ID declared
// once, $ref'd by every operation) as type DatabaseId =
// openapi_types.UUID, and the services must take it as the string they
// take for an inline one.
func (g *genAPI) aliasesUUID(name string) bool {
	for range 10 {
		ts, ok := g.types[name]
		if !ok || !ts.Assign.IsValid() {
			return false
		}
		switch t := ts.Type.(type) {
		case *ast.Ident:
			name = t.Name
		case *ast.SelectorExpr:
			x, ok := t.X.(*ast.Ident)
			return ok && x.Name == "openapi_types" && t.Sel.Name == "UUID"
		default:
			return false
		}
	}
	return false
}

// genMethod is the method of gen's ClientWithResponses that m calls: the
// typed one, or for a body that is not JSON, the one taking its bytes.
func (m *svcMethod) genMethod() string {
	if m.rawBody != "" {
		return m.goName + "WithBodyWithResponse"
	}
	return m.goName + "WithResponse"
}

// rawBodyType is the media type of op's request body when gen has no typed
// method for it, which is so when no media type of the body is JSON
// (application/x-yaml, text/plain, application/octet-stream, multipart):
// the first the spec lists, the one the method sends.
func rawBodyType(op operation) string {
	content := mapValue(mapValue(op.Node, "requestBody"), "content")
	if content == nil || content.Kind != yaml.MappingNode || len(content.Content) == 0 {
		return ""
	}
	return content.Content[0].Value
}

// passRawBody makes the media type of a body taken as an io.Reader the
// constant the call passes, except for multipart, whose media type names
// the boundary that the caller's multipart.Writer chose: the caller gives
// it, as contentType.
func (m *svcMethod) passRawBody() {
	if m.rawBody == "" || strings.HasPrefix(m.rawBody, "multipart/") {
		return
	}
	lit := strconv.Quote(m.rawBody)
	for i := range m.callArgs {
		if m.callArgs[i].genName == "contentType" {
			m.callArgs[i].literal = lit
		}
	}
	m.args = slices.DeleteFunc(m.args, func(a svcArg) bool { return a.genName == "contentType" })
}

// rawBodyDoc says, in the method's comment, what its io.Reader must hold.
func (m *svcMethod) rawBodyDoc() []string {
	switch {
	case m.rawBody == "":
		return nil
	case strings.HasPrefix(m.rawBody, "multipart/"):
		return []string{"The body is " + m.rawBody + ", as a mime/multipart.Writer writes it; contentType is",
			"that Writer's FormDataContentType(), which names the boundary."}
	}
	return []string{"The body is sent as " + m.rawBody + ", read to its end (and kept, for a retry)."}
}

// answersBytes reports whether op's first success answer has a body that
// is not JSON (a file, a log, YAML): the method returns its bytes, which
// the generated client keeps, rather than dropping them.
func answersBytes(op operation) bool {
	responses := mapValue(op.Node, "responses")
	if responses == nil || responses.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(responses.Content); i += 2 {
		if code := responses.Content[i].Value; len(code) != 3 || code[0] != '2' {
			continue
		}
		content := mapValue(deref(responses.Content[i+1]), "content")
		if content == nil || content.Kind != yaml.MappingNode {
			return false
		}
		for j := 0; j+1 < len(content.Content); j += 2 {
			if !strings.Contains(content.Content[j].Value, "json") {
				return true
			}
		}
		return false
	}
	return false
}
