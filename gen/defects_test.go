package gen_test

import (
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qoverykit/qovery-go/gen"
	"github.com/qoverykit/qovery-go/internal/fixtures"
)

// Calls that once failed against the API because the spec had the wrong
// shape: each goes through the typed client.

// fakeClient is a typed client for the spec-validating fake, with one
// application seeded.
func fakeClient(t *testing.T) (*gen.ClientWithResponses, *fixtures.Server, fixtures.Seeded) {
	t.Helper()
	srv := fixtures.NewServer(t, fixtures.WithSteps(0))
	ids := srv.Seed()
	c, err := gen.NewClientWithResponses(srv.URL, gen.WithHTTPClient(srv.Client()),
		gen.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
			r.Header.Set("Authorization", "Token test")
			return nil
		}))
	require.NoError(t, err)
	return c, srv, ids
}

func ptr[T any](v T) *T { return &v }

// editApplication takes its ports as port objects, as the edit sample and
// the application answers show.
func TestEditApplicationSendsPortObjects(t *testing.T) {
	c, _, ids := fakeClient(t)
	body := gen.ApplicationEditRequest{
		Name: ptr("web"),
		Ports: []gen.ServicePort{{
			InternalPort:       ptr(8080),
			ExternalPort:       ptr(443),
			PubliclyAccessible: ptr(true),
			Protocol:           ptr("HTTP"),
			Name:               ptr("http"),
		}},
	}
	raw, err := json.Marshal(body)
	require.NoError(t, err)
	var sent map[string]any
	require.NoError(t, json.Unmarshal(raw, &sent))
	ports, ok := sent["ports"].([]any)
	require.True(t, ok, "ports is not an array: %s", raw)
	require.Len(t, ports, 1)
	port, ok := ports[0].(map[string]any)
	require.True(t, ok, "a port is not an object: %s", raw)
	assert.EqualValues(t, 8080, port["internal_port"])

	resp, err := c.EditApplicationWithResponse(context.Background(), uuid(t, ids.ApplicationID), body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode(), "the fake refused the request: %s", resp.Body)
	require.NotNil(t, resp.JSON200)
}

// build_mode takes both values the documents list, in requests and
// answers.
func TestBuildModeAcceptsBuildpacks(t *testing.T) {
	c, _, ids := fakeClient(t)
	mode := gen.BuildModeEnum("BUILDPACKS")
	assert.True(t, mode.Valid(), "BUILDPACKS is not a BuildModeEnum value")
	assert.True(t, gen.BuildModeEnum("DOCKER").Valid(), "DOCKER is not a BuildModeEnum value")

	resp, err := c.EditApplicationWithResponse(context.Background(), uuid(t, ids.ApplicationID),
		gen.ApplicationEditRequest{BuildMode: &mode})
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode(), "the fake refused build_mode BUILDPACKS: %s", resp.Body)
}

// Percentages are numbers: 12.5 and 50.0 decode.
func TestCurrentScaleDecodesFractionalPercentages(t *testing.T) {
	c, fake := newClient(t)
	fake.answer(http.StatusOK, []byte(`{
		"min": 1, "max": 4, "running": 2,
		"running_in_percent": 12.5,
		"warning_threshold_in_percent": 50.0,
		"alert_threshold_in_percent": 87.25,
		"status": "OK"
	}`))
	resp, err := c.GetApplicationCurrentScaleWithResponse(context.Background(), uuid(t, "6a4f0c1e-2b8d-4c1a-9e3f-5d7b2a8c9e10"))
	require.NoError(t, err, "the answer did not decode")
	require.NotNil(t, resp.JSON200)
	assert.EqualValues(t, 12.5, val(t, resp.JSON200.RunningInPercent))
	assert.EqualValues(t, 50.0, val(t, resp.JSON200.WarningThresholdInPercent))
	assert.EqualValues(t, 87.25, val(t, resp.JSON200.AlertThresholdInPercent))
}

// Every property declared as allOf: [$ref: <enum>] (a wrapper that carries
// a default beside the enum) generates as that enum's Go type, with a
// constant for each of the enum's values.
func TestAllOfWrappedEnumsKeepTheirType(t *testing.T) {
	g := parseGenerated(t)
	doc := spec(t)
	checked := 0
	for _, name := range sortedNames(doc.Components.Schemas) {
		sch := doc.Components.Schemas[name].Value
		for _, prop := range sortedNames(sch.Properties) {
			ref := sch.Properties[prop]
			if len(ref.Value.AllOf) != 1 || len(ref.Value.AllOf[0].Value.Enum) == 0 {
				continue
			}
			checked++
			enumType := codegen.SchemaNameToTypeName(strings.TrimPrefix(ref.Value.AllOf[0].Ref, "#/components/schemas/"))
			got, ok := g.fields[codegen.SchemaNameToTypeName(name)][prop]
			require.True(t, ok, "%s.%s has no generated field", name, prop)
			assert.Equal(t, enumType, strings.TrimLeft(got, "*"), "%s.%s", name, prop)
			for _, v := range ref.Value.AllOf[0].Value.Enum {
				assert.Contains(t, g.consts[enumType], v, "%s has no constant for %v", enumType, v)
			}
		}
	}
	assert.NotZero(t, checked, "no allOf-wrapped enum in the spec")
	assert.ElementsMatch(t, []string{"BUILDPACKS", "DOCKER"}, g.consts["BuildModeEnum"])
}

// generated is what the tests read off gen/qovery.gen.go: the JSON fields
// of each struct with their Go types, and the string constants of each type.
type generated struct {
	fields map[string]map[string]string
	consts map[string][]string
}

func parseGenerated(t *testing.T) generated {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "qovery.gen.go", nil, 0)
	require.NoError(t, err)
	g := generated{fields: map[string]map[string]string{}, consts: map[string][]string{}}
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok {
			continue
		}
		for _, spec := range gd.Specs {
			switch sp := spec.(type) {
			case *ast.TypeSpec:
				st, ok := sp.Type.(*ast.StructType)
				if !ok {
					continue
				}
				fields := map[string]string{}
				for _, fl := range st.Fields.List {
					if fl.Tag == nil {
						continue
					}
					tag, _ := strconv.Unquote(fl.Tag.Value)
					name, _, _ := strings.Cut(reflect.StructTag(tag).Get("json"), ",")
					fields[name] = types.ExprString(fl.Type)
				}
				g.fields[sp.Name.Name] = fields
			case *ast.ValueSpec:
				if sp.Type == nil || len(sp.Values) != 1 {
					continue
				}
				lit, ok := sp.Values[0].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					continue
				}
				v, _ := strconv.Unquote(lit.Value)
				typ := types.ExprString(sp.Type)
				g.consts[typ] = append(g.consts[typ], v)
			}
		}
	}
	return g
}
