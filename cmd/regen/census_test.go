package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const censusSpec = `openapi: 3.0.3
info: {title: census, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/PetList'
        '404':
          description: gone
          content:
            application/json:
              schema:
                type: object
                properties:
                  message: {type: string}
  /pets/{petId}:
    get:
      operationId: getPet
      parameters:
      - {name: petId, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Pet'
components:
  schemas:
    Kind:
      type: string
      enum: [CAT, DOG, FISH]
    Unused:
      type: string
      enum: [A]
    Opaque:
      type: object
    Pet:
      type: object
      properties:
        id: {type: string}
        kind: {$ref: '#/components/schemas/Kind'}
        owner:
          type: object
          additionalProperties: true
        tags:
          type: array
          items:
            type: object
        labels:
          type: object
          additionalProperties: {type: string}
        extra: {$ref: '#/components/schemas/Opaque'}
        parent: {$ref: '#/components/schemas/Pet'}
    PetList:
      type: object
      properties:
        results:
          type: array
          items: {$ref: '#/components/schemas/Pet'}
        other:
          type: array
          items: {$ref: '#/components/schemas/Opaque'}
`

func TestCensusCountsOpenObjectsEnumsAndPaths(t *testing.T) {
	doc, err := loadDoc([]byte(censusSpec))
	require.NoError(t, err)
	c := countSpec(doc)

	assert.Equal(t, []string{"Kind", "Unused"}, c.EnumSchemas)
	assert.Equal(t, 4, c.EnumValues)
	// Opaque counts once although three paths reach it.
	assert.Equal(t, []string{"Opaque", "Pet.owner", "Pet.tags[]"}, c.OpenObjects)
	// Typed, from Pet: id kind tags labels parent (parent stops: Pet is
	// being walked); from PetList: results, results[].{id kind tags labels
	// parent}, other; from the inline 404: message.
	assert.Equal(t, 5+1+5+1+1, c.TypedPaths)
	// Open: Pet.{owner,tags[],extra}, PetList.results[].{owner,tags[],extra},
	// PetList.other[].
	assert.Equal(t, 7, c.OpenPaths)
	assert.InDelta(t, 13.0/20.0, c.TypedShare(), 1e-9)
}

func TestCensusCountsAnOpenBodyOnce(t *testing.T) {
	doc, err := loadDoc([]byte(`openapi: 3.0.3
info: {title: census, version: "1"}
paths:
  /a:
    get:
      operationId: a
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema: {type: object, additionalProperties: true}
`))
	require.NoError(t, err)
	c := countSpec(doc)
	assert.Equal(t, []string{"a 200"}, c.OpenObjects)
	assert.Zero(t, c.TypedPaths)
}

// TestCensusOfTheSpec prints the figures for api/openapi.yaml (run it with
// -v); it fails only when the spec cannot be loaded or answers nothing.
func TestCensusOfTheSpec(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(repoRoot(t), "api", "openapi.yaml"))
	require.NoError(t, err)
	doc, err := loadDoc(raw)
	require.NoError(t, err)
	c := countSpec(doc)
	require.NotZero(t, c.TypedPaths)
	t.Logf("census of api/openapi.yaml\n%s", c)
	if testing.Verbose() {
		for _, p := range c.OpenObjects {
			t.Logf("open: %s", p)
		}
	}
}
