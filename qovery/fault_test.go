package qovery

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/uuid"

	"github.com/qoverykit/qovery-go/gen"
	"github.com/qoverykit/qovery-go/internal/fixtures"
)

// The fault suite drives a few thousand calls through a Client against the
// fake API while the fake fails a seeded share of the requests, then checks
// what the facade promises: idempotent calls survive, writes are never
// duplicated, deadlines hold, nothing leaks.
const (
	faultCalls    = 2000
	faultWorkers  = 16
	faultSeed     = 7
	faultRate     = 0.30
	faultSlow     = 150 * time.Millisecond // the "slow response" fault
	faultProbePct = 8                      // percentage of calls with a tight deadline
	faultDeadline = 20 * time.Second       // deadline of every other call
	faultOvershot = 100 * time.Millisecond // how late a call may return past its deadline
)

// faultMix is the fault mix of the suite. 503 and connection resets come
// twice: once before the request took effect and once after it (the API
// handled it but the answer was lost), which is what makes a retried write
// dangerous.
func faultMix() []fixtures.Fault {
	return []fixtures.Fault{
		{Kind: fixtures.FaultRateLimit, RetryAfter: time.Second},
		{Kind: fixtures.FaultRateLimitDate, RetryAfter: time.Second},
		{Kind: fixtures.FaultStatus, Status: http.StatusServiceUnavailable},
		{Kind: fixtures.FaultStatus, Status: http.StatusServiceUnavailable, Apply: true},
		{Kind: fixtures.FaultReset},
		{Kind: fixtures.FaultReset, Apply: true},
		{Kind: fixtures.FaultTruncate},
		{Kind: fixtures.FaultDelay, Delay: faultSlow},
		{Kind: fixtures.FaultHTML, Status: http.StatusBadGateway},
	}
}

// faultPolicy is the retry policy of the suite: the default rules with
// millisecond backoffs, room for the fake's one-second Retry-After, enough
// attempts that a 30% fault rate cannot exhaust them, and a budget of one
// retry earned per call (the budget itself is tested under a sustained
// outage, with the default ratio).
func faultPolicy() RetryPolicy {
	return RetryPolicy{
		MaxAttempts:   12,
		BaseDelay:     time.Millisecond,
		MaxDelay:      10 * time.Millisecond,
		MaxRetryAfter: 3 * time.Second,
		BudgetRatio:   1,
		BudgetBurst:   50,
	}
}

// Fault kinds, as the published figures name them.
const (
	kindNone      = "none"
	kindRetrySecs = "429 Retry-After seconds"
	kindRetryDate = "429 Retry-After date"
	kind503       = "503 JSON"
	kindReset     = "connection reset"
	kindTruncated = "truncated body"
	kindSlow      = "slow response"
	kindHTML      = "502 HTML page"
)

var faultKinds = []string{kindNone, kindRetrySecs, kindRetryDate, kind503, kindReset, kindTruncated, kindSlow, kindHTML}

func kindOf(f fixtures.Fault) string {
	switch f.Kind {
	case fixtures.FaultRateLimit:
		return kindRetrySecs
	case fixtures.FaultRateLimitDate:
		return kindRetryDate
	case fixtures.FaultStatus:
		return kind503
	case fixtures.FaultReset:
		return kindReset
	case fixtures.FaultTruncate:
		return kindTruncated
	case fixtures.FaultDelay:
		return kindSlow
	case fixtures.FaultHTML:
		return kindHTML
	}
	return string(f.Kind)
}

// callHeader carries the index of the call on every request, so that the
// fake's fault log tells which call met which fault.
const callHeader = "X-Fault-Call"

// faultCall counts the attempts of one call, as the layer under the retry
// transport sees them.
type faultCall struct{ n atomic.Int32 }

type faultCallKey struct{}

// faultObserver sits under the retry layer and counts every attempt, per
// call and in all.
type faultObserver struct {
	next     http.RoundTripper
	attempts atomic.Int64
}

func (o *faultObserver) RoundTrip(r *http.Request) (*http.Response, error) {
	o.attempts.Add(1)
	if fc, ok := r.Context().Value(faultCallKey{}).(*faultCall); ok {
		fc.n.Add(1)
	}
	return o.next.RoundTrip(r)
}

// faultOp is one kind of call of the suite.
type faultOp int

const (
	opGetProject faultOp = iota
	opListEnvironment
	opAppStatus
	opEditProject
	opDeleteProject
	opCreateProject
	opDeployApp
)

func (op faultOp) String() string {
	return [...]string{"GET project", "GET environments", "GET status", "PUT project", "DELETE project", "POST project", "POST deploy"}[op]
}

func (op faultOp) idempotent() bool { return op < opCreateProject }

// faultPlan is one call, decided before the run from the seed.
type faultPlan struct {
	op       faultOp
	target   string // the object the call acts on
	name     string // the project a create makes
	deadline time.Duration
	probe    bool // a tight deadline: the call may fail, but not late
}

// faultResult is what came back.
type faultResult struct {
	err     error
	elapsed time.Duration
	call    *faultCall
}

func planFaultCalls(n int) []faultPlan {
	plans := make([]faultPlan, n)
	for i := range plans {
		rng := rand.New(rand.NewPCG(faultSeed, uint64(i)))
		p := &plans[i]
		switch r := rng.IntN(100); {
		case r < 25:
			p.op = opGetProject
		case r < 35:
			p.op = opListEnvironment
		case r < 45:
			p.op = opAppStatus
		case r < 60:
			p.op = opEditProject
		case r < 70:
			p.op = opDeleteProject
		case r < 88:
			p.op = opCreateProject
			p.name = fmt.Sprintf("fault-%04d", i)
		default:
			p.op = opDeployApp
		}
		p.deadline = faultDeadline
		if rng.IntN(100) < faultProbePct {
			p.probe = true
			p.deadline = time.Duration(20+rng.IntN(60)) * time.Millisecond
		}
	}
	return plans
}

// faultWorld is the seeded state the calls act on.
type faultWorld struct {
	org, project, env, app string
	pool                   []string // projects the GETs and PUTs use
}

func seedFaultWorld(fake *fixtures.Server, plans []faultPlan) faultWorld {
	w := faultWorld{org: fake.SeedOrganization("fault-org")}
	w.project = fake.SeedProject(w.org, "fault-base")
	w.env = fake.SeedEnvironment(w.project, "fault-env")
	w.app = fake.SeedApplication(w.env, "fault-app")
	for i := range 16 {
		w.pool = append(w.pool, fake.SeedProject(w.org, fmt.Sprintf("pool-%02d", i)))
	}
	for i := range plans {
		p := &plans[i]
		switch p.op {
		case opGetProject, opEditProject:
			p.target = w.pool[i%len(w.pool)]
		case opListEnvironment:
			p.target = w.project
		case opAppStatus:
			p.target = w.app
		case opDeleteProject:
			p.target = fake.SeedProject(w.org, fmt.Sprintf("doomed-%04d", i))
		case opCreateProject:
			p.target = w.org
		case opDeployApp:
			// Each deploy gets its own application, so its deployment
			// history tells how many times this very call took effect.
			p.target = fake.SeedApplication(w.env, fmt.Sprintf("app-%04d", i))
		}
	}
	return w
}

func runFaultCall(ctx context.Context, c *Client, i int, p faultPlan) error {
	id, err := uuid.Parse(p.target)
	if err != nil {
		return err
	}
	tag := func(_ context.Context, req *http.Request) error {
		req.Header.Set(callHeader, strconv.Itoa(i))
		return nil
	}
	api := c.API()
	switch p.op {
	case opGetProject:
		_, err = Result[gen.ProjectResponse](api.GetProjectWithResponse(ctx, id, tag))
	case opListEnvironment:
		_, err = Result[gen.EnvironmentResponseList](api.ListEnvironmentWithResponse(ctx, id, tag))
	case opAppStatus:
		_, err = Result[gen.Status](api.GetApplicationStatusWithResponse(ctx, id, tag))
	case opEditProject:
		desc := fmt.Sprintf("edit %d", i)
		name := fmt.Sprintf("pool-%02d", i%16)
		_, err = Result[gen.ProjectResponse](api.EditProjectWithResponse(ctx, id, gen.ProjectEditRequest{Name: name, Description: &desc}, tag))
	case opDeleteProject:
		err = Check(api.DeleteProjectWithResponse(ctx, id, tag))
	case opCreateProject:
		_, err = Result[gen.ProjectResponse](api.CreateProjectWithResponse(ctx, id, gen.ProjectRequest{Name: p.name}, tag))
	case opDeployApp:
		_, err = Result[gen.Status](api.DeployApplicationWithResponse(ctx, id, gen.DeployApplicationRequest{GitCommitId: fmt.Sprintf("%040x", i)}, tag))
	}
	return err
}

// faultFigures are the numbers the suite publishes.
type faultFigures struct {
	calls, attempts, serverRequests, successes, duplicates int
	probes, probeFailures                                  int
	idempotent, idempotentOK                               int
	writes, writesOK, writesLost, writesNotDone            int
	maxOvershoot                                           time.Duration
	byKind                                                 map[string][]time.Duration
	faultsInjected                                         map[string]int
}

// TestFaultMixedCalls runs in a testing/synctest bubble, on an in-memory
// network: the fake's one-second Retry-After, its slow answers, the
// backoffs and the deadlines all pass on the bubble's clock, which moves as
// soon as every goroutine of the run waits. So the suite takes the time its
// work takes, and every duration it measures and checks is exact.
func TestFaultMixedCalls(t *testing.T) {
	synctest.Test(t, testFaultMixedCalls)
}

func testFaultMixedCalls(t *testing.T) {
	fake := fixtures.NewServer(t, fixtures.WithToken(testToken), fixtures.WithoutListener())
	plans := planFaultCalls(faultCalls)
	world := seedFaultWorld(fake, plans)

	// The client talks to the fake through a server of ours, so that both
	// ends of every connection are counted.
	serverConns, clientConns := &connCounter{}, &connCounter{}
	mem := serveMem(t, fake, serverConns)
	baseURL := memBaseURL + fake.BasePath
	inner := memTransport(mem, clientConns)
	observer := &faultObserver{next: inner}
	logs := &syncBuffer{}
	before := len(bubbleStacks())

	c, err := New(testToken,
		WithBaseURL(baseURL),
		WithHTTPClient(&http.Client{Transport: observer}),
		WithRetryPolicy(faultPolicy()),
		WithLogger(debugLogger(logs)),
	)
	if err != nil {
		t.Fatal(err)
	}

	fake.SetFaultMix(faultSeed, faultRate, faultMix()...)
	results := make([]faultResult, len(plans))
	next := atomic.Int64{}
	start := time.Now()
	var wg sync.WaitGroup
	for range faultWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(plans) {
					return
				}
				p := plans[i]
				fc := &faultCall{}
				ctx, cancel := context.WithTimeout(context.WithValue(context.Background(), faultCallKey{}, fc), p.deadline)
				t0 := time.Now()
				err := runFaultCall(ctx, c, i, p)
				results[i] = faultResult{err: err, elapsed: time.Since(t0), call: fc}
				cancel()
			}
		}()
	}
	wg.Wait()
	wall := time.Since(start)
	fake.ClearFaults()

	// Leaks first, before anything else runs. Idle keep-alive connections
	// are the pool working as intended: close them, then nothing may remain.
	inner.CloseIdleConnections()
	if !waitFor(5*time.Second, func() bool { return clientConns.open() == 0 && serverConns.open() == 0 }) {
		t.Errorf("connection leak: %d client and %d server connections still open (client opened %d)",
			clientConns.open(), serverConns.open(), clientConns.opened.Load())
	}
	checkBubbleGoroutines(t, before)

	// Which call met which fault, from the fake's log.
	faultsOf := make([][]fixtures.Fault, len(plans))
	fig := faultFigures{
		calls:          len(plans),
		attempts:       int(observer.attempts.Load()),
		byKind:         map[string][]time.Duration{},
		faultsInjected: map[string]int{},
	}
	for _, n := range fake.Counts() {
		fig.serverRequests += n.Received
	}
	for _, ev := range fake.Faults() {
		fig.faultsInjected[ev.Fault.String()+applied(ev.Fault)]++
		if i, err := strconv.Atoi(ev.Header.Get(callHeader)); err == nil && i >= 0 && i < len(plans) {
			faultsOf[i] = append(faultsOf[i], ev.Fault)
		} else {
			t.Errorf("fault %v hit a request without a call number", ev.Fault)
		}
	}

	// Every idempotent call succeeds, every call keeps its deadline.
	var failures []string
	for i, p := range plans {
		r := results[i]
		kind := kindNone
		if len(faultsOf[i]) > 0 {
			kind = kindOf(faultsOf[i][0])
		}
		fig.byKind[kind] = append(fig.byKind[kind], r.elapsed)
		if over := r.elapsed - p.deadline; over > fig.maxOvershoot {
			fig.maxOvershoot = over
		}
		if r.elapsed > p.deadline+faultOvershot {
			t.Errorf("call %d (%s) returned %v after a %v deadline", i, p.op, r.elapsed, p.deadline)
		}
		ok := r.err == nil
		if !ok && p.op == opDeleteProject && IsNotFound(r.err) && r.call.n.Load() > 1 && !fake.Exists(p.target) {
			// An earlier attempt deleted it and its answer was lost: the
			// retry finds it gone, which is the outcome the caller asked for.
			ok = true
		}
		if ok {
			fig.successes++
		}
		if p.probe {
			fig.probes++
			if !ok {
				fig.probeFailures++
			}
			continue
		}
		if p.op.idempotent() {
			fig.idempotent++
			if ok {
				fig.idempotentOK++
			}
		}
		if p.op.idempotent() && !ok {
			failures = append(failures, fmt.Sprintf("call %d (%s) after %d attempt(s), faults %v: %v", i, p.op, r.call.n.Load(), faultsOf[i], r.err))
		}
		assertNoToken(t, r.err)
	}
	if len(failures) > 0 {
		t.Errorf("%d idempotent call(s) failed:\n%s", len(failures), strings.Join(failures[:min(len(failures), 20)], "\n"))
	}

	// Every POST took effect at most once, and exactly once when it said so.
	var effects map[int]int
	fig.duplicates, effects = checkWritesOnce(t, fake, baseURL, memTransport(mem, &connCounter{}), world, plans, results)
	for i, n := range effects {
		if plans[i].probe {
			continue
		}
		fig.writes++
		switch {
		case results[i].err == nil:
			fig.writesOK++
		case n > 0:
			fig.writesLost++
		default:
			fig.writesNotDone++
		}
	}

	if out := logs.String(); strings.Contains(out, testToken) {
		t.Errorf("the token appears in the debug log")
	}
	logFaultFigures(t, fig, wall)
}

// applied marks the faults that hit after the request took effect.
func applied(f fixtures.Fault) string {
	if f.Apply {
		return " (after effect)"
	}
	return ""
}

// checkWritesOnce counts, for every POST of the run, how many times it took
// effect on the fake. It returns the number of duplicated ones, and the
// count of each POST by call index.
func checkWritesOnce(t *testing.T, fake *fixtures.Server, baseURL string, tr *http.Transport, w faultWorld, plans []faultPlan, results []faultResult) (int, map[int]int) {
	t.Helper()
	defer tr.CloseIdleConnections()
	c, err := New(testToken, WithBaseURL(baseURL), WithRetryPolicy(fastPolicy()), WithHTTPClient(&http.Client{Transport: tr}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	org := mustUUID(t, w.org)
	list, err := Result[gen.ProjectResponseList](c.API().ListProjectWithResponse(ctx, org))
	if err != nil {
		t.Fatalf("listing projects: %v", err)
	}
	names := map[string]int{}
	for _, p := range list.Results {
		if p.Name != nil {
			names[*p.Name]++
		}
	}

	dups, created, deployed := 0, 0, 0
	effects := map[int]int{}
	for i, p := range plans {
		r := results[i]
		var n int
		switch p.op {
		case opCreateProject:
			n = names[p.name]
			created += n
			if IsConflict(r.err) {
				// Only an earlier attempt of this very call can hold the name.
				t.Errorf("call %d: POST project was sent again after it took effect: %v", i, r.err)
				dups++
			}
		case opDeployApp:
			h, err := Result[gen.ApplicationDeploymentHistoryResponseList](
				c.API().ListApplicationDeploymentHistoryWithResponse(ctx, mustUUID(t, p.target), nil))
			if err != nil {
				t.Fatalf("deployment history of %s: %v", p.target, err)
			}
			n = len(h.Results)
			deployed += n
		default:
			continue
		}
		effects[i] = n
		switch {
		case n > 1:
			t.Errorf("call %d (%s) took effect %d times (err %v)", i, p.op, n, r.err)
			dups++
		case r.err == nil && n != 1:
			t.Errorf("call %d (%s) returned success but took effect %d times", i, p.op, n)
		}
	}
	// The fake's own counters agree: nothing else was processed.
	if got := fake.Processed("createProject"); got != created {
		t.Errorf("the fake processed createProject %d times, but %d projects were created", got, created)
	}
	if got := fake.Processed("deployApplication"); got != deployed {
		t.Errorf("the fake processed deployApplication %d times, but %d deployments were recorded", got, deployed)
	}
	return dups, effects
}

func logFaultFigures(t *testing.T, fig faultFigures, wall time.Duration) {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "fault suite: seed %d, %.0f%% of requests faulted, %d workers, %v on the test's clock\n",
		faultSeed, faultRate*100, faultWorkers, wall.Round(time.Millisecond))
	fmt.Fprintf(&b, "calls %d, attempts %d (%.2f per call; the server saw %d requests), successes %d, duplicates %d\n",
		fig.calls, fig.attempts, float64(fig.attempts)/float64(fig.calls), fig.serverRequests, fig.successes, fig.duplicates)
	fmt.Fprintf(&b, "idempotent calls %d, succeeded %d; POSTs %d: succeeded %d, failed before taking effect %d, failed after taking effect once (answer lost) %d\n",
		fig.idempotent, fig.idempotentOK, fig.writes, fig.writesOK, fig.writesNotDone, fig.writesLost)
	fmt.Fprintf(&b, "tight-deadline calls %d (%d failed, as allowed); worst return past a deadline %v\n",
		fig.probes, fig.probeFailures, max(fig.maxOvershoot, 0).Round(time.Microsecond))
	fmt.Fprintf(&b, "%-24s %6s %10s %10s\n", "first fault of the call", "calls", "p50", "p99")
	for _, k := range faultKinds {
		d := fig.byKind[k]
		if len(d) == 0 {
			continue
		}
		fmt.Fprintf(&b, "%-24s %6d %10v %10v\n", k, len(d), percentile(d, 50), percentile(d, 99))
	}
	keys := make([]string, 0, len(fig.faultsInjected))
	for k := range fig.faultsInjected {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	b.WriteString("faults injected by the fake:")
	for _, k := range keys {
		fmt.Fprintf(&b, " %s ×%d;", k, fig.faultsInjected[k])
	}
	t.Log(b.String())
}

// percentile returns the p-th percentile (nearest rank) of d.
func percentile(d []time.Duration, p int) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100
	return s[max(i, 1)-1].Round(100 * time.Microsecond)
}

// TestFaultRetryBudgetUnderSustained503 holds a GET in a 503 outage from
// the first call and counts the attempts with the default budget.
func TestFaultRetryBudgetUnderSustained503(t *testing.T) {
	fake := fixtures.NewServer(t)
	ids := fake.Seed()
	fake.InjectFault("getProject", 1<<30, fixtures.Fault{Kind: fixtures.FaultStatus, Status: http.StatusServiceUnavailable})

	inner := &http.Transport{MaxIdleConnsPerHost: 8}
	defer inner.CloseIdleConnections()
	attempts := &countingRT{next: inner}
	policy := DefaultRetryPolicy()
	policy.BaseDelay, policy.MaxDelay = 100*time.Microsecond, time.Millisecond
	c, err := New(testToken, WithBaseURL(fake.URL), WithRetryPolicy(policy), WithHTTPClient(&http.Client{Transport: attempts}))
	if err != nil {
		t.Fatal(err)
	}
	id := mustUUID(t, ids.ProjectID)

	// Calls arrive from 8 goroutines at once; the checkpoints show that
	// the bound holds all along the outage, not only at its end.
	const calls, workers = 2000, 8
	var next atomic.Int64
	var wg sync.WaitGroup
	var mu sync.Mutex
	var worst float64
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n := next.Add(1)
				if n > calls {
					return
				}
				_, err := Result[gen.ProjectResponse](c.API().GetProjectWithResponse(context.Background(), id))
				var ae *APIError
				if !errors.As(err, &ae) || ae.StatusCode != http.StatusServiceUnavailable {
					t.Errorf("err = %v, want a 503 *APIError", err)
				}
				if n%100 == 0 {
					// Calls started so far, against attempts made so far
					// (some of those calls are still retrying: a fair bound).
					mu.Lock()
					worst = max(worst, float64(attempts.n.Load())/float64(next.Load()))
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()

	total := int(attempts.n.Load())
	ratio := float64(total) / calls
	t.Logf("sustained 503, default budget (ratio %.1f, burst %.0f): %d calls, %d attempts, %.3f attempts per call (highest along the way %.3f)",
		policy.BudgetRatio, policy.BudgetBurst, calls, total, ratio, worst)
	if total > calls*12/10 {
		t.Errorf("%d attempts for %d calls: more than 1.2× under a sustained 503", total, calls)
	}
	if got := fake.Received("getProject"); got != total {
		t.Errorf("the server received %d requests, the client counted %d attempts", got, total)
	}
}
