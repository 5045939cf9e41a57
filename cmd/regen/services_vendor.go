package main

import "go/ast"

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
