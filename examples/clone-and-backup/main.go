// Command clone-and-backup clones a database, deploys the clone, backs it up,
// shows the latest backup and clones an environment, printing one line per
// step with the time it took.
//
// Without QOVERY_API_TOKEN (or with -fake) it runs against a fake Qovery API
// started inside the program and seeded with an organization, a project, a
// "production" environment and a PostgreSQL database, so it needs no
// account:
//
//	go run ./examples/clone-and-backup
//
// With a token it talks to the real API (QOVERY_API_URL overrides the
// address) and needs the IDs of a database and of the environment to clone:
//
//	QOVERY_API_TOKEN=... go run ./examples/clone-and-backup \
//		-database <uuid> -environment <uuid> [-target <uuid>] [-suffix -copy] [-mode PREVIEW] [-poll 3s]
//
// Against the real API the clones it creates are kept; their IDs are printed
// so that they can be deleted afterwards.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/qoverykit/qovery-go/qovery"
	"github.com/qoverykit/qovery-go/qovery/qoverytest"
)

// config is what the steps need, from the flags or from the seeded fake.
type config struct {
	databaseID    string        // the database to clone
	environmentID string        // the environment to clone
	targetID      string        // where the database clone goes; "" for the database's own environment
	suffix        string        // appended to the source names to name the clones
	mode          string        // mode of the environment clone; "" keeps the source's
	timeout       time.Duration // bound on the whole run
	poll          time.Duration // first poll interval of the waits (real API)
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	cfg, useFake, code := parseFlags(args, stderr)
	if code != 0 {
		return code
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()

	p := &progress{w: stdout, start: time.Now()}
	if useFake || os.Getenv(qovery.EnvToken) == "" {
		c, stopFake, err := startFake(p, &cfg)
		if err != nil {
			fmt.Fprintln(stderr, "clone-and-backup:", err)
			return 1
		}
		code = runSteps(ctx, c, cfg, p, stderr)
		// The fake checks every request against the spec.
		for _, m := range stopFake() {
			fmt.Fprintln(stderr, "clone-and-backup: the API would refuse a request:", m)
		}
		return code
	}
	if cfg.suffix == "" {
		cfg.suffix = "-copy-" + time.Now().Format("0102-1504")
	}
	c, err := qovery.NewFromEnv(qovery.WithUserAgent("clone-and-backup-example"),
		qovery.WithWaitPolicy(qovery.WaitPolicy{MinInterval: cfg.poll, Timeout: cfg.timeout}))
	if err != nil {
		fmt.Fprintln(stderr, "clone-and-backup:", err)
		return 1
	}
	p.step("connect", "talking to %s", c.BaseURL())
	return runSteps(ctx, c, cfg, p, stderr)
}

// parseFlags reads the command line; a code other than 0 is the exit code
// for a bad one.
func parseFlags(args []string, stderr io.Writer) (cfg config, useFake bool, code int) {
	fs := flag.NewFlagSet("clone-and-backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&useFake, "fake", false, "use the embedded fake API even when QOVERY_API_TOKEN is set")
	fs.StringVar(&cfg.databaseID, "database", "", "ID of the database to clone and back up (real API)")
	fs.StringVar(&cfg.environmentID, "environment", "", "ID of the environment to clone (real API)")
	fs.StringVar(&cfg.targetID, "target", "", "ID of the environment to put the database clone in (default: the database's own)")
	fs.StringVar(&cfg.suffix, "suffix", "", "suffix of the clones' names (default: -copy on the fake, -copy-MMDD-HHMM on the real API)")
	fs.StringVar(&cfg.mode, "mode", "PREVIEW", "mode of the environment clone: DEVELOPMENT, PREVIEW, PRODUCTION, STAGING, or empty to keep the source's")
	fs.DurationVar(&cfg.timeout, "timeout", 30*time.Minute, "give up after this long")
	fs.DurationVar(&cfg.poll, "poll", 3*time.Second, "first poll interval while waiting (it grows up to 30s)")
	if err := fs.Parse(args); err != nil {
		return cfg, false, 2
	}
	if !useFake && os.Getenv(qovery.EnvToken) != "" && (cfg.databaseID == "" || cfg.environmentID == "") {
		fmt.Fprintln(stderr, "clone-and-backup: with QOVERY_API_TOKEN set, -database and -environment are required (or use -fake)")
		fs.Usage()
		return cfg, false, 2
	}
	return cfg, useFake, 0
}

// runSteps runs the steps and reports how they ended.
func runSteps(ctx context.Context, c *qovery.Client, cfg config, p *progress, stderr io.Writer) int {
	if err := steps(ctx, c, cfg, p); err != nil {
		fmt.Fprintln(stderr, "clone-and-backup:", err)
		return 1
	}
	p.done()
	return 0
}

// startFake starts the embedded fake API (package qoverytest), with its
// seeded world, and returns a client for it, with a function that stops it
// and returns the requests it refused.
func startFake(p *progress, cfg *config) (*qovery.Client, func() []string, error) {
	srv, err := qoverytest.Start(qoverytest.WithSteps(2))
	if err != nil {
		return nil, nil, err
	}
	cfg.databaseID, cfg.environmentID = srv.World.DatabaseID, srv.World.EnvironmentID
	if cfg.suffix == "" {
		cfg.suffix = "-copy"
	}
	// The fake moves on at each read, and its client polls in milliseconds.
	c := srv.Client(qovery.WithUserAgent("clone-and-backup-example"))
	p.step("start fake API", "no %s set: serving a seeded fake at %s", qovery.EnvToken, srv.URL)
	return c, func() []string {
		srv.Close()
		return srv.Rejected()
	}, nil
}

// steps runs the scenario.
func steps(ctx context.Context, c *qovery.Client, cfg config, p *progress) error {
	if err := checkFlagIDs(cfg); err != nil {
		return err
	}
	clone, err := cloneDatabase(ctx, c, cfg, p)
	if err != nil {
		return err
	}
	if err := backUp(ctx, c, clone, p); err != nil {
		return err
	}
	return cloneEnvironment(ctx, c, cfg, p)
}

// cloneDatabase clones the database, deploys the clone and waits until it
// runs.
func cloneDatabase(ctx context.Context, c *qovery.Client, cfg config, p *progress) (*qovery.DatabaseResponse, error) {
	source, err := c.Databases.Get(ctx, cfg.databaseID)
	if err != nil {
		return nil, fmt.Errorf("reading database %s: %w", cfg.databaseID, err)
	}
	target := cfg.targetID
	if target == "" {
		target = source.Environment.GetId()
	}
	name := source.Name + cfg.suffix
	clone, err := c.Databases.Clone(ctx, cfg.databaseID, name, target, qovery.WithDeploy())
	var failed *qovery.StateError
	switch {
	case errors.As(err, &failed):
		return nil, fmt.Errorf("the clone %s (%s) did not deploy: %w", name, clone.Id, err)
	case errors.Is(err, qovery.ErrConflict):
		return nil, fmt.Errorf("cloning %s: %w (is another operation running, or is %q taken? try another -suffix)", source.Name, err, name)
	case err != nil:
		return nil, fmt.Errorf("cloning %s: %w", source.Name, err)
	}
	p.step("clone database", "%s -> %s (%s), deployed", source.Name, clone.Name, clone.Id)
	return clone, nil
}

// backUp backs the clone up, waits for the backup, and shows the latest
// completed backup.
func backUp(ctx context.Context, c *qovery.Client, clone *qovery.DatabaseResponse, p *progress) error {
	cloneID := clone.GetId()
	backup, err := c.Backups.Create(ctx, cloneID, clone.Name+"-backup", "taken by the clone-and-backup example")
	if err != nil {
		return fmt.Errorf("starting a backup of %s: %w", clone.Name, err)
	}
	p.step("start backup", "%s (%s), %s", deref(backup.Name), deref(backup.Id), qovery.BackupPhaseOf(backup))

	backup, err = c.Backups.Wait(ctx, cloneID, backup.GetId())
	if err != nil {
		return fmt.Errorf("waiting for the backup: %w", err)
	}
	p.step("wait for backup", "%s is %s (%s)", deref(backup.Name), qovery.BackupPhaseOf(backup), backupState(backup))

	latest, err := c.Backups.Latest(ctx, cloneID)
	if err != nil {
		return fmt.Errorf("finding the latest backup: %w", err)
	}
	taken := "at an unknown time"
	if latest.CreatedAt != nil {
		taken = "taken " + latest.CreatedAt.UTC().Format(time.RFC3339)
	}
	p.step("latest backup", "%s (%s), %s", deref(latest.Name), deref(latest.Id), taken)
	return nil
}

// cloneEnvironment clones the environment, in the mode asked for.
func cloneEnvironment(ctx context.Context, c *qovery.Client, cfg config, p *progress) error {
	env, err := c.Environments.Get(ctx, cfg.environmentID)
	if err != nil {
		return fmt.Errorf("reading environment %s: %w", cfg.environmentID, err)
	}
	var opts []qovery.CloneOption
	if cfg.mode != "" {
		opts = append(opts, qovery.WithMode(cfg.mode))
	}
	envName := deref(env.Name) + cfg.suffix
	envClone, err := c.Environments.Clone(ctx, cfg.environmentID, envName, opts...)
	if err != nil {
		return fmt.Errorf("cloning environment %s: %w", deref(env.Name), err)
	}
	p.step("clone environment", "%s -> %s (%s), mode %s", deref(env.Name), deref(envClone.Name), deref(envClone.Id), deref(envClone.Mode))
	return nil
}

// progress prints one line per step: the time since the start, the time the
// step took, its name and what it did.
type progress struct {
	w     io.Writer
	start time.Time
	last  time.Time
}

func (p *progress) step(name, format string, args ...any) {
	now := time.Now()
	if p.last.IsZero() {
		p.last = p.start
	}
	fmt.Fprintf(p.w, "%8s %8s  %-18s %s\n", seconds(now.Sub(p.start)), "+"+seconds(now.Sub(p.last)), name, fmt.Sprintf(format, args...))
	p.last = now
}

func (p *progress) done() {
	fmt.Fprintf(p.w, "%8s %8s  %-18s %s\n", seconds(time.Since(p.start)), "", "done", "all steps succeeded")
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3fs", d.Seconds()) }

func backupState(b *qovery.Backup) string {
	st := b.GetStatus()
	if st == nil {
		return "no status"
	}
	parts := []string{}
	if state := st.GetState(); state != "" {
		parts = append(parts, "state "+state)
	}
	if details := st.GetStatusDetails().GetStatus(); details != "" {
		parts = append(parts, "status "+details)
	}
	return strings.Join(parts, ", ")
}

// deref prints an optional field.
func deref[T any](p *T) string {
	if p == nil {
		return "?"
	}
	return fmt.Sprint(*p)
}

// checkFlagIDs says which flag is not a UUID, before anything is sent (the
// client would refuse it too, naming its own argument).
func checkFlagIDs(cfg config) error {
	for _, f := range [][2]string{{"database", cfg.databaseID}, {"environment", cfg.environmentID}} {
		if _, err := uuid.Parse(f[1]); err != nil || len(f[1]) != 36 {
			return fmt.Errorf("-%s %q is not a UUID", f[0], f[1])
		}
	}
	return nil
}
