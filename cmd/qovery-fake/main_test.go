package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// The binary, built and started as a user's test would start it, serves
// the fake, takes faults and resets through the control API, and stops
// cleanly on SIGINT.
func TestBinary(t *testing.T) {
	// Building and starting a process overlaps the in-process tests' load
	// of the API description, the slow part of each under -race.
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("os.Interrupt cannot be sent to a process on Windows")
	}
	p := startBinary(t, buildBinary(t))
	first := p.ready

	var orgs struct {
		Results []struct{ ID string } `json:"results"`
	}
	if status := p.get(t, "/organization", &orgs); status != http.StatusOK {
		t.Fatalf("GET /organization: %d", status)
	}
	if len(orgs.Results) != 1 || orgs.Results[0].ID != first.World.OrganizationID {
		t.Errorf("organizations %+v, want the seeded %s", orgs.Results, first.World.OrganizationID)
	}

	p.control(t, "POST", "/faults", `{"operation": "listOrganization", "kind": "503"}`, http.StatusCreated, nil)
	if status := p.get(t, "/organization", nil); status != http.StatusServiceUnavailable {
		t.Errorf("after a 503 was injected: %d", status)
	}
	if status := p.get(t, "/organization", nil); status != http.StatusOK {
		t.Errorf("after the fault was used: %d", status)
	}

	var calls callsAnswer
	p.control(t, "GET", "/calls?operation=listOrganization", "", http.StatusOK, &calls)
	if got, want := calls.Operations["listOrganization"], (counts{Calls: 3, Processed: 2}); got != want {
		t.Errorf("counts %+v, want %+v", got, want)
	}
	if len(calls.Requests) != 3 || calls.Requests[1].Status != 503 || calls.Requests[1].Fault != "status 503" {
		t.Errorf("the records do not show the 503 second: %+v", calls.Requests)
	}

	var refused map[string]string
	p.control(t, "POST", "/faults", `{"operation": "listOrganisation", "kind": "503"}`, http.StatusBadRequest, &refused)
	if !strings.Contains(refused["error"], "did you mean listOrganization") {
		t.Errorf("an unknown operation: %q", refused["error"])
	}

	var state stateJSON
	p.control(t, "PUT", "/state/"+first.World.DatabaseID, `{"state": "DEPLOYMENT_ERROR"}`, http.StatusOK, &state)
	if state.State != "DEPLOYMENT_ERROR" {
		t.Errorf("the database is %q after PUT /_fake/state", state.State)
	}

	var second announcement
	p.control(t, "POST", "/reset", "", http.StatusOK, &second)
	if second.World.OrganizationID == "" || second.World.OrganizationID == first.World.OrganizationID || second.URL != first.URL {
		t.Errorf("after a reset: %+v, before %+v", second, first)
	}
	if status := p.get(t, "/organization/"+first.World.OrganizationID, nil); status != http.StatusNotFound {
		t.Errorf("the organization of the world before the reset: %d", status)
	}
	p.control(t, "GET", "/calls", "", http.StatusOK, &calls)
	if len(calls.Requests) != 1 {
		t.Errorf("the record after a reset has %d requests, want the one since", len(calls.Requests))
	}

	p.stop(t)
}

// fakeProcess is a running qovery-fake and what it printed when ready.
type fakeProcess struct {
	cmd    *exec.Cmd
	ready  announcement
	stderr *lockedBuffer
}

// lockedBuffer collects the process's stderr, which exec copies in a
// goroutine of its own while a failing test may read it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func buildBinary(t *testing.T) string {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH:", err)
	}
	bin := filepath.Join(t.TempDir(), "qovery-fake")
	if out, err := exec.Command(goCmd, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startBinary starts bin and waits for its JSON line.
func startBinary(t *testing.T, bin string, args ...string) *fakeProcess {
	t.Helper()
	p := &fakeProcess{cmd: exec.Command(bin, args...), stderr: &lockedBuffer{}}
	p.cmd.Stderr = p.stderr
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			_ = p.cmd.Process.Kill()
			_ = p.cmd.Wait()
		}
	})
	line := make(chan string, 1)
	go func() {
		l, _ := bufio.NewReader(stdout).ReadString('\n')
		line <- l
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case l := <-line:
		if err := json.Unmarshal([]byte(l), &p.ready); err != nil {
			t.Fatalf("the ready line %q: %v; stderr:\n%s", l, err, p.stderr)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no ready line in 10 s")
	}
	return p
}

// get reads the API with the token, decoding a JSON answer into out.
func (p *fakeProcess) get(t *testing.T, path string, out any) int {
	t.Helper()
	return call(t, "GET", p.ready.URL+path, "Token "+p.ready.Token, "", out)
}

// control calls the control API, which needs no token, and checks the
// status of its answer.
func (p *fakeProcess) control(t *testing.T, method, path, body string, want int, out any) {
	t.Helper()
	if got := call(t, method, p.ready.Control+path, "", body, out); got != want {
		t.Fatalf("%s /_fake%s: %d, want %d", method, path, got, want)
	}
}

func call(t *testing.T, method, url, auth, body string, out any) int {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %d %s: %v", method, url, resp.StatusCode, b, err)
		}
	}
	return resp.StatusCode
}

// stop sends SIGINT and expects exit status 0 promptly.
func (p *fakeProcess) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- p.cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("after SIGINT: %v; stderr:\n%s", err, p.stderr)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("still running 5 s after SIGINT")
	}
}
