// Command qovery-fake serves the fake Qovery API of package qoverytest as a
// process of its own, for tests written in any language: a Terraform
// provider's acceptance tests, a CLI's end-to-end tests, a deploy bot in
// Python.
//
//	go run github.com/qoverykit/qovery-go/cmd/qovery-fake@latest [flags]
//
// When it is ready it prints one line of JSON on stdout: the API's base URL,
// the token it accepts, the base URL of its control API and the IDs of the
// seeded world. It stops on SIGINT or SIGTERM, with status 0 (1 with
// -strict when it refused a request).
//
// # Control API
//
// Under /_fake/, outside of the API's base path, and answering only
// requests from the loopback interface unless -remote-control is given. It
// asks for no token: whoever can reach it runs the test, and a test
// injecting a 401 should not need a second credential.
//
//	POST   /_fake/faults        inject a fault: {"operation": "listOrganization", "kind": "503"}
//	DELETE /_fake/faults        drop the faults not used up
//	GET    /_fake/calls         counts and records (?operation=... repeatable)
//	DELETE /_fake/calls         forget the record
//	GET    /_fake/rejected      the requests refused as the API would refuse them
//	POST   /_fake/reset         a new world (new IDs), no faults, no record
//	GET    /_fake/world         the line printed when ready
//	GET    /_fake/state/{id}    an object's state
//	PUT    /_fake/state/{id}    force it: {"state": "DEPLOYMENT_ERROR"}
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run serves until ctx is done and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "qovery-fake: %v\n", err)
		return 2
	}
	ws, err := startWorlds(cfg.options, cfg.token)
	if err != nil {
		fmt.Fprintf(stderr, "qovery-fake: %v\n", err)
		return 2
	}
	defer ws.close()
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		fmt.Fprintf(stderr, "qovery-fake: %v\n", err)
		return 1
	}
	ws.origin = origin(ln.Addr())
	return serve(ctx, ln, ws, cfg, stdout, stderr)
}

// serve answers on ln until ctx is done, once the ready line is printed.
func serve(ctx context.Context, ln net.Listener, ws *worlds, cfg config, stdout, stderr io.Writer) int {
	hs := &http.Server{Handler: newHandler(ws, cfg.remoteControl), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()

	if err := json.NewEncoder(stdout).Encode(ws.announce()); err != nil {
		fmt.Fprintf(stderr, "qovery-fake: %v\n", err)
		return 1
	}
	select {
	case <-ctx.Done():
	case err := <-served:
		fmt.Fprintf(stderr, "qovery-fake: %v\n", err)
		return 1
	}
	return shutDown(hs, ws, cfg.strict, stderr)
}

// shutDown releases the requests a Slow fault holds before waiting for
// the others, then says what the fake refused: with -strict, any refusal
// fails the run, as it fails a test of qoverytest.
func shutDown(hs *http.Server, ws *worlds, strict bool, stderr io.Writer) int {
	ws.close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(ctx); err != nil {
		fmt.Fprintf(stderr, "qovery-fake: shutting down: %v\n", err)
	}
	rejected := ws.allRejected()
	for _, r := range rejected {
		fmt.Fprintf(stderr, "qovery-fake: refused: %s\n", r)
	}
	if strict && len(rejected) > 0 {
		fmt.Fprintf(stderr, "qovery-fake: -strict: %d request(s) the API would refuse\n", len(rejected))
		return 1
	}
	return 0
}

// origin is the scheme and address clients dial: a listener on every
// interface is reached on the loopback one.
func origin(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}
