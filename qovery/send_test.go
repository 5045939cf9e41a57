package qovery

import (
	"reflect"
	"testing"

	"github.com/qoverykit/qovery-go/gen"
)

// The operations written by hand name the success statuses the spec
// gives them, as the generated ones do.
func TestHandwrittenOperationsNameTheSpecsStatuses(t *testing.T) {
	for op, resp := range map[*operationInfo]reflect.Type{
		&operationCloneDatabase:     reflect.TypeFor[gen.CloneDatabaseResponse](),
		&operationCloneApplication:  reflect.TypeFor[gen.CloneApplicationResponse](),
		&operationCloneEnvironment:  reflect.TypeFor[gen.CloneEnvironmentResponse](),
		&operationAddBackupDatabase: reflect.TypeFor[gen.AddBackupDatabaseResponse](),
	} {
		sh := shapeOf(resp)
		if op.name != sh.op || op.statuses != sh.statuses {
			t.Errorf("%+v; the spec says %s answers %s", *op, sh.op, sh.statuses)
		}
	}
}
