package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/qoverykit/qovery-go/qovery/qoverytest"
)

// config is what the flags ask for.
type config struct {
	addr          string
	strict        bool
	remoteControl bool
	options       []qoverytest.Option
	token         string
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("qovery-fake", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: qovery-fake [flags]\n\nServes a fake Qovery API and prints one line of JSON when ready (see go doc).\n\n")
		fs.PrintDefaults()
	}
	var (
		cfg    config
		empty  bool
		steps  int
		live   bool
		stale  int
		status int
		busy   bool
		state  string
		failed string
	)
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:0", "address to listen on; port 0 picks a free one")
	fs.StringVar(&cfg.token, "token", "qoverytest-token", `the only token accepted ("Token <t>" or "Bearer <t>"); "" accepts any`)
	fs.BoolVar(&empty, "empty", false, "start with an empty world instead of the seeded one")
	fs.IntVar(&steps, "steps", 1, "status reads each intermediate state of an action lasts; 0 completes actions at once")
	fs.BoolVar(&cfg.strict, "strict", false, "exit 1 on shutdown if any request was refused as the API would refuse it (refused requests are answered and listed either way)")
	fs.BoolVar(&cfg.remoteControl, "remote-control", false, "let the control API under /_fake/ answer other hosts than loopback ones (a fake in a container)")
	fs.BoolVar(&live, "live", false, "every live-API behaviour: -stale 2 -deleted-status 403 -busy-conflict -new-state EXECUTING; later flags override")
	fs.IntVar(&stale, "stale", 0, "status reads after an accepted action that still show the state from before")
	fs.IntVar(&status, "deleted-status", 0, "status a deleted object answers: 403 or 400 (default 404)")
	fs.BoolVar(&busy, "busy-conflict", false, "answer 409 to actions on an environment while one of its actions runs")
	fs.StringVar(&state, "new-state", "", "a state every action passes through before its last, one the documents do not list")
	fs.StringVar(&failed, "failure-state", "", "the state a failing action ends in (must end in _ERROR)")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if steps < 0 {
		return config{}, fmt.Errorf("-steps %d: cannot be negative", steps)
	}
	cfg.options = []qoverytest.Option{qoverytest.WithToken(cfg.token), qoverytest.WithSteps(steps)}
	if empty {
		cfg.options = append(cfg.options, qoverytest.WithEmptyWorld())
	}
	if live {
		cfg.options = append(cfg.options, qoverytest.WithLiveBehaviours())
	}
	// Only the flags given are options, so that they override -live rather
	// than their zero values turning its behaviours off.
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "stale":
			cfg.options = append(cfg.options, qoverytest.WithStaleStatus(stale))
		case "deleted-status":
			cfg.options = append(cfg.options, qoverytest.WithDeletedStatus(status))
		case "busy-conflict":
			if busy {
				cfg.options = append(cfg.options, qoverytest.WithBusyConflict())
			}
		case "new-state":
			cfg.options = append(cfg.options, qoverytest.WithNewState(state))
		case "failure-state":
			cfg.options = append(cfg.options, qoverytest.WithFailureState(failed))
		}
	})
	return cfg, nil
}
