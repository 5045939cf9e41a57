package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every entry of actionOperations is an operation of the spec, and its
// generated method records the action under the ID its service's Wait
// reads the status of.
func TestActionOperationsExist(t *testing.T) {
	s, files := servicesOfRepo(t)
	ids := map[string]bool{}
	for _, op := range s.ops {
		ids[op.ID] = true
	}
	for id := range actionOperations {
		assert.True(t, ids[id], "actionOperations: %s is no operation of the spec", id)
	}
	src := files[servicesFile]
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, servicesFile, src, parser.ParseComments)
	require.NoError(t, err)
	accepted := regexp.MustCompile(`c\.c\.accepted\(code, err, (\w+)UUID, (action\w+), `)
	found := map[string]bool{}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv == nil {
			continue
		}
		body := string(src[fset.Position(fd.Body.Pos()).Offset:fset.Position(fd.Body.End()).Offset])
		m := accepted.FindStringSubmatch(body)
		if m == nil {
			continue
		}
		id := operationIDLine.FindStringSubmatch(fd.Doc.Text())[1]
		service, resource, kind := strings.TrimSuffix(receiverName(fd.Recv.List[0].Type), "Service"), m[1], m[2]
		found[id] = true
		assert.Equal(t, actionKinds[actionOperations[id]], kind, "%s records the wrong kind", id)
		assert.Regexp(t, `func \(c \*`+service+`Service\) Wait\(ctx context.Context, (?:\w+ string, )*`+resource+`ID string, target State\)`, string(src),
			"%s records %sID, which %s.Wait does not take last", id, resource, service)
	}
	for id := range actionOperations {
		assert.True(t, found[id], "%s: its method records no action", id)
	}
	assert.Len(t, found, len(actionOperations), "methods record actions that actionOperations does not list")
}

// An entry of actionOperations that the generated code could not honour
// fails the generation, naming the entry.
func TestActionOperationsChecked(t *testing.T) {
	s, genSrc, taken := serviceInputs(t)
	for id, kind := range map[string]string{
		"getApplication":   "deploy",  // its service has a Wait, but the answer is no status
		"deployCluster":    "upgrade", // no such kind
		"listOrganization": "deploy",  // its service has no Wait
	} {
		t.Run(id, func(t *testing.T) {
			before, had := actionOperations[id]
			actionOperations[id] = kind
			defer func() {
				if had {
					actionOperations[id] = before
				} else {
					delete(actionOperations, id)
				}
			}()
			_, err := generateServices(s, genSrc, taken)
			require.Error(t, err)
			assert.True(t, strings.Contains(err.Error(), id+":"), "error %q does not name %s", err, id)
		})
	}
}
