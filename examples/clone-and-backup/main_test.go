package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/qoverykit/qovery-go/qovery"
	"github.com/qoverykit/qovery-go/qovery/qoverytest"
)

// stepLine is a progress line: elapsed time, step time, step name.
var stepLine = regexp.MustCompile(`^\s*\d+\.\d{3}s\s+(\+\d+\.\d{3}s)?\s+(\S.*?)\s{2,}`)

func stepNames(t *testing.T, out string) []string {
	t.Helper()
	var names []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		m := stepLine.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("not a progress line: %q", line)
			continue
		}
		names = append(names, m[2])
	}
	return names
}

func TestRunOnTheEmbeddedFake(t *testing.T) {
	t.Setenv(qovery.EnvToken, "")
	var stdout, stderr bytes.Buffer
	if code := run(nil, &stdout, &stderr); code != 0 {
		t.Fatalf("exit code %d\nstdout:\n%s\nstderr:\n%s", code, &stdout, &stderr)
	}
	want := []string{"start fake API", "clone database", "start backup", "wait for backup", "latest backup", "clone environment", "done"}
	if got := stepNames(t, stdout.String()); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("steps = %q\nwant    %q\n%s", got, want, &stdout)
	}
	for _, s := range []string{"db -> db-copy", "is done", "production -> production-copy", "mode PREVIEW"} {
		if !strings.Contains(stdout.String(), s) {
			t.Errorf("output lacks %q:\n%s", s, &stdout)
		}
	}
	if stderr.Len() != 0 {
		t.Errorf("stderr:\n%s", &stderr)
	}
}

// The real-API path, pointed at a fake through QOVERY_API_URL.
func TestRunWithAToken(t *testing.T) {
	srv := qoverytest.NewServer(t, qoverytest.WithToken("real-token"))
	ids := srv.World
	t.Setenv(qovery.EnvToken, "real-token")
	t.Setenv(qovery.EnvURL, srv.URL)

	var stdout, stderr bytes.Buffer
	args := []string{"-database", ids.DatabaseID, "-environment", ids.EnvironmentID, "-suffix", "-x", "-mode", "", "-poll", "1ms"}
	if code := run(args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit code %d\nstdout:\n%s\nstderr:\n%s", code, &stdout, &stderr)
	}
	if got := stepNames(t, stdout.String()); len(got) != 7 || got[0] != "connect" {
		t.Errorf("steps = %q", got)
	}
	if !strings.Contains(stdout.String(), "production -> production-x") || !strings.Contains(stdout.String(), "mode DEVELOPMENT") {
		t.Errorf("the environment clone is not as asked:\n%s", &stdout)
	}
	if n := srv.Processed("cloneDatabase"); n != 1 {
		t.Errorf("cloneDatabase processed %d times", n)
	}

	// A second run with the same suffix collides with the first clone.
	stdout.Reset()
	stderr.Reset()
	if code := run(args, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "409 Conflict") {
		t.Errorf("second run: exit code %d, stderr %q; want 1 and a conflict", code, &stderr)
	}
}

func TestRunNeedsIDsWithAToken(t *testing.T) {
	t.Setenv(qovery.EnvToken, "real-token")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-database", "0b6c7a3e-93a4-4a51-9d4e-3f1c2a0b9d77"}, &stdout, &stderr); code != 2 {
		t.Errorf("exit code %d, want 2", code)
	}
	if !strings.Contains(stderr.String(), "-environment") {
		t.Errorf("stderr does not say what is missing: %s", &stderr)
	}

	t.Setenv(qovery.EnvURL, "http://127.0.0.1:1")
	stderr.Reset()
	code := run([]string{"-database", "db", "-environment", "env"}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), `-database "db" is not a UUID`) {
		t.Errorf("exit code %d, stderr %q", code, &stderr)
	}
}
