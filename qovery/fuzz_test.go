package qovery

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/qoverykit/qovery-go/gen"
)

// The fuzz targets feed arbitrary answers to a Client through an in-memory
// transport. Their seed corpora run with every go test; go test -fuzz=Fuzz...
// explores further. Whatever the answer, a call must end in an error that
// names the request and its status, or in a value that really decoded, and
// never in a panic.

// canned is the answer the in-memory transport gives to the attempts of one
// call, carried by the call's context.
type canned struct {
	answers []cannedAnswer // one per attempt; the last one repeats
	n       int
}

type cannedAnswer struct {
	status int
	header http.Header
	body   []byte
}

type cannedKey struct{}

// cannedTransport answers each attempt with the next canned answer.
var cannedTransport = rtFunc(func(r *http.Request) (*http.Response, error) {
	c := r.Context().Value(cannedKey{}).(*canned)
	a := c.answers[min(c.n, len(c.answers)-1)]
	c.n++
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	h := a.header.Clone()
	if h == nil {
		h = http.Header{}
	}
	return &http.Response{
		Status:        strconv.Itoa(a.status) + " " + http.StatusText(a.status),
		StatusCode:    a.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(bytes.NewReader(a.body)),
		ContentLength: int64(len(a.body)),
		Request:       r,
	}, nil
})

func fuzzClient(f *testing.F, policy RetryPolicy) *Client {
	f.Helper()
	c, err := New(testToken,
		WithBaseURL("https://api.example.test/api"),
		WithHTTPClient(&http.Client{Transport: cannedTransport}),
		WithRetryPolicy(policy))
	if err != nil {
		f.Fatal(err)
	}
	return c
}

const fuzzProject = "6f1c7d39-8d57-4d6a-9a3b-2c1e0f9b8a77"

// fuzzCall runs one operation against canned answers. op picks the
// operation: a GET with a body, a POST with a body, a list, a DELETE
// without one.
func fuzzCall(c *Client, op byte, answers ...cannedAnswer) (method, path, opName string, err error) {
	ctx, cancel := context.WithTimeout(context.WithValue(context.Background(), cannedKey{}, &canned{answers: answers}), 10*time.Second)
	defer cancel()
	id := uuid.MustParse(fuzzProject)
	api := c.API()
	switch op % 4 {
	case 0:
		_, err = Result[gen.ProjectResponse](api.GetProjectWithResponse(ctx, id))
		return http.MethodGet, "/api/project/" + fuzzProject, "GetProject", err
	case 1:
		_, err = Result[gen.ProjectResponse](api.CreateProjectWithResponse(ctx, id, gen.ProjectRequest{Name: "x"}))
		return http.MethodPost, "/api/organization/" + fuzzProject + "/project", "CreateProject", err
	case 2:
		_, err = Result[gen.ProjectResponseList](api.ListProjectWithResponse(ctx, id))
		return http.MethodGet, "/api/organization/" + fuzzProject + "/project", "ListProject", err
	default:
		err = Check(api.DeleteProjectWithResponse(ctx, id))
		return http.MethodDelete, "/api/project/" + fuzzProject, "DeleteProject", err
	}
}

// holdsToken reports whether the scrub has something to take out of an
// error body: the test token in one of its forms, escaped or not, or, in a
// body that fills what is read of it, the start of one at the end of
// what is read.
func holdsToken(body []byte) bool {
	forms := tokenForms(testToken)
	limit := maxErrorBody + escapedReach(forms)
	return escapedSpans(body[:min(len(body), limit)], forms, len(body) >= limit) != nil
}

// printable reports whether s is one line of valid UTF-8 without control
// characters.
func printable(s string) bool {
	return utf8.ValidString(s) && strings.IndexFunc(s, unicode.IsControl) < 0
}

var (
	hugeJSON = append(append([]byte(`{"message":"`), bytes.Repeat([]byte("big "), 300<<10)...), `"}`...)
	hugeHTML = append(append([]byte(`<html><head><title>502 Bad Gateway</title></head><body>`), bytes.Repeat([]byte("<p>x</p>"), 140<<10)...), `</body></html>`...)
	deepJSON = append(bytes.Repeat([]byte(`{"errors":[`), 5000), bytes.Repeat([]byte(`]}`), 5000)...)
)

// FuzzAPIErrorBody: any error answer (status 400-599, any content type,
// any body) becomes an *APIError with the request, the status, at most
// 1 MiB of the body and a printable message.
func FuzzAPIErrorBody(f *testing.F) {
	seeds := []struct {
		status int
		ctype  string
		body   []byte
	}{
		{404, "application/json", []byte(`{"status":404,"error":"Not Found","message":"project not found"}`)},
		{400, "application/json", []byte(`{"message":["name is required","name is too long"]}`)},
		{422, "application/json", []byte(`{"errors":[{"detail":"bad"}]}`)},
		{409, "application/problem+json", []byte(`{"title":"Conflict","detail":"a project named x exists"}`)},
		{401, "application/json", []byte(`{"message":5,"status":"x"}`)},
		{403, "application/json", []byte(`"just a string"`)},
		{500, "application/json", []byte(`null`)},
		{502, "text/html", []byte("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><h1>502</h1></body></html>")},
		{503, "text/html", []byte(`<HTML><TITLE>Down &amp; out</TITLE>`)},
		{504, "text/html", []byte(`<title><title></title>`)},
		{429, "text/plain", []byte("slow down\nplease\r\n")},
		{500, "", nil},
		{404, "application/json", []byte{}},
		{400, "application/json", []byte("{\"message\":\"\xff\xfe\xfd invalid \xc3\x28 utf-8\"}")},
		{400, "text/plain", []byte("\xff\xfe\x00\x01\x1b[31mred\x1b[0m")},
		{418, "application/json", []byte(`{"message":"` + strings.Repeat("é", 2000) + `"}`)},
		{400, "application/json", []byte(`{"message":"token ` + testToken + ` refused"}`)},
		{413, "application/json", hugeJSON},
		{502, "text/html", hugeHTML},
		{400, "application/json", deepJSON},
		{599, "application/octet-stream", []byte{0, 0, 0, 0}},
	}
	for i, s := range seeds {
		f.Add(uint16(s.status), s.ctype, "req-"+strconv.Itoa(i), byte(i), s.body)
	}
	c := fuzzClient(f, RetryPolicy{MaxAttempts: 1})
	f.Fuzz(func(t *testing.T, status uint16, ctype, requestID string, op byte, body []byte) {
		code := 400 + int(status)%200
		h := http.Header{"Content-Type": {ctype}, "X-Request-Id": {requestID}}
		method, path, _, err := fuzzCall(c, op, cannedAnswer{status: code, header: h, body: body})
		var ae *APIError
		if !errors.As(err, &ae) {
			t.Fatalf("%d answer: err = %v (%T), want an *APIError", code, err, err)
		}
		if ae.StatusCode != code || ae.Method != method || ae.Path != path || ae.Attempts < 1 {
			t.Fatalf("APIError = {%d %s %s attempts %d}, want {%d %s %s}", ae.StatusCode, ae.Method, ae.Path, ae.Attempts, code, method, path)
		}
		kept := body[:min(len(body), maxErrorBody)]
		if len(ae.Body) > maxErrorBody {
			t.Fatalf("kept %d bytes of the body", len(ae.Body))
		}
		if !holdsToken(body) && !bytes.Equal(ae.Body, kept) {
			t.Fatalf("the kept body is not the first %d bytes of the answer", len(kept))
		}
		msg := err.Error()
		for _, want := range []string{method, path, strconv.Itoa(code)} {
			if !strings.Contains(msg, want) {
				t.Fatalf("error %q does not name %q", msg, want)
			}
		}
		if !printable(msg) || !printable(ae.Message) {
			t.Fatalf("error text is not one printable line: %q", msg)
		}
		if n := utf8.RuneCountInString(ae.Message); n > 301 {
			t.Fatalf("message of %d runes", n)
		}
		if strings.Contains(msg, testToken) || bytes.Contains(ae.Body, []byte(testToken)) {
			t.Fatalf("the token survived in the error")
		}
		sentinels := map[int]error{401: ErrUnauthorized, 403: ErrForbidden, 404: ErrNotFound, 409: ErrConflict, 429: ErrRateLimited}
		for status, sentinel := range sentinels {
			if errors.Is(err, sentinel) != (status == code) {
				t.Fatalf("errors.Is(%d error, %v) = %v", code, sentinel, status != code)
			}
		}
	})
}

// FuzzRetryAfterHeaders: whatever Retry-After and X-RateLimit-* say, a 429
// or 503 is retried at once when the announced wait fits the clamp, and
// otherwise comes back without sleeping, as an *APIError carrying the
// reset time when one was given.
func FuzzRetryAfterHeaders(f *testing.F) {
	now := time.Now().UTC()
	for _, s := range []struct {
		tooMany                             bool
		retryAfter, reset, limit, remaining string
	}{
		{true, "0", "", "", ""},
		{true, "1", "", "", ""},
		{true, "120", "", "1000", "0"},
		{true, now.Add(-time.Hour).Format(http.TimeFormat), "", "", ""},
		{true, now.Add(time.Hour).Format(http.TimeFormat), "", "", ""},
		{true, "Sun, 06 Nov 1994 08:49:37 GMT", "", "", ""},
		{true, "Sunday, 06-Nov-94 08:49:37 GMT", "", "", ""},
		{true, "Sun Nov  6 08:49:37 1994", "", "", ""},
		{true, "", strconv.FormatInt(now.Unix(), 10), "1000", "0"},
		{true, "", strconv.FormatInt(now.Add(time.Hour).Unix(), 10), "1000", "0"},
		{true, "", "30", "", ""},
		{true, "", "0", "", ""},
		{true, "-1", "-5", "-1", "-1"},
		{true, "1.5", "1e9", "x", "y"},
		{true, "18446744073709551615", "18446744073709551615", "", ""},
		{true, "99999999999999999999999", "99999999999999999999999", "", ""},
		{true, " 0 ", "\t0\n", "", ""},
		{true, "\xff\xfe", "\x00", "\xff", ""},
		{true, "0, 5", "", "", ""},
		{false, "0", "", "", ""},
		{false, "3600", "", "", ""},
		{false, "", strconv.FormatInt(now.Unix()+5, 10), "", ""},
		{false, now.Add(time.Minute).Format(http.TimeFormat), "", "", ""},
	} {
		f.Add(s.tooMany, s.retryAfter, s.reset, s.limit, s.remaining)
	}
	const clamp = 50 * time.Millisecond
	policy := RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond, MaxRetryAfter: clamp, BudgetRatio: -1}
	c := fuzzClient(f, policy)
	ok := cannedAnswer{status: 200, header: http.Header{"Content-Type": {"application/json"}}, body: []byte(`{"id":"` + fuzzProject + `","name":"x"}`)}
	f.Fuzz(func(t *testing.T, tooMany bool, retryAfter, reset, limit, remaining string) {
		code := http.StatusServiceUnavailable
		if tooMany {
			code = http.StatusTooManyRequests
		}
		h := http.Header{"Content-Type": {"application/json"}}
		for k, v := range map[string]string{"Retry-After": retryAfter, "X-Ratelimit-Reset": reset, "X-Ratelimit-Limit": limit, "X-Ratelimit-Remaining": remaining} {
			if v != "" {
				h[k] = []string{v}
			}
		}
		// What the client should make of the headers, by its own parser,
		// whose arithmetic is checked here.
		before := time.Now()
		at, announced := resetTime(h, before, tooMany)
		wait, _ := serverWait(h, before, tooMany)
		if wait < 0 || (announced && wait != max(at.Sub(before), 0)) || (!announced && wait != 0) {
			t.Fatalf("serverWait = %v for a reset at %v (announced %v)", wait, at, announced)
		}
		if n, err := strconv.ParseUint(strings.TrimSpace(retryAfter), 10, 64); err == nil && n < 1<<20 && wait != time.Duration(n)*time.Second {
			t.Fatalf("Retry-After %q read as a wait of %v", retryAfter, wait)
		}

		start := time.Now()
		_, _, _, err := fuzzCall(c, 0, cannedAnswer{status: code, header: h, body: []byte(`{"message":"slow down"}`)}, ok)
		took := time.Since(start)
		if took > clamp+time.Second {
			t.Fatalf("the call took %v with a clamp of %v", took, clamp)
		}
		ambiguous := wait > clamp-20*time.Millisecond && wait < clamp+20*time.Millisecond
		switch {
		case err == nil:
			if wait > clamp+20*time.Millisecond {
				t.Fatalf("retried after a %v wait was announced, beyond the %v clamp", wait, clamp)
			}
		case ambiguous:
		default:
			var ae *APIError
			if !errors.As(err, &ae) || ae.StatusCode != code {
				t.Fatalf("err = %v, want a %d *APIError", err, code)
			}
			if wait <= clamp {
				t.Fatalf("not retried although the announced wait %v fits the clamp: %v", wait, err)
			}
			if IsRateLimited(err) != tooMany {
				t.Fatalf("IsRateLimited = %v for a %d", IsRateLimited(err), code)
			}
			if announced && (ae.RetryAt.IsZero() || ae.RetryAt.Sub(at).Abs() > 2*time.Second) {
				t.Fatalf("RetryAt = %v, want about %v", ae.RetryAt, at)
			}
			if msg := err.Error(); !strings.Contains(msg, strconv.Itoa(code)) || !strings.Contains(msg, "/api/project/") || !printable(msg) {
				t.Fatalf("error %q does not name the request and status", msg)
			}
		}
	})
}

// FuzzSuccessBody: a 2xx answer whose body is malformed (or empty, or of
// another shape, under any content type) gives a *DecodeError naming the
// operation and the status; a body that does decode gives a value.
func FuzzSuccessBody(f *testing.F) {
	project := `{"id":"` + fuzzProject + `","name":"shop","created_at":"2024-05-01T10:00:00Z"}`
	for i, s := range []struct {
		status int
		ctype  string
		body   string
	}{
		{200, "application/json", project},
		{200, "application/json", `{"results":[` + project + `]}`},
		{200, "application/json", `{"id":"` + fuzzProject},
		{200, "application/json", `{"id":42}`},
		{200, "application/json", `{"id":"not-a-uuid"}`},
		{200, "application/json", `{"created_at":"yesterday"}`},
		{200, "application/json", `{"results":{"id":1}}`},
		{200, "application/json", `[]`},
		{200, "application/json", `null`},
		{200, "application/json", ``},
		{200, "application/json", "\xff\xfe{}"},
		{200, "application/json", "{\"name\":\"\xff\"}"},
		{200, "text/html", `<html><body>maintenance</body></html>`},
		{200, "", project},
		{200, "application/json; charset=utf-8", project + `garbage`},
		{201, "application/json", project},
		{201, "application/json", `{`},
		{202, "application/json", ``},
		{204, "", ``},
		{204, "application/json", project},
		{206, "application/json", `{"id":`},
		{200, "application/json", string(hugeJSON)},
		{200, "application/json", string(deepJSON)},
	} {
		f.Add(uint8(s.status-200), s.ctype, byte(i), []byte(s.body))
	}
	c := fuzzClient(f, RetryPolicy{MaxAttempts: 1})
	f.Fuzz(func(t *testing.T, status uint8, ctype string, op byte, body []byte) {
		code := 200 + int(status)%100
		h := http.Header{"Content-Type": {ctype}}
		_, path, opName, err := fuzzCall(c, op, cannedAnswer{status: code, header: h, body: body})
		if err == nil {
			if op%4 == 3 {
				return // Check does not decode
			}
			var probe any
			if json.Unmarshal(body, &probe) != nil {
				t.Fatalf("%s: success from a body that is not JSON: %q", opName, body)
			}
			return
		}
		var ae *APIError
		if errors.As(err, &ae) {
			t.Fatalf("a %d answer gave an *APIError: %v", code, err)
		}
		var de *DecodeError
		if !errors.As(err, &de) {
			t.Fatalf("%s: err = %v (%T), want a *DecodeError", opName, err, err)
		}
		msg := err.Error()
		if !strings.Contains(msg, opName) || !strings.Contains(msg, strconv.Itoa(code)) {
			t.Fatalf("error %q does not name the operation %s and the status %d", msg, opName, code)
		}
		if de.Path != "" && de.Path != path {
			t.Fatalf("error names path %q, want %q", de.Path, path)
		}
		if !utf8.ValidString(msg) {
			t.Fatalf("error text is not valid UTF-8: %q", msg)
		}
	})
}
