package qovery

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

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
