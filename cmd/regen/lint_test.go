package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// goodSpec is a small spec every lint accepts. Broken variants are made from
// it by replacing one marked line.
const goodSpec = `openapi: 3.0.3
info:
  title: things
  version: "1"
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - name: page
          in: query
          schema:
            type: integer
      responses:
        "200":
          description: the things
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ThingList'
    post:
      operationId: createThing
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                name:
                  type: string
      responses:
        "201":
          description: created
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Thing'
  /things/{thingId}:
    get:
      operationId: getThing
      parameters:
        - $ref: '#/components/parameters/thingId'
      responses:
        "200":
          description: one thing
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Thing'
components:
  parameters:
    thingId:
      name: thingId
      in: path
      required: true
      schema:
        type: string
        format: uuid
  schemas:
    Thing:
      type: object
      properties:
        id:
          type: string
        state:
          $ref: '#/components/schemas/State'
    ThingList:
      type: object
      properties:
        results:
          type: array
          items:
            $ref: '#/components/schemas/Thing'
    State:
      type: string
      enum: [READY, DELETED]
`

// edit returns goodSpec with old replaced by new; old must occur once.
func edit(t *testing.T, old, new string) string {
	t.Helper()
	require.Equal(t, 1, strings.Count(goodSpec, old), "fixture edit %q must match exactly once", old)
	return strings.Replace(goodSpec, old, new, 1)
}

// addSchema appends a component schema to goodSpec.
func addSchema(name, body string) string {
	return goodSpec + "    " + name + ":\n" + body
}

func lintYAML(t *testing.T, src string) []Problem {
	t.Helper()
	s, ps := parseSpec([]byte(src))
	require.Empty(t, ps, "fixture must be valid YAML")
	ps, _ = s.lint()
	return sortProblems(ps)
}

// lineOfText is the 1-based line of the first occurrence of needle in src.
func lineOfText(t *testing.T, src, needle string) int {
	t.Helper()
	i := strings.Index(src, needle)
	require.GreaterOrEqual(t, i, 0, "fixture has no %q", needle)
	return strings.Count(src[:i], "\n") + 1
}

func TestLintAcceptsGoodSpec(t *testing.T) {
	assert.Empty(t, lintYAML(t, goodSpec))
}

func TestLintOperationIDs(t *testing.T) {
	// Every case breaks the operation GET /things/{thingId}; the problem must
	// point at its method key.
	tests := []struct {
		name     string
		src      string
		where    string
		contains []string
	}{
		{
			name:     "exact duplicate",
			src:      edit(t, "operationId: getThing", "operationId: listThings"),
			where:    "operation listThings (GET /things/{thingId})",
			contains: []string{`"listThings" is already used by operation listThings (GET /things) on line 7`, "unique"},
		},
		{
			name:     "same after capitalising",
			src:      edit(t, "operationId: getThing", "operationId: ListThings"),
			where:    "operation ListThings (GET /things/{thingId})",
			contains: []string{`"ListThings" and "listThings"`, "line 7", "Go method ListThings", "rename"},
		},
		{
			name:     "same after dropping separators",
			src:      edit(t, "operationId: getThing", "operationId: list-things"),
			where:    "operation list-things (GET /things/{thingId})",
			contains: []string{"Go method ListThings"},
		},
		{
			name:     "missing",
			src:      edit(t, "      operationId: getThing\n", ""),
			where:    "operation GET /things/{thingId}",
			contains: []string{"has no operationId"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := lintYAML(t, tt.src)
			require.Len(t, ps, 1, "%v", ps)
			p := ps[0]
			assert.Equal(t, lineOfText(t, tt.src, "  /things/{thingId}:")+1, p.Line, "line of %s", p.Format("spec"))
			assert.Equal(t, tt.where, p.Where)
			for _, c := range tt.contains {
				assert.Contains(t, p.Msg, c)
			}
		})
	}
}

func TestLintTypeNameCollisions(t *testing.T) {
	object := "      type: object\n"
	tests := []struct {
		name     string
		src      string
		contains []string
	}{
		{"response wrapper", addSchema("GetThingResponse", object),
			[]string{"schema GetThingResponse", "Go type GetThingResponse", "response type of operation getThing (GET /things/{thingId})", "GetThingResult"}},
		{"params type", addSchema("ListThingsParams", object),
			[]string{"parameters type of operation listThings", "ListThingsOptions"}},
		{"inline JSON body", addSchema("CreateThingJSONBody", object),
			[]string{"inline application/json body type of operation createThing"}},
		{"JSON request body alias", addSchema("CreateThingJSONRequestBody", object),
			[]string{"application/json request body type of operation createThing"}},
		{"request builder", addSchema("NewGetThingRequest", object),
			[]string{"request builder of operation getThing"}},
		{"client type", addSchema("Client", object),
			[]string{"the generated client"}},
		{"name normalisation", addSchema("thing", object),
			[]string{"schema thing", "Go type Thing, like schema Thing on line"}},
		{"parameter component", edit(t, "  parameters:\n    thingId:", "  parameters:\n    GetThingResponse:"),
			[]string{"parameter GetThingResponse", "response type of operation getThing"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := lintYAML(t, tt.src)
			// Renaming the parameter component also breaks its $ref.
			var names []Problem
			for _, p := range ps {
				if !strings.Contains(p.Msg, "$ref") {
					names = append(names, p)
				}
			}
			require.Len(t, names, 1, "%v", ps)
			text := names[0].Format("spec")
			for _, c := range tt.contains {
				assert.Contains(t, text, c)
			}
			assert.Positive(t, names[0].Line)
		})
	}
}

func TestLintParamsOnlyWhenGenerated(t *testing.T) {
	// getThing has only a path parameter, so no GetThingParams type exists
	// and a schema may take the name.
	assert.Empty(t, lintYAML(t, addSchema("GetThingParams", "      type: object\n")))
}

func TestLintNullInEnum(t *testing.T) {
	for _, null := range []string{"null", "~", "Null"} {
		src := edit(t, "enum: [READY, DELETED]", "enum: [READY, "+null+", DELETED]")
		ps := lintYAML(t, src)
		require.Len(t, ps, 1, "%s: %v", null, ps)
		assert.Equal(t, lineOfText(t, src, "enum: [READY"), ps[0].Line)
		assert.Equal(t, "schema State, at enum", ps[0].Where)
		assert.Contains(t, ps[0].Msg, "nullable: true")
	}
	// The string "null" is a value like any other.
	assert.Empty(t, lintYAML(t, edit(t, "enum: [READY, DELETED]", `enum: [READY, "null"]`)))
}

func TestLintNullInEnumBlockStyle(t *testing.T) {
	src := edit(t, "enum: [READY, DELETED]", "nullable: true\n      enum:\n        - READY\n        -\n        - DELETED")
	ps := lintYAML(t, src)
	require.Len(t, ps, 1, "%v", ps)
	assert.Equal(t, lineOfText(t, src, "        - READY")+1, ps[0].Line)
}

func TestLintDuplicateEnumValue(t *testing.T) {
	ps := lintYAML(t, edit(t, "enum: [READY, DELETED]", "enum: [READY, DELETED, READY]"))
	require.Len(t, ps, 1, "%v", ps)
	assert.Contains(t, ps[0].Msg, `"READY" twice`)
}

func TestLintPropertyNamedLikeKeywords(t *testing.T) {
	src := addSchema("Odd", "      type: object\n      properties:\n        enum:\n          type: string\n        $ref:\n          type: string\n")
	assert.Empty(t, lintYAML(t, src))
}

func TestLintRefs(t *testing.T) {
	tests := []struct {
		name, ref, contains string
	}{
		{"other section", "#/definitions/Thing", "points outside #/components/"},
		{"other file", "things.yaml#/Thing", "points outside #/components/"},
		{"url", "https://example.com/spec.yaml#/components/schemas/Thing", "points outside #/components/"},
		{"missing", "#/components/schemas/Thingy", "does not exist; did you mean #/components/schemas/Thing?"},
		{"wrong case", "#/components/schemas/thing", "did you mean #/components/schemas/Thing?"},
		{"unknown section", "#/components/models/Thing", `"models" is not a component section`},
		{"inside a component", "#/components/schemas/Thing/properties/id", "should name a whole component"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := edit(t, "$ref: '#/components/schemas/State'", "$ref: '"+tt.ref+"'")
			ps := lintYAML(t, src)
			require.Len(t, ps, 1, "%v", ps)
			assert.Equal(t, lineOfText(t, src, tt.ref), ps[0].Line)
			assert.Equal(t, "schema Thing, at properties.state", ps[0].Where)
			assert.Contains(t, ps[0].Msg, tt.contains)
		})
	}
}

func TestLintRefInOperation(t *testing.T) {
	src := edit(t, "- $ref: '#/components/parameters/thingId'", "- $ref: '#/components/parameters/thing'")
	ps := lintYAML(t, src)
	require.Len(t, ps, 1, "%v", ps)
	assert.Equal(t, "operation getThing (GET /things/{thingId}), at parameters.0", ps[0].Where)
	assert.Contains(t, ps[0].Msg, "did you mean #/components/parameters/thingId?")
}

func TestLintPathParams(t *testing.T) {
	src := edit(t, "  /things/{thingId}:", "  /things/{id}:")
	ps := lintYAML(t, src)
	require.Len(t, ps, 2, "%v", ps)
	assert.Equal(t, lineOfText(t, src, "  /things/{id}:")+1, ps[0].Line)
	assert.Contains(t, ps[0].Msg, "the path has {id} but no parameter with name: id and in: path")
	assert.Equal(t, lineOfText(t, src, "      name: thingId"), ps[1].Line)
	assert.Contains(t, ps[1].Msg, `declares path parameter "thingId" but the path has no {thingId}`)

	// Parameters declared on the path item count too.
	src = edit(t, "    get:\n      operationId: getThing\n      parameters:\n", "    parameters:\n")
	src = strings.Replace(src, "        - $ref: '#/components/parameters/thingId'\n", "      - $ref: '#/components/parameters/thingId'\n    get:\n      operationId: getThing\n", 1)
	assert.Empty(t, lintYAML(t, src))
}

func TestLintReportsEverything(t *testing.T) {
	src := edit(t, "enum: [READY, DELETED]", "enum: [READY, null]")
	src = strings.Replace(src, "operationId: getThing", "operationId: ListThings", 1)
	src = strings.Replace(src, "$ref: '#/components/schemas/State'", "$ref: '#/definitions/State'", 1)
	src += "    CreateThingResponse:\n      type: object\n"
	ps := lintYAML(t, src)
	assert.Len(t, ps, 4, "%v", ps)
	for i := 1; i < len(ps); i++ {
		assert.LessOrEqual(t, ps[i-1].Line, ps[i].Line, "problems are in line order")
	}
}

func TestParseSpecSyntaxError(t *testing.T) {
	_, ps := parseSpec([]byte("openapi: 3.0.3\ninfo:\n  title: [unclosed\n"))
	require.Len(t, ps, 1)
	assert.Positive(t, ps[0].Line)
	assert.Contains(t, ps[0].Msg, "not valid YAML")

	_, ps = parseSpec([]byte("- just\n- a list\n"))
	require.Len(t, ps, 1)
	assert.Contains(t, ps[0].Msg, "must be a YAML mapping")
}

func TestProblemFormat(t *testing.T) {
	assert.Equal(t, "api/openapi.yaml:12: schema Foo: bad", Problem{Line: 12, Where: "schema Foo", Msg: "bad"}.Format("api/openapi.yaml"))
	assert.Equal(t, "api/openapi.yaml: bad", Problem{Msg: "bad"}.Format("api/openapi.yaml"))
}

// The naming lints predict the Go names oapi-codegen declares, so that a
// collision is reported with its lines in the spec rather than in the
// generated file. The tests below hold that prediction to the generator
// itself: an upgrade that changes its naming turns them red.

// namesSpec is goodSpec with an operation that has a header parameter and
// a request body in every media type the generator names.
var namesSpec = strings.Replace(goodSpec, "components:\n", `  /things/{thingId}/files:
    post:
      operationId: uploadThingFile
      parameters:
        - $ref: '#/components/parameters/thingId'
        - name: X-Trace
          in: header
          schema:
            type: string
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                file:
                  type: string
                  format: binary
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                name:
                  type: string
          text/plain:
            schema:
              type: string
          application/octet-stream:
            schema:
              type: string
              format: binary
      responses:
        "204":
          description: stored
components:
`, 1)

// generateStrict runs the real generator on src with the repository's
// settings, less the backstop that renames colliding types, so that every
// collision shows as an error.
func generateStrict(t *testing.T, src string) ([]byte, error) {
	t.Helper()
	cfg, err := loadConfig(filepath.Join(repoRoot(t), "gen", "oapi-codegen.yaml"))
	require.NoError(t, err)
	cfg.OutputOptions.ResolveTypeNameCollisions = false
	doc, err := loadDoc([]byte(src))
	require.NoError(t, err, "fixture must load")
	return generate(doc, cfg, "v0.0.0")
}

// packageNames lists the package-level names a Go file declares (methods
// are not package-level and are left out).
func packageNames(t *testing.T, src []byte) map[string]bool {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "gen.go", src, parser.SkipObjectResolution)
	require.NoError(t, err)
	names := map[string]bool{}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				names[d.Name.Name] = true
			}
		case *ast.GenDecl:
			addDeclaredNames(names, d)
		}
	}
	return names
}

func TestLintPredictsGeneratedNames(t *testing.T) {
	s, ps := parseSpec([]byte(namesSpec))
	require.Empty(t, ps)
	ps, _ = s.lint()
	require.Empty(t, ps, "%v", ps)
	code, err := generateStrict(t, namesSpec)
	require.NoError(t, err)
	declared := packageNames(t, code)

	predicted := map[string]string{}
	for _, n := range clientNames {
		predicted[n] = "the generated client"
	}
	for _, op := range s.ops {
		for _, g := range s.operationNames(op, goOperationName(op.ID)) {
			predicted[g.name] = g.what
		}
	}
	for name, what := range predicted {
		assert.True(t, declared[name], "the lint expects the generator to declare %s as %s; it does not", name, what)
	}

	// Whatever else the generator declares comes from a component: its type,
	// or a constant of an enum.
	components := map[string]bool{}
	for _, section := range typeComponentSections {
		sec := s.at("components", section)
		for i := 0; sec != nil && i+1 < len(sec.Content); i += 2 {
			components[codegen.SchemaNameToTypeName(sec.Content[i].Value)] = true
		}
	}
	for name := range declared {
		if predicted[name] != "" || components[name] || components[strings.TrimRight(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_")] {
			continue
		}
		t.Errorf("the generator declares %s, which the lint does not know of: a component named so would go unreported", name)
	}
}

func TestLintCollisionsAreTheGenerators(t *testing.T) {
	// Each spec is one the lint refuses; without the renaming backstop the
	// generator fails on it too, on the same Go name. A component only
	// collides when something refers to it (the generator drops unused
	// ones), so each added schema is given a reference.
	referenced := func(name string) string {
		src := addSchema(name, "      type: object\n")
		return strings.Replace(src, "        state:\n", "        extra:\n          $ref: '#/components/schemas/"+name+"'\n        state:\n", 1)
	}
	tests := []struct {
		name, src, goName string
	}{
		{"operationIds equal", edit(t, "operationId: getThing", "operationId: listThings"), "ListThings"},
		{"operationIds equal once capitalised", edit(t, "operationId: getThing", "operationId: ListThings"), "ListThings"},
		{"operationIds equal without separators", edit(t, "operationId: getThing", "operationId: list-things"), "ListThings"},
		{"response wrapper", referenced("GetThingResponse"), "GetThingResponse"},
		{"params type", referenced("ListThingsParams"), "ListThingsParams"},
		{"inline JSON body", referenced("CreateThingJSONBody"), "CreateThingJSONBody"},
		{"JSON request body alias", referenced("CreateThingJSONRequestBody"), "CreateThingJSONRequestBody"},
		{"request builder", referenced("NewGetThingRequest"), "NewGetThingRequest"},
		{"client type", referenced("Client"), "Client"},
		{"name normalisation", referenced("thing"), "Thing"},
		{"parameter component", strings.ReplaceAll(goodSpec, "thingId:\n      name:", "GetThingResponse:\n      name:"), "GetThingResponse"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "parameter component" {
				tt.src = strings.ReplaceAll(tt.src, "#/components/parameters/thingId", "#/components/parameters/GetThingResponse")
			}
			ps := lintYAML(t, tt.src)
			require.Len(t, ps, 1, "%v", ps)
			// An exact duplicate is reported by its operationId.
			assert.Contains(t, strings.ToLower(ps[0].Msg), strings.ToLower(tt.goName))
			_, err := generateStrict(t, tt.src)
			require.Error(t, err, "the lint refuses this spec, but the generator makes valid code of it")
			assert.Contains(t, err.Error(), tt.goName)
		})
	}

	// What the lint accepts, the generator accepts: GetThing has no query
	// parameters, so no GetThingParams type exists for a schema to collide with.
	src := referenced("GetThingParams")
	assert.Empty(t, lintYAML(t, src))
	_, err := generateStrict(t, src)
	assert.NoError(t, err)
}
