package api_test

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/require"

	"github.com/qoverykit/qovery-go/api"
)

// loadSpec loads the embedded spec with kin-openapi.
func loadSpec(t *testing.T) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	doc, err := loader.LoadFromData(api.Spec)
	require.NoError(t, err, "kin-openapi cannot load api/openapi.yaml; `go run ./cmd/regen` shows where")
	return doc
}

func TestSpecValidates(t *testing.T) {
	doc := loadSpec(t)
	err := doc.Validate(context.Background(), openapi3.EnableMultiError())
	for _, msg := range leaves(err, "") {
		t.Error(msg)
	}
	if err != nil {
		t.Log("`go run ./cmd/regen` lists these with line numbers")
	}
}

// leaves lists each problem in a validation error once, prefixed with where
// kin-openapi says it is.
func leaves(err error, where string) []string {
	switch e := err.(type) {
	case nil:
		return nil
	case openapi3.MultiError:
		var out []string
		for _, sub := range e {
			out = append(out, leaves(sub, where)...)
		}
		return out
	case *openapi3.SectionValidationError:
		return leaves(e.Cause, where+e.Section+": ")
	case *openapi3.ComponentValidationError:
		return leaves(e.Cause, where+e.Section+" "+e.Name+": ")
	case *openapi3.PathValidationError:
		return leaves(e.Cause, where+"path "+e.Path+": ")
	case *openapi3.OperationValidationError:
		return leaves(e.Cause, where+e.Method+": ")
	}
	return []string{where + err.Error()}
}

// docsDir is ../shared/docs next to the module root, where the reference
// documents live when the repository is checked out beside them.
func docsDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		require.NotEqual(t, parent, dir, "no go.mod above the test directory")
		dir = parent
	}
	return filepath.Join(dir, "..", "shared", "docs")
}

// row is one line of operations.tsv.
type row struct {
	line                    int
	tag, method, path, opID string
	success                 []string // sorted status codes
	live                    bool
	summary                 string
	successText, liveText   string // as written in the table
}

// readOperations parses operations.tsv: a header line naming the columns
// (tag, method, path, operationId, success, live, summary), then one
// operation per line. success may list several codes, separated by commas,
// slashes or spaces.
func readOperations(t *testing.T, path string) []row {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer func() { _ = f.Close() }() // read only: nothing to lose

	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	require.True(t, sc.Scan(), "%s is empty", path)
	col := map[string]int{}
	for i, name := range strings.Split(strings.TrimRight(sc.Text(), "\r"), "\t") {
		col[strings.TrimSpace(name)] = i
	}
	for _, name := range []string{"tag", "method", "path", "operationId", "success", "live", "summary"} {
		_, ok := col[name]
		require.True(t, ok, "%s: no %q column in the header", path, name)
	}

	var rows []row
	for n := 2; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		f := strings.Split(line, "\t")
		require.Len(t, f, len(col), "%s:%d: wrong number of columns", path, n)
		get := func(name string) string { return strings.TrimSpace(f[col[name]]) }
		r := row{
			line:     n,
			tag:      get("tag"),
			method:   strings.ToUpper(get("method")),
			path:     get("path"),
			opID:     get("operationId"),
			summary:  get("summary"),
			liveText: get("live"),
		}
		r.successText = get("success")
		r.success = strings.FieldsFunc(r.successText, func(c rune) bool { return !unicode.IsDigit(c) })
		require.NotEmpty(t, r.success, "%s:%d: no success status", path, n)
		for _, code := range r.success {
			c, err := strconv.Atoi(code)
			require.True(t, err == nil && c >= 100 && c <= 599, "%s:%d: bad status %q", path, n, code)
		}
		sort.Strings(r.success)
		switch strings.ToLower(r.liveText) {
		case "yes":
			r.live = true
		case "no":
			r.live = false
		default:
			t.Fatalf("%s:%d: live is %q, want yes or no", path, n, r.liveText)
		}
		rows = append(rows, r)
	}
	require.NoError(t, sc.Err())
	return rows
}

// successCodes is the sorted set of 2xx codes an operation declares.
func successCodes(op *openapi3.Operation) []string {
	var codes []string
	if op.Responses == nil {
		return nil
	}
	for code := range op.Responses.Map() {
		if strings.HasPrefix(code, "2") {
			codes = append(codes, code)
		}
	}
	sort.Strings(codes)
	return codes
}

// TestSpecMatchesOperationTable checks every operation against the table of
// facts in the reference documents: same method, path, operationId, tag,
// summary and success statuses, deprecated exactly when no longer live, and
// nothing in the spec that the table does not list.
func TestSpecMatchesOperationTable(t *testing.T) {
	table := filepath.Join(docsDir(t), "operations.tsv")
	doc := loadSpec(t)
	if _, err := os.Stat(table); err != nil {
		n := 0
		for _, item := range doc.Paths.Map() {
			n += len(item.Operations())
		}
		t.Skipf("skipped: ../shared/docs/operations.tsv is absent (%v), so none of the spec's %d operations was checked "+
			"for its method, path, operationId, tag, summary, success statuses and deprecation against the reference documents, "+
			"nor the spec for operations the documents do not list; check the documents out as ../shared/docs beside the repository to run this test",
			err, n)
	}
	rows := readOperations(t, table)

	listed := map[string]bool{}
	for _, r := range rows {
		key := r.method + " " + r.path
		require.False(t, listed[key], "operations.tsv:%d: %s listed twice", r.line, key)
		listed[key] = true

		t.Run(r.opID, func(t *testing.T) {
			item := doc.Paths.Value(r.path)
			if item == nil {
				t.Fatalf("operations.tsv:%d: path %s is not in the spec", r.line, r.path)
			}
			op := item.GetOperation(r.method)
			if op == nil {
				t.Fatalf("operations.tsv:%d: %s %s is not in the spec", r.line, r.method, r.path)
			}
			if op.OperationID != r.opID {
				t.Errorf("%s %s: operationId %q, want %q", r.method, r.path, op.OperationID, r.opID)
			}
			if !slices.Equal(op.Tags, []string{r.tag}) {
				t.Errorf("%s %s: tags %q, want [%q]", r.method, r.path, op.Tags, r.tag)
			}
			if op.Summary != r.summary {
				t.Errorf("%s %s: summary %q, want %q", r.method, r.path, op.Summary, r.summary)
			}
			if got := successCodes(op); !slices.Equal(got, r.success) {
				t.Errorf("%s %s: success statuses %v, want %v (operations.tsv says %q)", r.method, r.path, got, r.success, r.successText)
			}
			if op.Deprecated != !r.live {
				t.Errorf("%s %s: deprecated is %v, but live is %q", r.method, r.path, op.Deprecated, r.liveText)
			}
			if op.Deprecated && strings.TrimSpace(op.Description) == "" {
				t.Errorf("%s %s: deprecated without a description saying why", r.method, r.path)
			}
		})
	}

	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			key := strings.ToUpper(method) + " " + path
			beyond := beyondDocuments(op)
			switch {
			case !listed[key] && beyond == "":
				t.Errorf("%s (%s) is in the spec but not in operations.tsv; an operation added on purpose says why in %s", key, op.OperationID, beyondKey)
			case listed[key] && beyond != "":
				t.Errorf("%s (%s) is marked %s but operations.tsv lists it", key, op.OperationID, beyondKey)
			}
		}
	}
	t.Logf("%d operations checked against %s", len(rows), filepath.Base(table))
}

// beyondKey marks an operation the spec has on purpose although the
// documents do not list it; its value says why (where it was seen).
const beyondKey = "x-beyond-documents"

// beyondDocuments is the reason op gives for being in the spec beyond the
// documents, or "".
func beyondDocuments(op *openapi3.Operation) string {
	v, _ := op.Extensions[beyondKey].(string)
	return strings.TrimSpace(v)
}

// An operation marked as beyond the documents is accepted by the check
// against the documents' table, and the mark needs a reason.
func TestBeyondDocumentsMark(t *testing.T) {
	op := &openapi3.Operation{Extensions: map[string]any{beyondKey: "seen in the live API's answers"}}
	if beyondDocuments(op) == "" {
		t.Error("a marked operation is not recognised")
	}
	if beyondDocuments(&openapi3.Operation{Extensions: map[string]any{beyondKey: "  "}}) != "" {
		t.Error("a mark without a reason is accepted")
	}
}
