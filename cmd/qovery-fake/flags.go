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
	token         string
	strict        bool
	remoteControl bool
	options       []qoverytest.Option
}

// worldFlags are the flags that become qoverytest options.
type worldFlags struct {
	empty, live, busy      bool
	steps, stale, deleted  int
	newState, failureState string
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("qovery-fake", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: qovery-fake [flags]\n\nServes a fake Qovery API and prints one line of JSON when ready (go doc github.com/qoverykit/qovery-go/cmd/qovery-fake).\n\n")
		fs.PrintDefaults()
	}
	var cfg config
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:0", "address to listen on; port 0 picks a free one")
	fs.StringVar(&cfg.token, "token", "qoverytest-token", `the only token accepted ("Token <t>" or "Bearer <t>"); "" accepts any`)
	fs.BoolVar(&cfg.strict, "strict", false, "exit 1 on shutdown if any request was refused as the API would refuse it (refused requests are answered and listed either way)")
	fs.BoolVar(&cfg.remoteControl, "remote-control", false, "let the control API under /_fake/ answer other hosts than loopback ones (a fake in a container)")
	wf := defineWorldFlags(fs)
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if wf.steps < 0 {
		return config{}, fmt.Errorf("-steps %d: cannot be negative", wf.steps)
	}
	cfg.options = append([]qoverytest.Option{qoverytest.WithToken(cfg.token)}, wf.options(fs)...)
	return cfg, nil
}

func defineWorldFlags(fs *flag.FlagSet) *worldFlags {
	wf := &worldFlags{}
	fs.BoolVar(&wf.empty, "empty", false, "start with an empty world instead of the seeded one")
	fs.IntVar(&wf.steps, "steps", 1, "status reads each intermediate state of an action lasts; 0 completes actions at once")
	fs.BoolVar(&wf.live, "live", false, "every live-API behaviour: -stale 2 -deleted-status 403 -busy-conflict -new-state EXECUTING; later flags override")
	fs.IntVar(&wf.stale, "stale", 0, "status reads after an accepted action that still show the state from before")
	fs.IntVar(&wf.deleted, "deleted-status", 0, "status a deleted object answers: 403 or 400 (default 404)")
	fs.BoolVar(&wf.busy, "busy-conflict", false, "answer 409 to actions on an environment while one of its actions runs (=false does not undo -live)")
	fs.StringVar(&wf.newState, "new-state", "", "a state every action passes through before its last, one the documents do not list")
	fs.StringVar(&wf.failureState, "failure-state", "", "the state a failing action ends in (must end in _ERROR)")
	return wf
}

// options turns the flags into qoverytest options. Only the live-API flags
// given become options, so that they override -live rather than their
// zero values turning its behaviours off.
func (wf *worldFlags) options(fs *flag.FlagSet) []qoverytest.Option {
	opts := []qoverytest.Option{qoverytest.WithSteps(wf.steps)}
	if wf.empty {
		opts = append(opts, qoverytest.WithEmptyWorld())
	}
	if wf.live {
		opts = append(opts, qoverytest.WithLiveBehaviours())
	}
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "stale":
			opts = append(opts, qoverytest.WithStaleStatus(wf.stale))
		case "deleted-status":
			opts = append(opts, qoverytest.WithDeletedStatus(wf.deleted))
		case "busy-conflict":
			if wf.busy {
				opts = append(opts, qoverytest.WithBusyConflict())
			}
		case "new-state":
			opts = append(opts, qoverytest.WithNewState(wf.newState))
		case "failure-state":
			opts = append(opts, qoverytest.WithFailureState(wf.failureState))
		}
	})
	return opts
}
