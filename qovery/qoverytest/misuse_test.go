package qoverytest_test

import (
	"strings"
	"testing"

	"github.com/qoverykit/qovery-go/qovery/qoverytest"
)

// misuse runs f on a server of its own whose test is rec, and returns what
// the test reported and whether it was stopped.
func misuse(t *testing.T, f func(s *qoverytest.Server)) (reported string, fatal bool) {
	t.Helper()
	rec := &recorder{TB: t}
	s := qoverytest.NewServer(rec)
	rec.run(func() { f(s) })
	return rec.reported(), rec.fatal
}

// A misspelt operationId stops the test and names the operations it is
// nearest to, by edit distance and without regard to case.
func TestMisspeltOperationSuggestsTheNearest(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    func(s *qoverytest.Server)
		want string
	}{
		{"Fail, letters swapped", func(s *qoverytest.Server) { s.Fail("getDatabse", qoverytest.ServiceUnavailable()) },
			`no operation "getDatabse" (operations are named by their operationId, as in the spec); did you mean getDatabase?`},
		{"Fail, a letter missing and a capital", func(s *qoverytest.Server) { s.Fail("DeployDatabas", qoverytest.ServiceUnavailable()) },
			"did you mean deployDatabase?"},
		{"Calls, a letter wrong", func(s *qoverytest.Server) { s.Calls("cloneDatabese") }, "did you mean cloneDatabase?"},
		{"FailNextAction, letters swapped", func(s *qoverytest.Server) { s.FailNextAction("deployDatabsae", "boom") },
			"did you mean deployDatabase?"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, fatal := misuse(t, tc.f)
			if !fatal || !strings.Contains(got, tc.want) {
				t.Errorf("fatal %v, reported %q; want a stop saying %q", fatal, got, tc.want)
			}
		})
	}
}

// FailNextAction fails the test, as every other misuse does, for a key
// that is neither an operationId nor the ID of a stored object: the
// failure it stands for would never happen, and the test would pass for
// the wrong reason.
func TestFailNextActionRefusesAnUnknownKey(t *testing.T) {
	const gone = "0b6c7a3e-93a4-4a51-9d4e-3f1c2a0b9d77"
	for _, tc := range []struct {
		key  string
		want string
	}{
		{"deployDatabse", `no operation "deployDatabse"`},
		{gone, "no object " + gone},
		{"", "no operation"},
	} {
		got, fatal := misuse(t, func(s *qoverytest.Server) { s.FailNextAction(tc.key, "boom") })
		if !fatal || !strings.Contains(got, tc.want) {
			t.Errorf("FailNextAction(%q): fatal %v, reported %q; want a stop saying %q", tc.key, fatal, got, tc.want)
		}
	}
	for _, key := range []func(w qoverytest.World) string{
		func(w qoverytest.World) string { return w.DatabaseID },
		func(w qoverytest.World) string { return w.BackupIDs[0] },
		func(qoverytest.World) string { return "deployDatabase" },
	} {
		got, fatal := misuse(t, func(s *qoverytest.Server) { s.FailNextAction(key(s.World), "boom") })
		if fatal || got != "" {
			t.Errorf("a known key: fatal %v, reported %q", fatal, got)
		}
	}
}
