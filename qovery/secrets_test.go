package qovery

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/qoverykit/qovery-go/gen"
	"github.com/qoverykit/qovery-go/internal/fixtures"
)

// anyURL finds the URLs of a log, whatever attribute or message holds them.
var anyURL = regexp.MustCompile(`https?://[^\s"'\\]+`)

// checkLogClean fails t when the log holds one of the secrets (tokens, or
// values only ever sent in a query string), or a URL with a query string or
// fragment.
func checkLogClean(t *testing.T, log string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if i := strings.Index(log, s); i >= 0 {
			t.Errorf("a secret appears in the log: ...%s...", log[max(i-120, 0):i])
		}
	}
	for _, u := range anyURL.FindAllString(log, -1) {
		if strings.ContainsAny(u, "?#") {
			t.Errorf("logged URL %q carries a query string", u)
		}
	}
}

// checkPrinted fails t when a fmt verb shows a secret in v: %v, %+v and
// %#v for any value, and also %s and %q for the package's own types (the
// Client and its errors). A net/http value printed with %s shows the
// request it answers in full, Authorization header included, which is
// net/http's doing; %v and its variants print that request as a pointer.
func checkPrinted(t *testing.T, what string, v any, secrets ...string) {
	t.Helper()
	verbs := []string{"%v", "%+v", "%#v"}
	switch v.(type) {
	case *Client, Client, *APIError, *DecodeError, error:
		verbs = append(verbs, "%s", "%q")
	}
	for _, verb := range verbs {
		out := fmt.Sprintf(verb, v)
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("%s printed with %s shows a secret: %s", what, verb, out)
			}
		}
	}
	if err, ok := v.(error); ok && err != nil {
		for _, s := range secrets {
			if strings.Contains(err.Error(), s) {
				t.Errorf("%s: error text shows a secret: %v", what, err)
			}
		}
	}
}

// echoing is an API that repeats the credential it receives back to the
// client, in every place a careless server might: the error body, the
// message, a header. The client must not pass it on.
func echoing(t *testing.T) *http.ServeMux {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		w.Header().Set("X-Request-Id", auth)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		_, _ = fmt.Fprintf(w, `{"status":403,"error":"Forbidden","message":"header %s is not allowed here"}`, auth)
	})
	return mux
}

// TestSecretsNeverLeak runs a varied workload — successes, API errors,
// faults, redirects, query strings, a rejected token, a server that echoes
// the token — with the most verbose logging the client offers, and checks
// that neither token shows up in the logs, the errors or any printed value.
func TestSecretsNeverLeak(t *testing.T) {
	const wrongToken = "qvtok-wr0ng-91e4b2aa"
	secrets := []string{testToken, wrongToken}

	fake := fixtures.NewServer(t, fixtures.WithToken(testToken))
	ids := fake.Seed()
	// The history is listed from a page start given in the query string;
	// that ID must not reach the logs.
	deployments := fake.SeedDeployments(ids.ApplicationID, 45)
	startID := deployments[len(deployments)-21]
	echo := serve(t, echoing(t))

	text, structured := &syncBuffer{}, &syncBuffer{}
	verbose := &slog.HandlerOptions{Level: slog.LevelDebug - 4, AddSource: true}
	loggers := []*slog.Logger{
		slog.New(slog.NewTextHandler(text, verbose)),
		slog.New(slog.NewJSONHandler(structured, verbose)),
	}
	// Rate limits are not waited out here: the 429 comes back as an error
	// carrying the reset time, one more value to print.
	policy := fastPolicy()
	policy.MaxRetryAfter = 10 * time.Millisecond

	var printed []any
	keep := func(vs ...any) { printed = append(printed, vs...) }

	for _, logger := range loggers {
		for _, token := range []string{testToken, wrongToken} {
			for _, bearer := range []bool{false, true} {
				opts := []Option{WithBaseURL(fake.URL), WithLogger(logger), WithRetryPolicy(policy)}
				if bearer {
					opts = append(opts, WithBearer())
				}
				c, err := New(token, opts...)
				if err != nil {
					t.Fatal(err)
				}
				keep(c, *c, c.API())
				secretsWorkload(t, c, fake, ids, startID, keep)
			}
		}
		c, err := New(testToken, WithBaseURL(echo.URL), WithLogger(logger), WithRetryPolicy(policy))
		if err != nil {
			t.Fatal(err)
		}
		r, err := c.API().GetProjectWithResponse(context.Background(), mustUUID(t, ids.ProjectID))
		keep(r, err)
		_, err = Result[gen.ProjectResponse](r, err)
		keep(err)
		if !IsForbidden(err) {
			t.Errorf("echoing server: err = %v, want a 403", err)
		}
	}
	// A refused construction does not show the token either.
	for _, base := range []string{"http://api.example.com", "ftp://x", "https://user:pw@api.example.com", "%"} {
		_, err := New(testToken, WithBaseURL(base))
		if err == nil {
			t.Errorf("New accepted %q", base)
		}
		keep(err)
	}

	for i, v := range printed {
		checkPrinted(t, fmt.Sprintf("value %d (%T)", i, v), v, secrets...)
	}
	checkLogClean(t, text.String(), testToken, wrongToken, startID)
	checkLogClean(t, structured.String(), testToken, wrongToken, startID)
	if n := strings.Count(text.String(), "\n"); n < 50 {
		t.Errorf("only %d log lines: the workload did not exercise the logger", n)
	}
	t.Logf("%d values printed, %d text and %d JSON log lines scanned", len(printed),
		strings.Count(text.String(), "\n"), strings.Count(structured.String(), "\n"))
}

// secretsWorkload makes calls of every outcome and hands each returned
// value to keep.
func secretsWorkload(t *testing.T, c *Client, fake *fixtures.Server, ids fixtures.Seeded, startID string, keep func(...any)) {
	t.Helper()
	// Faults are only served to authenticated requests: a workload run
	// with a rejected token must not leave them queued for the next one.
	defer fake.ClearFaults()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	api := c.API()
	project := mustUUID(t, ids.ProjectID)
	app := mustUUID(t, ids.ApplicationID)

	// Success and API errors.
	r1, err := api.GetProjectWithResponse(ctx, project)
	keep(r1, err)
	if err == nil {
		keep(r1.HTTPResponse, r1.JSON200)
	}
	p, err := Result[gen.ProjectResponse](r1, err)
	keep(p, err)
	_, err = Result[gen.ProjectResponse](api.GetProjectWithResponse(ctx, uuid.New()))
	keep(err)

	// Query strings: several pages of deployment history.
	start := mustUUID(t, startID)
	params := &gen.ListApplicationDeploymentHistoryParams{StartId: &start}
	h, err := api.ListApplicationDeploymentHistoryWithResponse(ctx, app, params)
	keep(h, err)
	_, err = Result[gen.ApplicationDeploymentHistoryResponseList](h, err)
	keep(err)

	// Faults: every kind the fake has, on a GET and on a POST.
	for _, f := range []fixtures.Fault{
		{Kind: fixtures.FaultRateLimit, RetryAfter: time.Millisecond},
		{Kind: fixtures.FaultRateLimitDate, RetryAfter: time.Millisecond},
		{Kind: fixtures.FaultStatus, Status: http.StatusServiceUnavailable},
		{Kind: fixtures.FaultStatus, Status: http.StatusConflict, Message: "busy"},
		{Kind: fixtures.FaultHTML},
		{Kind: fixtures.FaultReset},
		{Kind: fixtures.FaultClose},
		{Kind: fixtures.FaultTruncate},
		{Kind: fixtures.FaultDelay, Delay: 5 * time.Millisecond},
		{Kind: fixtures.FaultRedirect},
		{Kind: fixtures.FaultRedirect, Status: http.StatusTemporaryRedirect},
	} {
		fake.InjectFault("listApplicationDeploymentHistory", 1, f)
		_, err = Result[gen.ApplicationDeploymentHistoryResponseList](api.ListApplicationDeploymentHistoryWithResponse(ctx, app, params))
		keep(err)
		fake.InjectFault("createProject", 1, f)
		name := "secret-" + strings.ReplaceAll(f.String(), " ", "-") + "-" + uuid.NewString()[:8]
		cp, err := api.CreateProjectWithResponse(ctx, mustUUID(t, ids.OrganizationID), gen.ProjectRequest{Name: name})
		keep(cp, err)
		_, err = Result[gen.ProjectResponse](cp, err)
		keep(err)
	}

	// A call cut short by its context, and one whose context is gone.
	fake.InjectFault("getProject", 1, fixtures.Fault{Kind: fixtures.FaultHang})
	short, stop := context.WithTimeout(ctx, 50*time.Millisecond)
	_, err = Result[gen.ProjectResponse](api.GetProjectWithResponse(short, project))
	stop()
	keep(err)
	_, err = Result[gen.ProjectResponse](api.GetProjectWithResponse(short, project))
	keep(err)

	for _, tr := range fake.RedirectTarget().Requests() {
		if v := tr.Header.Get("Authorization"); v != "" {
			t.Errorf("the redirect target received Authorization %q", v)
		}
	}
	// Bodies returned to the caller after an error are readable and clean.
	if r1 != nil {
		b, _ := io.ReadAll(r1.HTTPResponse.Body)
		keep(string(b))
	}
}
