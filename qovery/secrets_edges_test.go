package qovery

import (
	"bytes"
	"errors"
	"html"
	"io"
	"net/http"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/qoverykit/qovery-go/gen"
)

// slashToken has the characters JSON encoders like to escape: PHP and
// Java write "/" as "\/", and any encoder may write a character as \u00XX.
const slashToken = "rt3/T0KEN-9f2a71c4e0b5+Qz"

var (
	jsonUnicodeEscape = regexp.MustCompile(`\\u([0-9a-fA-F]{4})`)
	jsonShortEscape   = regexp.MustCompile(`\\(["\\/])`)
)

// readable is text as a reader of the body sees it: JSON escapes decoded
// wherever they are (a JSON document cut short, or after a banner line, no
// longer decodes as a whole) and HTML character references too.
func readable(text []byte) string {
	s := jsonUnicodeEscape.ReplaceAllStringFunc(string(text), func(m string) string {
		n, _ := strconv.ParseUint(m[2:], 16, 32)
		return string(rune(n))
	})
	s = jsonShortEscape.ReplaceAllString(s, "$1")
	return html.UnescapeString(s)
}

// answering is a client with slashToken whose every call is answered in
// memory with status, content type and body.
func answering(t testing.TB, status int, ctype string, body []byte) *Client {
	t.Helper()
	rt := rtFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{
			StatusCode: status, Status: strconv.Itoa(status) + " " + http.StatusText(status),
			Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header:        http.Header{"Content-Type": {ctype}},
			Body:          io.NopCloser(bytes.NewReader(body)),
			ContentLength: int64(len(body)),
			Request:       r,
		}, nil
	})
	c, err := New(slashToken, WithBaseURL("https://api.example.test"),
		WithHTTPClient(&http.Client{Transport: rt}), WithRetryPolicy(fastPolicy()))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// checkNoneShows fails t when one of the texts shows one of the leaks,
// as it is or once read as JSON and HTML.
func checkNoneShows(t *testing.T, texts map[string][]byte, leaks ...string) {
	t.Helper()
	for what, text := range texts {
		read := readable(text)
		for _, leak := range leaks {
			if i := bytes.Index(text, []byte(leak)); i >= 0 {
				t.Errorf("the %s shows %q at byte %d of %d: ...%s...", what, leak, i, len(text), text[max(i-40, 0):min(i+len(leak)+20, len(text))])
			} else if strings.Contains(read, leak) {
				t.Errorf("the %s shows %q once read as JSON and HTML", what, leak)
			}
		}
	}
}

// A message is taken from the first line of a body, cut at 1 KiB before
// its spaces are collapsed: a token straddling that cut must not leave its
// first part in the message.
func TestTokenStraddlingMessageLineCutScrubbed(t *testing.T) {
	c := answering(t, http.StatusOK, "application/json", nil)
	line := "rejected" + strings.Repeat(" ", 1000) + slashToken + "\nmore\n"
	req, _ := http.NewRequest(http.MethodGet, "https://api.example.test/organization", nil)
	resp := &gen.ListOrganizationResponse{Body: []byte(line), HTTPResponse: &http.Response{
		StatusCode: http.StatusBadRequest, Header: http.Header{"Content-Type": {"text/plain"}}, Request: req}}
	_, err := Result[gen.OrganizationResponseList](resp, nil)
	var ae *APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %.300v, want an *APIError", err)
	}
	checkNoneShows(t, map[string][]byte{"message": []byte(ae.Message), "error": []byte(err.Error())}, slashToken[:8])
	runtime.KeepAlive(c)
}
