package qovery

import (
	"bytes"
	"encoding/json"
	"errors"
	"html"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Sentinel errors matched by (*APIError).Is on the response status, so that
// errors.Is(err, qovery.ErrNotFound) works on any error returned by this
// package.
var (
	ErrUnauthorized = errors.New("qovery: unauthorized")      // 401
	ErrForbidden    = errors.New("qovery: forbidden")         // 403
	ErrNotFound     = errors.New("qovery: not found")         // 404
	ErrConflict     = errors.New("qovery: conflict")          // 409
	ErrRateLimited  = errors.New("qovery: too many requests") // 429
)

// ErrResponseTooLarge is matched by the *DecodeError of a success answer
// whose body, once decompressed, is larger than the limit (see
// WithMaxResponseBody). Such an answer is not retried.
var ErrResponseTooLarge = errors.New("qovery: response body too large")

// APIError is a response with a status of 400 or more.
type APIError struct {
	StatusCode int    // HTTP status code
	Message    string // human-readable reason, taken from the body when it has one
	RequestID  string // request ID header of the response, if any
	Method     string // method of the request
	Path       string // URL path of the request, without query string
	Body       []byte // raw response body, at most 1 MiB
	Attempts   int    // number of times the request was sent

	// RetryAt is when the server will accept requests again, when it said
	// so with Retry-After or X-RateLimit-Reset (on 429 and 503). A wait
	// longer than RetryPolicy.MaxRetryAfter is reported here instead of
	// being slept.
	RetryAt time.Time

	// earlierEffect: an attempt before the one answered may have been
	// processed (it was answered with a 5xx, or failed after the request
	// may have left), so a 404 may mean that attempt did the work.
	earlierEffect bool
}

// Error returns "qovery: METHOD /path: 404 Not Found: message (request id ...)".
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("qovery: ")
	if e.Method != "" || e.Path != "" {
		b.WriteString(e.Method)
		b.WriteByte(' ')
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(strconv.Itoa(e.StatusCode))
	if t := http.StatusText(e.StatusCode); t != "" {
		b.WriteByte(' ')
		b.WriteString(t)
	}
	if e.Message != "" && e.Message != http.StatusText(e.StatusCode) {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.RequestID != "" {
		b.WriteString(" (request id ")
		b.WriteString(e.RequestID)
		b.WriteByte(')')
	}
	if !e.RetryAt.IsZero() {
		b.WriteString(" (retry at ")
		b.WriteString(e.RetryAt.UTC().Format(time.RFC3339))
		b.WriteByte(')')
	}
	if e.Attempts > 1 {
		b.WriteString(" after ")
		b.WriteString(strconv.Itoa(e.Attempts))
		b.WriteString(" attempts")
	}
	return b.String()
}

// Is reports whether target is the sentinel matching e's status code.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	}
	return false
}

// IsNotFound reports whether err is, or wraps, a 404 response.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// IsUnauthorized reports whether err is, or wraps, a 401 response.
func IsUnauthorized(err error) bool { return errors.Is(err, ErrUnauthorized) }

// IsForbidden reports whether err is, or wraps, a 403 response.
func IsForbidden(err error) bool { return errors.Is(err, ErrForbidden) }

// IsConflict reports whether err is, or wraps, a 409 response.
func IsConflict(err error) bool { return errors.Is(err, ErrConflict) }

// IsRateLimited reports whether err is, or wraps, a 429 response.
func IsRateLimited(err error) bool { return errors.Is(err, ErrRateLimited) }

// requestIDHeaders are the response headers that may carry a request ID,
// most specific first.
var requestIDHeaders = []string{"X-Qovery-Request-Id", "X-Request-Id", "Request-Id", "X-Correlation-Id", "X-Amzn-Requestid"}

// newAPIError builds the error for an error response whose body has been
// read into body. x, when not nil, is what the transport reported about the
// call: the attempts it took, and the credential to keep out of the error.
func newAPIError(resp *http.Response, body []byte, x *exchange) *APIError {
	e := &APIError{Attempts: 1}
	if resp == nil {
		e.Message = "no response"
		return e
	}
	e.StatusCode = resp.StatusCode
	if resp.Request != nil {
		e.Method = resp.Request.Method
		if resp.Request.URL != nil {
			e.Path = resp.Request.URL.Path
		}
	}
	redact := func(s string) string { return s }
	if x != nil {
		e.Attempts = max(x.attempts, 1)
		e.earlierEffect = x.earlierEffect
		if x.auth != nil {
			redact = x.auth.redact
		}
	}
	for _, h := range requestIDHeaders {
		if v := resp.Header.Get(h); v != "" {
			e.RequestID = cleanRedacted(v, 128, redact)
			break
		}
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		if at, ok := resetTime(resp.Header, time.Now(), resp.StatusCode == http.StatusTooManyRequests); ok {
			e.RetryAt = at
		}
	}
	if len(body) > maxErrorBody {
		body = body[:maxErrorBody]
	}
	e.Body = body
	e.Message = messageOf(body, resp.StatusCode, redact)
	return e
}

// errorMessage extracts a short, printable reason from an error body: the
// message field of a JSON document, the title of an HTML page, or the first
// line of text. It falls back to the status text. It looks at no more than
// the first 64 KiB, so that a huge body costs no more than a small one.
func errorMessage(body []byte, status int) string {
	return messageOf(body, status, func(s string) string { return s })
}

// messageOf is errorMessage with redact applied to the message once it is
// decoded and cleaned, and before it is shortened: an escaped credential
// (`\/`, `\u0072`, `&#114;`) only shows once decoded, and a shortened one
// would no longer be recognised.
func messageOf(body []byte, status int, redact func(string) string) string {
	const scanLimit, lineLimit = 64 << 10, 1 << 10
	b := bytes.TrimSpace(body)
	var msg string
	if len(b) > 0 {
		head := b[:min(len(b), scanLimit)]
		switch b[0] {
		case '{', '[', '"':
			if len(b) <= scanLimit {
				msg = jsonMessage(b, 0)
			}
		case '<':
			msg = htmlMessage(head)
		}
		if msg == "" && b[0] != '<' {
			line, _, _ := bytes.Cut(head[:min(len(head), lineLimit)], []byte("\n"))
			msg = string(line)
		}
	}
	msg = cleanRedacted(msg, 300, redact)
	if msg == "" {
		msg = http.StatusText(status)
	}
	return msg
}

// messageKeys are the fields of a JSON error body that may hold the reason,
// in order of preference.
var messageKeys = []string{"message", "detail", "error_description", "error", "title", "description", "errors"}

func jsonMessage(b []byte, depth int) string {
	if depth > 3 {
		return ""
	}
	switch b[0] {
	case '"':
		var s string
		if json.Unmarshal(b, &s) == nil {
			return s
		}
	case '[':
		var items []json.RawMessage
		if json.Unmarshal(b, &items) == nil {
			for _, it := range items {
				if len(it) > 0 {
					if m := jsonMessage(it, depth+1); m != "" {
						return m
					}
				}
			}
		}
	case '{':
		var fields map[string]json.RawMessage
		if json.Unmarshal(b, &fields) != nil {
			return ""
		}
		for _, k := range messageKeys {
			if v := bytes.TrimSpace(fields[k]); len(v) > 0 {
				if m := jsonMessage(v, depth+1); m != "" {
					return m
				}
			}
		}
	}
	return ""
}

// htmlMessage returns the text of the page's <title>, or of its first <h1>.
func htmlMessage(b []byte) string {
	lower := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	for _, tag := range []string{"title", "h1"} {
		start := bytes.Index(lower, []byte("<"+tag))
		if start < 0 {
			continue
		}
		open := bytes.IndexByte(lower[start:], '>')
		if open < 0 {
			continue
		}
		from := start + open + 1
		end := bytes.Index(lower[from:], []byte("</"+tag))
		if end < 0 {
			continue
		}
		if text := html.UnescapeString(stripTags(string(b[from : from+end]))); strings.TrimSpace(text) != "" {
			return text
		}
	}
	return ""
}

func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// cleanText makes s safe to print on one line: valid UTF-8, no control
// characters, collapsed spaces, at most limit runes.
func cleanText(s string, limit int) string {
	return cleanRedacted(s, limit, nil)
}

// cleanRedacted is cleanText with redact (when not nil) applied between
// cleaning and shortening.
func cleanRedacted(s string, limit int, redact func(string) string) string {
	if s == "" {
		return ""
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
	if redact != nil {
		s = redact(s)
	}
	if utf8.RuneCountInString(s) > limit {
		n := 0
		for i := range s {
			if n == limit {
				return s[:i] + "…"
			}
			n++
		}
	}
	return s
}

// PageError reports a paginated list whose pages contradict each other, so
// that walking it could go on forever: an item ID met twice (a page served
// again, a cursor that does not move or that cycles back), or a full page
// whose last item has no ID to continue from. See Backups for the rule.
type PageError struct {
	List      string // the list, e.g. "backups of database <id>"
	Page      int    // the page, counted from 1, on which the walk stopped
	ItemID    string // the repeated ID; empty when the last item had none
	FirstPage int    // the page ItemID was first seen on
}

func (e *PageError) Error() string {
	if e.ItemID == "" {
		return "qovery: listing " + e.List + ": page " + strconv.Itoa(e.Page) + " is full but its last item has no id to continue from"
	}
	return "qovery: listing " + e.List + ": page " + strconv.Itoa(e.Page) + " repeats item " + e.ItemID +
		" (first seen on page " + strconv.Itoa(e.FirstPage) + "); the pagination does not advance"
}

// ArgError reports an argument that is wrong before anything is sent, such
// as an ID that is not a UUID. Callers can tell it with errors.As.
type ArgError struct {
	Arg    string // the argument's name, e.g. "databaseID"
	Value  string // what was given, cleaned for printing and cut to 80 characters
	Reason string // what is wrong with it, e.g. "is not a UUID"
}

func (e *ArgError) Error() string {
	return "qovery: " + e.Arg + " " + strconv.Quote(e.Value) + " " + e.Reason
}
