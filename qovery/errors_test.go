package qovery

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/qoverykit/qovery-go/gen"
	"github.com/qoverykit/qovery-go/internal/fixtures"
)

// errorMessage is messageOf with nothing to redact.
func errorMessage(body []byte, status int) string {
	return messageOf(body, status, func(s string) string { return s })
}

func TestErrorMessageParsing(t *testing.T) {
	cases := []struct {
		name string
		body string
		want string
	}{
		{"qovery message", `{"status":404,"error":"Not Found","message":"Database not found"}`, "Database not found"},
		{"error only", `{"error":"invalid token"}`, "invalid token"},
		{"detail", `{"detail":"Organization quota reached"}`, "Organization quota reached"},
		{"nested error object", `{"error":{"code":"E1","message":"nested reason"}}`, "nested reason"},
		{"list of errors", `{"errors":[{"message":"name is required"}]}`, "name is required"},
		{"non-string message", `{"message":42,"error":"fallback"}`, "fallback"},
		{"JSON string", `"plain json string"`, "plain json string"},
		{"HTML title", "<!DOCTYPE html><html><head><TITLE>502 Bad Gateway</TITLE></head><body>nginx</body></html>", "502 Bad Gateway"},
		{"HTML h1", "<html><body><h1>Service <b>Unavailable</b> &amp; down</h1></body></html>", "Service Unavailable & down"},
		{"HTML without text", "<html><body></body></html>", "Service Unavailable"},
		{"plain text", "upstream connect error\nreset reason: overflow", "upstream connect error"},
		{"empty", "", "Service Unavailable"},
		{"blank", "  \n\t ", "Service Unavailable"},
		{"truncated JSON", `{"message":"cut`, `{"message":"cut`},
		{"control characters", "bad\x00\x1b[31m thing", "bad [31m thing"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := errorMessage([]byte(tc.body), 503); got != tc.want {
				t.Fatalf("errorMessage(%q) = %q, want %q", tc.body, got, tc.want)
			}
		})
	}
}

func TestErrorMessageNeverPanicsAndStaysPrintable(t *testing.T) {
	bodies := [][]byte{
		{0xff, 0xfe, 0xfd},
		[]byte("{\"message\":\"caf\xe9\"}"),
		append([]byte(`{"message":"`), bytes.Repeat([]byte("é"), 5000)...),
		bytes.Repeat([]byte("["), 10000),
		bytes.Repeat([]byte(`{"error":`), 3000),
		[]byte("<title>"),
		[]byte("<title>x</h1>"),
		[]byte("<"),
		bytes.Repeat([]byte("a"), 2<<20),
	}
	for _, b := range bodies {
		msg := errorMessage(b, 500)
		if !utf8.ValidString(msg) || utf8.RuneCountInString(msg) > 301 || msg == "" {
			t.Fatalf("errorMessage(%.40q) = %.80q: not short valid UTF-8", b, msg)
		}
	}
}

func TestAPIErrorIsMatchesSentinelsByStatus(t *testing.T) {
	sentinels := map[int]error{401: ErrUnauthorized, 403: ErrForbidden, 404: ErrNotFound, 409: ErrConflict, 429: ErrRateLimited}
	helpers := map[error]func(error) bool{
		ErrUnauthorized: IsUnauthorized, ErrForbidden: IsForbidden, ErrNotFound: IsNotFound,
		ErrConflict: IsConflict, ErrRateLimited: IsRateLimited,
	}
	for _, code := range []int{400, 401, 403, 404, 409, 429, 500, 503} {
		err := fmt.Errorf("wrapped: %w", &APIError{StatusCode: code})
		for status, sentinel := range sentinels {
			want := status == code
			if errors.Is(err, sentinel) != want || helpers[sentinel](err) != want {
				t.Errorf("status %d: errors.Is(%v) = %v, want %v", code, sentinel, !want, want)
			}
		}
	}
	if IsNotFound(nil) || IsNotFound(errors.New("not found")) {
		t.Error("IsNotFound matched a non-API error")
	}
}

func TestNewAPIError(t *testing.T) {
	req := &http.Request{Method: "DELETE", URL: &url.URL{Path: "/database/abc", RawQuery: "secret=1"}}
	resp := &http.Response{
		StatusCode: 409,
		Header:     http.Header{"X-Request-Id": {"req-123"}},
		Request:    req,
	}
	e := newAPIError(resp, []byte(`{"message":"deployment in progress"}`), &exchange{attempts: 3})
	if e.StatusCode != 409 || e.Method != "DELETE" || e.Path != "/database/abc" || e.RequestID != "req-123" ||
		e.Message != "deployment in progress" || e.Attempts != 3 {
		t.Fatalf("newAPIError = %+v", e)
	}
	want := "qovery: DELETE /database/abc: 409 Conflict: deployment in progress (request id req-123) after 3 attempts"
	if e.Error() != want {
		t.Fatalf("Error() = %q, want %q", e.Error(), want)
	}
	if strings.Contains(e.Error(), "secret") {
		t.Fatal("the error shows the query string")
	}
}

func TestAPIErrorNeverHoldsTheToken(t *testing.T) {
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A misbehaving server echoing the request headers.
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-Id", "req-"+r.Header.Get("Authorization"))
		w.WriteHeader(401)
		fmt.Fprintf(w, `{"message":"bad credentials: %s"}`, r.Header.Get("Authorization"))
	}))
	c, _ := newTestClient(t, srv.URL)
	_, err := c.API().ListOrganizationWithResponse(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.API().ListOrganizationWithResponse(t.Context())
	err = Check(resp, err)
	var ae *APIError
	if !errors.As(err, &ae) || !IsUnauthorized(err) {
		t.Fatalf("err = %v, want a 401 *APIError", err)
	}
	assertNoToken(t, err)
	assertNoToken(t, ae)
	assertNoToken(t, *ae)
	if bytes.Contains(ae.Body, []byte(testToken)) || bytes.Contains(resp.Body, []byte(testToken)) {
		t.Fatal("the raw body keeps the echoed token")
	}
	if strings.Contains(resp.HTTPResponse.Header.Get("X-Request-Id"), testToken) {
		t.Fatal("a response header keeps the echoed token")
	}
	if !strings.Contains(ae.Message, "[redacted]") || !strings.Contains(ae.RequestID, "[redacted]") {
		t.Fatalf("message %q", ae.Message)
	}
}

// The attempts an *APIError reports are those of the call that produced it,
// retries included, through a service method as through Result.
func TestAPIErrorReportsTheAttemptsOfTheCall(t *testing.T) {
	h := &counter{script: []int{429, 429, 404}, body: `{"message":"no such database"}`}
	c, _ := newTestClient(t, serve(t, h).URL)
	_, err := c.Databases.Get(context.Background(), "6f1c7d39-8d57-4d6a-9a3b-2c1e0f9b8a77")
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 404 || ae.Attempts != 3 || h.hits.Load() != 3 {
		t.Fatalf("err = %v (%+v) after %d hits, want a 404 *APIError after 3 attempts", err, ae, h.hits.Load())
	}
	if !strings.Contains(err.Error(), "after 3 attempts") {
		t.Fatalf("err = %q does not tell the attempts", err)
	}

	// A later call on the same Client starts its own count.
	h.hits.Store(0)
	h.script = []int{404}
	_, err = c.Databases.Get(context.Background(), "6f1c7d39-8d57-4d6a-9a3b-2c1e0f9b8a77")
	if !errors.As(err, &ae) || ae.Attempts != 1 {
		t.Fatalf("err = %v (%+v), want a 404 *APIError after 1 attempt", err, ae)
	}
}

// The tests below check errors.As or errors.Is on an error of each type and
// each sentinel, as a call of the package produces it.

const someDB = "6f1c7d39-8d57-4d6a-9a3b-2c1e0f9b8a77"

func TestErrorsSentinelsMatchAPIErrorsOfAService(t *testing.T) {
	for code, sentinel := range map[int]error{401: ErrUnauthorized, 403: ErrForbidden, 404: ErrNotFound, 409: ErrConflict, 429: ErrRateLimited} {
		c, _ := newTestClient(t, fixed(t, code, "application/json", `{"message":"no"}`))
		_, err := c.Databases.Get(context.Background(), someDB)
		var ae *APIError
		if !errors.As(err, &ae) || ae.StatusCode != code || !errors.Is(err, sentinel) {
			t.Errorf("%d: err = %v, want an *APIError matching %v", code, err, sentinel)
		}
	}
}

func TestErrorsDecodeErrorAndResponseTooLarge(t *testing.T) {
	c, _ := newTestClient(t, fixed(t, 200, "application/json", `{"id": `))
	_, err := c.Databases.Get(context.Background(), someDB)
	var de *DecodeError
	if !errors.As(err, &de) || de.Operation != "GetDatabase" {
		t.Errorf("truncated body: err = %v, want a *DecodeError", err)
	}

	c, _ = newTestClient(t, fixed(t, 200, "application/json", `{"id":"`+someDB+`","name":"`+strings.Repeat("x", 200)+`"}`), WithMaxResponseBody(64))
	_, err = c.Databases.Get(context.Background(), someDB)
	if !errors.As(err, &de) || !errors.Is(err, ErrResponseTooLarge) {
		t.Errorf("large body: err = %v, want a *DecodeError matching ErrResponseTooLarge", err)
	}

	c, _ = newTestClient(t, fixed(t, 200, "application/json", `null`))
	_, err = Result[gen.DatabaseResponse](c.API().GetDatabaseWithResponse(context.Background(), mustUUID(t, someDB)))
	if !errors.As(err, &de) || !errors.Is(err, errNullBody) {
		t.Errorf("null body: err = %v, want a *DecodeError matching errNullBody", err)
	}
}

func TestErrorsArgError(t *testing.T) {
	var ae *ArgError
	if _, err := New(""); !errors.As(err, &ae) || ae.Arg != "token" || ae.Value != "" {
		t.Errorf("New(\"\") = %v, want an *ArgError for the token", err)
	}
	if _, err := New("abc\x00def"); !errors.As(err, &ae) || ae.Arg != "token" || strings.Contains(ae.Value+ae.Reason, "abc") {
		t.Errorf("New with a control character = %v, want an *ArgError that does not show the token", err)
	}
	for _, u := range []string{"http://[::1", "ftp://api.qovery.com", "https://", "https://u:p@api.qovery.com", "https://api.qovery.com/?a=b", "http://api.qovery.com"} {
		if _, err := New(testToken, WithBaseURL(u)); !errors.As(err, &ae) || ae.Arg != "base URL" || ae.Reason == "" {
			t.Errorf("New(WithBaseURL(%q)) = %v, want an *ArgError for the base URL", u, err)
		}
	}
	insecure := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	if _, err := New(testToken, WithHTTPClient(insecure)); !errors.As(err, &ae) || ae.Arg != "HTTP client" {
		t.Errorf("New with TLS verification off = %v, want an *ArgError for the HTTP client", err)
	}
	c, _ := newTestClient(t, "http://127.0.0.1:1")
	if _, err := c.Databases.Get(context.Background(), "db"); !errors.As(err, &ae) || ae.Arg != "databaseID" || ae.Value != "db" {
		t.Errorf("Databases.Get(\"db\") = %v, want an *ArgError for databaseID", err)
	}
}

func TestErrorsPageError(t *testing.T) {
	c, _ := lyingList(t, func(string) string { return pendingPage(0) })
	_, err := c.Backups.Latest(context.Background(), lieDB)
	var pe *PageError
	if !errors.As(err, &pe) || pe.ItemID == "" {
		t.Fatalf("err = %v, want a *PageError", err)
	}
}

func TestErrorsStateErrorAndWaitTimeout(t *testing.T) {
	srv := fixtures.NewServer(t)
	ids := srv.Seed()
	c, _ := newTestClient(t, srv.URL)
	ctx := context.Background()
	srv.FailNext(ids.ApplicationID, "no Dockerfile")
	if _, err := c.Applications.Stop(ctx, ids.ApplicationID); err != nil {
		t.Fatal(err)
	}
	_, err := c.Applications.Wait(ctx, ids.ApplicationID, StateStopped)
	var se *StateError
	if !errors.As(err, &se) || !se.State.Failed() {
		t.Errorf("err = %v, want a *StateError", err)
	}

	srv.SetState(ids.DatabaseID, "DEPLOYING")
	c, _ = newTestClient(t, srv.URL, WithWaitPolicy(WaitPolicy{MinInterval: time.Millisecond, MaxInterval: time.Millisecond, Timeout: 20 * time.Millisecond}))
	if _, err := c.Databases.Wait(ctx, ids.DatabaseID, StateDeployed); !errors.Is(err, ErrWaitTimeout) {
		t.Errorf("err = %v, want ErrWaitTimeout", err)
	}
}

func TestErrorsBackupErrorAndNotFound(t *testing.T) {
	w := newCBWorld(t)
	ctx := context.Background()
	_, err := w.c.Backups.Latest(ctx, w.ids.DatabaseID)
	var nf *notFoundError
	if !errors.As(err, &nf) || !errors.Is(err, ErrNotFound) || !errors.Is(err, ErrNoBackup) {
		t.Errorf("no backup: err = %v, want a *notFoundError matching ErrNotFound and ErrNoBackup", err)
	}

	w.srv.FailNext("addBackupDatabase", "pg_dump: connection refused")
	created, err := w.c.Backups.Create(ctx, w.ids.DatabaseID, "nightly", "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.c.Backups.Wait(ctx, w.ids.DatabaseID, created.Id.String())
	var be *BackupError
	if !errors.As(err, &be) || be.BackupID != created.Id.String() {
		t.Errorf("failed backup: err = %v, want a *BackupError", err)
	}
}

func TestErrorsCloneDeployErrorWrapsTheAPIError(t *testing.T) {
	w := newCBWorld(t)
	w.inject("deployDatabase", maxBusy, http.StatusConflict, "operation in progress") // a 409 that outlasts WhenIdle
	_, err := w.c.Databases.Clone(context.Background(), w.ids.DatabaseID, "db-copy", w.ids.EnvironmentID, WithDeploy())
	var cde *cloneDeployError
	var ae *APIError
	if !errors.As(err, &cde) || !errors.As(err, &ae) || ae.StatusCode != http.StatusConflict || !errors.Is(err, ErrConflict) {
		t.Fatalf("err = %v, want a *cloneDeployError wrapping a 409 *APIError", err)
	}
}

func TestErrorsRedactedErrorKeepsErrorsIs(t *testing.T) {
	rt := rtFunc(func(*http.Request) (*http.Response, error) {
		return nil, fmt.Errorf("proxy echoed %s: %w", testToken, syscall.ECONNRESET)
	})
	c, _ := newTestClient(t, "http://127.0.0.1:1", WithHTTPClient(&http.Client{Transport: rt}))
	_, err := c.Databases.Get(context.Background(), someDB)
	var re *redactedError
	if !errors.As(err, &re) || !errors.Is(err, syscall.ECONNRESET) || strings.Contains(err.Error(), testToken) {
		t.Fatalf("err = %v, want a *redactedError matching ECONNRESET, without the token", err)
	}
}

func TestErrorsAttemptTimeout(t *testing.T) {
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	p := fastPolicy()
	p.MaxAttempts, p.AttemptTimeout = 1, 20*time.Millisecond
	c, _ := newTestClient(t, srv.URL, WithRetryPolicy(p))
	_, err := c.Databases.Get(context.Background(), someDB)
	var ate *attemptTimeoutError
	var ne net.Error
	if !errors.As(err, &ate) || !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("err = %v, want an *attemptTimeoutError that is a net.Error timeout", err)
	}
}

func TestErrorsNoResend(t *testing.T) {
	// A transport below that wants to send a request again, as HTTP/2 does
	// after a stream reset, gets errNoResend from the sealed body: a POST
	// once its headers were written (before, a resend is still the one
	// request of the attempt), a GET, which is not traced, at once.
	rt := rtFunc(func(r *http.Request) (*http.Response, error) {
		if trace := httptrace.ContextClientTrace(r.Context()); trace != nil && trace.WroteHeaders != nil {
			if _, err := r.GetBody(); err != nil {
				return nil, fmt.Errorf("GetBody before writing: %w", err)
			}
			trace.WroteHeaders()
		}
		if _, err := r.GetBody(); err != nil {
			return nil, err
		}
		return nil, errors.New("GetBody gave a body after the headers were written")
	})
	c, _ := newTestClient(t, "http://127.0.0.1:1", WithHTTPClient(&http.Client{Transport: rt}))
	for _, method := range []string{http.MethodPost, http.MethodGet} {
		_, err := do(t, c, context.Background(), method, "/organization", strings.NewReader(`{"name":"x"}`))
		if !errors.Is(err, errNoResend) || strings.Contains(err.Error(), "before writing") {
			t.Fatalf("%s: err = %v, want errNoResend", method, err)
		}
	}
}
