package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// manyProblemsSpec has problems that three stages find: lint (a schema
// named like a generated type), validation (a default that is not of its
// schema's type), and the service layer (two lists that take startId but
// whose items have no id to page from, one of them through a $ref into
// #/paths/ with a sibling, which normalising settles before them all).
const manyProblemsSpec = `openapi: 3.0.3
info:
  title: many problems
  version: "1"
paths:
  /widget:
    get:
      operationId: listWidgets
      parameters:
        - name: startId
          in: query
          schema:
            type: string
            format: uuid
      responses:
        "200":
          description: widgets
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/WidgetList'
  /gadget:
    get:
      operationId: listGadgets
      parameters:
        - $ref: '#/paths/~1widget/get/parameters/0'
          description: the last gadget seen
      responses:
        "200":
          description: gadgets
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/WidgetList'
  /thing:
    get:
      operationId: getThing
      responses:
        "200":
          description: a thing
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Name'
components:
  schemas:
    Widget:
      type: object
      properties:
        name:
          $ref: '#/components/schemas/Name'
    WidgetList:
      type: object
      properties:
        results:
          type: array
          items:
            $ref: '#/components/schemas/Widget'
    Name:
      type: string
      default: 7
    GetThingResponse:
      type: object
`

// Regen lists every problem of a spec in one run, whichever stage finds
// it, each at its line with its operation or component.
func TestEveryStageReportsItsProblemsInOneRun(t *testing.T) {
	root := sandbox(t, manyProblemsSpec)
	res, err := regenerate(context.Background(), root, filepath.Join(root, "api", "openapi.yaml"), filepath.Join(root, "gen", "oapi-codegen.yaml"))
	require.NoError(t, err)
	assert.Nil(t, res.Files, "nothing is generated")
	var got []string
	for _, p := range res.Problems {
		got = append(got, p.Format("spec"))
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{
		// lint
		`spec:62: schema GetThingResponse: becomes the Go type GetThingResponse, which the generator also declares as the response type of operation getThing`,
		// validation
		`spec:59: schema Name: invalid default: value must be a string`,
		// the service layer, once per operation
		`spec:7: operation listWidgets (GET /widget): takes startId, but its items have no id to page from`,
		`spec:23: operation listGadgets (GET /gadget): takes startId, but its items have no id to page from`,
	} {
		assert.Contains(t, all, want)
	}
	t.Log("\n" + all)
}

// A spec in several files whose $refs name a missing file, or a pointer
// into a file that holds nothing there, has each of them reported, with
// the file and line of the $ref, before kin-openapi's loader stops at the
// first.
func TestBundleReportsEveryBrokenRef(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join("testdata", "torture", "multifile")
	for _, name := range []string{"openapi.yaml", "schemas.yaml", "responses.yaml", "paths/widget.yaml"} {
		data, err := os.ReadFile(filepath.Join(src, filepath.FromSlash(name)))
		require.NoError(t, err)
		text := strings.ReplaceAll(string(data), "'../parameters.yaml#/widgetId'", "'../params.yaml#/widgetId'")
		text = strings.Replace(text, "'schemas.yaml#/WidgetList'", "'schemas.yaml#/WidgetLst'", 1)
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	}
	spec := filepath.Join(dir, "openapi.yaml")
	raw, err := os.ReadFile(spec)
	require.NoError(t, err)
	joined, ps := bundle(context.Background(), spec, raw)
	assert.Nil(t, joined)
	var got []string
	for _, p := range ps {
		got = append(got, p.Format("openapi.yaml"))
	}
	widget := filepath.Join(dir, "paths", "widget.yaml")
	assert.Equal(t, []string{
		`openapi.yaml:17: $ref "schemas.yaml#/WidgetLst" points at nothing in schemas.yaml`,
		`openapi.yaml: ` + widget + `:4: $ref "../params.yaml#/widgetId" names a file that cannot be read: no such file or directory`,
		`openapi.yaml: ` + widget + `:11: $ref "../params.yaml#/widgetId" names a file that cannot be read: no such file or directory`,
	}, got)
}
