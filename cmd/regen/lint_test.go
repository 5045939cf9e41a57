package main

import (
	"strings"
	"testing"

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
	return sortProblems(s.lint())
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
		{
			name:     "not an identifier",
			src:      edit(t, "operationId: getThing", "operationId: 2things"),
			where:    "operation 2things (GET /things/{thingId})",
			contains: []string{"start it with a letter"},
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

func TestEditDistance(t *testing.T) {
	assert.Equal(t, 0, editDistance("abc", "abc"))
	assert.Equal(t, 1, editDistance("abc", "abd"))
	assert.Equal(t, 2, editDistance("thing", "thingy2"))
	assert.Equal(t, 3, editDistance("", "abc"))
}
