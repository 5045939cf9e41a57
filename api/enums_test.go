package api_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"
)

var (
	// A field's type line in the 1.0.3 text that names its enum schema:
	// `string (BuildModeEnum)`, `Array of strings (WeekdayEnum)`.
	namedEnumLine = regexp.MustCompile(`^(?:string|string or null|Array of strings) \((\w+)\)$`)
	// The values line that follows it: `Enum: "A" "B"` or `Items Enum: ...`.
	enumValuesLine = regexp.MustCompile(`^(?:Items )?Enum: (.+)$`)
	quoted         = regexp.MustCompile(`"([^"]*)"`)
)

// documentedEnums reads, from the 1.0.3 text, the values listed for each
// named enum schema, as the union over every field that names it.
func documentedEnums(t *testing.T, path string) map[string][]string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer func() { _ = f.Close() }() // read only: nothing to lose
	union := map[string]map[string]bool{}
	pending, left := "", 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if m := namedEnumLine.FindStringSubmatch(line); m != nil {
			pending, left = m[1], 4
			continue
		}
		if pending == "" {
			continue
		}
		if m := enumValuesLine.FindStringSubmatch(line); m != nil {
			if union[pending] == nil {
				union[pending] = map[string]bool{}
			}
			for _, q := range quoted.FindAllStringSubmatch(m[1], -1) {
				union[pending][q[1]] = true
			}
			pending = ""
			continue
		}
		if left--; left == 0 {
			pending = ""
		}
	}
	require.NoError(t, sc.Err())
	out := map[string][]string{}
	for name, vs := range union {
		for v := range vs {
			out[name] = append(out[name], v)
		}
		sort.Strings(out[name])
	}
	return out
}

// Every value the 1.0.3 text lists for a named enum is a value of the
// spec's schema of that name: a client must accept every documented value.
func TestEnumsHoldEveryDocumentedValue(t *testing.T) {
	path := filepath.Join(docsDir(t), "003_684fe3f85b7bd180.txt")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("reference text not found (%v); it lives in ../shared/docs beside the module", err)
	}
	doc := loadSpec(t)
	documented := documentedEnums(t, path)
	require.NotEmpty(t, documented, "no named enum found in the reference text")
	for _, name := range sortedKeys(documented) {
		ref, ok := doc.Components.Schemas[name]
		if !ok {
			t.Errorf("the documents name the enum %s; the spec has no schema of that name", name)
			continue
		}
		have := map[string]bool{}
		for _, v := range ref.Value.Enum {
			have[fmt.Sprint(v)] = true
		}
		for _, v := range documented[name] {
			if !have[v] {
				t.Errorf("%s lacks the documented value %q", name, v)
			}
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
