package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// runInProcess runs the command with args until the returned stop is
// called, which returns its exit status.
func runInProcess(t *testing.T, args ...string) (announcement, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, in := io.Pipe()
	code := make(chan int, 1)
	go func() { code <- run(ctx, args, in, io.Discard) }()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("no ready line: %v (exit %d)", err, <-code)
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	var ready announcement
	if err := json.Unmarshal([]byte(line), &ready); err != nil {
		t.Fatal(err)
	}
	stop := func() int {
		cancel()
		select {
		case c := <-code:
			return c
		case <-time.After(5 * time.Second):
			t.Fatal("run did not return 5 s after its context was done")
			return -1
		}
	}
	t.Cleanup(func() { cancel() })
	return ready, stop
}

// With -strict a refused request fails the run, as it fails a test of
// qoverytest; without it the run ends well.
func TestStrictExitsOneAfterARefusal(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want int
	}{{nil, 0}, {[]string{"-strict"}, 1}} {
		ready, stop := runInProcess(t, tc.args...)
		if status := call(t, "GET", ready.URL+"/organization", "Token wrong", "", nil); status != http.StatusUnauthorized {
			t.Errorf("a wrong token: %d", status)
		}
		if got := stop(); got != tc.want {
			t.Errorf("%v: exit %d, want %d", tc.args, got, tc.want)
		}
	}
}

// Flags that qoverytest would refuse end the run with status 2 before it
// listens.
func TestBadFlagsExitTwo(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"-deleted-status", "500"},
		{"-new-state", "BROKEN_ERROR"},
		{"-steps", "-1"},
		{"-no-such-flag"},
		{"extra"},
	} {
		if got := run(context.Background(), args, io.Discard, io.Discard); got != 2 {
			t.Errorf("%v: exit %d, want 2", args, got)
		}
	}
}

// A flag given after -live overrides it instead of being ignored.
func TestFlagsAfterLiveOverride(t *testing.T) {
	t.Parallel()
	ready, stop := runInProcess(t, "-live", "-deleted-status", "400", "-steps", "0")
	org := ready.World.OrganizationID
	if status := call(t, "DELETE", ready.URL+"/organization/"+org, "Token "+ready.Token, "", nil); status/100 != 2 {
		t.Fatalf("DELETE: %d", status)
	}
	if status := call(t, "GET", ready.URL+"/organization/"+org, "Token "+ready.Token, "", nil); status != http.StatusBadRequest {
		t.Errorf("a deleted organization answers %d, want 400", status)
	}
	if got := stop(); got != 0 {
		t.Errorf("exit %d", got)
	}
}

// The control API answers loopback clients only, unless -remote-control.
func TestControlIsLoopbackOnly(t *testing.T) {
	t.Parallel()
	ws, err := startWorlds(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	defer ws.close()
	for _, remote := range []bool{false, true} {
		req := httptest.NewRequest("GET", "/_fake/world", http.NoBody)
		req.RemoteAddr = "192.0.2.7:40000"
		rec := httptest.NewRecorder()
		newHandler(ws, remote).ServeHTTP(rec, req)
		want := http.StatusForbidden
		if remote {
			want = http.StatusOK
		}
		if rec.Code != want {
			t.Errorf("remote-control %v: %d, want %d", remote, rec.Code, want)
		}
	}
}

// Fault bodies that qoverytest would panic on, or that would inject a fault
// other than the one meant, are refused with what is wrong.
func TestFaultRequestsRefused(t *testing.T) {
	t.Parallel()
	ws, err := startWorlds(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	defer ws.close()
	h := newHandler(ws, false)
	for body, want := range map[string]string{
		`{"kind": "503"}`: `"operation" is missing`,
		`{"operation": "listOrganization", "kind": "404"}`:                             `"kind" "404"`,
		`{"operation": "listOrganization", "kind": "slow"}`:                            `needs a "delay"`,
		`{"operation": "listOrganization", "kind": "429", "after_processing": true}`:   `"after_processing" applies`,
		`{"operation": "listOrganization", "kind": "503", "times": 2, "always": true}`: `not given with "always"`,
		`{"operation": "listOrganization", "kind": "503", "retryAfter": 1}`:            `unknown field`,
		`{"operation": "listOrganisation", "kind": "503"}`:                             `did you mean listOrganization`,
	} {
		req := httptest.NewRequest("POST", "/_fake/faults", strings.NewReader(body))
		req.RemoteAddr = "127.0.0.1:40000"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var answer map[string]string
		_ = json.Unmarshal(rec.Body.Bytes(), &answer)
		if rec.Code != http.StatusBadRequest || !strings.Contains(answer["error"], want) {
			t.Errorf("%s: %d %s, want 400 with %q", body, rec.Code, rec.Body, want)
		}
	}
}

// Durations are seconds or Go durations.
func TestDuration(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]time.Duration{`2`: 2 * time.Second, `0.5`: 500 * time.Millisecond, `"150ms"`: 150 * time.Millisecond} {
		var d duration
		if err := json.Unmarshal([]byte(in), &d); err != nil || time.Duration(d) != want {
			t.Errorf("%s: %v, %v; want %v", in, time.Duration(d), err, want)
		}
	}
}

// -empty starts with nothing: no IDs, and an empty list of backups rather
// than null, which a test in another language would have to special-case.
func TestEmptyWorld(t *testing.T) {
	t.Parallel()
	ready, stop := runInProcess(t, "-empty")
	if ready.World.OrganizationID != "" || ready.World.BackupIDs == nil || len(ready.World.BackupIDs) != 0 {
		t.Errorf("an empty world: %+v", ready.World)
	}
	var orgs struct{ Results []any }
	if status := call(t, "GET", ready.URL+"/organization", "Token "+ready.Token, "", &orgs); status != http.StatusOK || len(orgs.Results) != 0 {
		t.Errorf("organizations of an empty world: %d %v", status, orgs.Results)
	}
	if got := stop(); got != 0 {
		t.Errorf("exit %d", got)
	}
}
