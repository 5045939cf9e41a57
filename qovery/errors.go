package qovery

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Every error type and sentinel of the package is declared in this file.
// The package documentation (doc.go, section Errors) describes them
// together: what each means and how to tell it with errors.Is or errors.As.

// Sentinel errors matched by (*APIError).Is on the response status, so that
// errors.Is(err, qovery.ErrNotFound) works on any error returned by this
// package.
var (
	ErrUnauthorized = errors.New("qovery: unauthorized")      // 401
	ErrForbidden    = errors.New("qovery: forbidden")         // 403
	ErrNotFound     = errors.New("qovery: not found")         // 404
	ErrConflict     = errors.New("qovery: conflict")          // 409
	ErrRateLimited  = errors.New("qovery: too many requests") // 429, and *PacingError
)

// ErrResponseTooLarge is matched by the *DecodeError of a success answer
// whose body, once decompressed, is larger than the limit (see
// WithMaxResponseBody). Such an answer is not retried.
var ErrResponseTooLarge = errors.New("qovery: response body too large")

// ErrWaitTimeout is matched by the error a Wait* method returns when
// WaitPolicy.Timeout runs out before the target state is reached.
var ErrWaitTimeout = errors.New("qovery: timed out waiting")

// ErrNoBackup is matched, like ErrNotFound, by the error Backups.Latest returns
// when a database has no completed backup.
var ErrNoBackup = errors.New("qovery: no completed backup")

// errNullBody: a success body of JSON null, where the operation promises a
// value (an object, for every operation of the API), decodes to a zero
// value that would pass for a real one.
var errNullBody = errors.New("the body is null where a value is expected")

// errNoID: a success answer whose schema requires the resource's id came
// without one, or with the nil UUID, which names no resource.
var errNoID = errors.New("the answer has no id")

// errNoResend is what the refusing GetBody returns; the transport below
// hands it back in place of the error that made it want to resend.
var errNoResend = errors.New("qovery: the HTTP transport offered to send the request again on its own, but each attempt reaches the server at most once, so that the retry policy decides, and counts, every request the server sees")

// errNoResponse is the outcome of an attempt whose RoundTripper returned
// neither a response nor an error.
var errNoResponse = errors.New("qovery: the HTTP transport returned neither a response nor an error")

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
	// processed, so the answer may describe what that attempt did (a 409
	// for the deployment it started, say).
	earlierEffect bool

	// bodyCut: Body was cut at maxErrorBody here, from an answer that did
	// not come through a Client's transport (which cuts and scrubs its own),
	// so it may end in the first part of a token.
	bodyCut bool
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

// IsRateLimited reports whether err is, or wraps, a 429 response or a
// *PacingError.
func IsRateLimited(err error) bool { return errors.Is(err, ErrRateLimited) }

// requestIDHeaders are the response headers that may carry a request ID,
// most specific first.
var requestIDHeaders = []string{"X-Qovery-Request-Id", "X-Request-Id", "Request-Id", "X-Correlation-Id", "X-Amzn-Requestid"}

// requestIDOf is the request ID among h, cleaned for printing and with
// redact applied, or "".
func requestIDOf(h http.Header, redact func(string) string) string {
	for _, name := range requestIDHeaders {
		if v := h.Get(name); v != "" {
			return cleanRedacted(v, 128, redact)
		}
	}
	return ""
}

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
	e.RequestID = requestIDOf(resp.Header, redact)
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		if at, ok := resetTime(resp.Header, time.Now(), resp.StatusCode == http.StatusTooManyRequests); ok {
			e.RetryAt = at
		}
	}
	if len(body) > maxErrorBody {
		body, e.bodyCut = body[:maxErrorBody], true
	}
	e.Body = body
	e.Message = messageOf(body, resp.StatusCode, redact)
	return e
}

// PacingError is returned, with WithPacing, for a request whose turn under
// the token's rate limit comes too late to wait for: after its context's
// deadline, or further off than RetryPolicy.MaxRetryAfter, the bound that
// also refuses a long wait asked for by a 429. The request was not sent.
// It matches ErrRateLimited, as that 429 would.
type PacingError struct {
	Method  string    // method of the request
	Path    string    // URL path of the request, without query string
	RetryAt time.Time // when its turn would come: the window's reset, or a turn spread before it
	Reason  string    // why the turn was not waited for, e.g. "after the context's deadline"
}

func (e *PacingError) Error() string {
	return "qovery: " + e.Method + " " + e.Path + ": not sent: its turn under the rate limit comes at " +
		e.RetryAt.UTC().Format(time.RFC3339) + ", " + e.Reason
}

// Is matches ErrRateLimited.
func (e *PacingError) Is(target error) bool { return target == ErrRateLimited }

// DecodeError reports a response that could not be read or decoded.
type DecodeError struct {
	Operation  string // generated operation name, e.g. "GetDatabase"
	Method     string // request method, when known
	Path       string // request path, when known
	StatusCode int    // response status; 0 when the generated client did not say
	Statuses   string // when StatusCode is 0, the statuses the operation decodes
	Err        error  // underlying read or JSON error
}

func (e *DecodeError) Error() string {
	var b strings.Builder
	b.WriteString("qovery: ")
	b.WriteString(e.Operation)
	if e.Method != "" {
		b.WriteString(" (" + e.Method + " " + e.Path + ")")
	}
	b.WriteString(": ")
	switch {
	case e.StatusCode != 0:
		b.WriteString(strconv.Itoa(e.StatusCode) + " response")
	case e.Statuses != "":
		b.WriteString(e.Statuses + " response")
	default:
		b.WriteString("response")
	}
	b.WriteString(" body did not decode: ")
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *DecodeError) Unwrap() error { return e.Err }

// PageError reports a paginated list whose pages contradict each other, so
// that walking it could go on forever: an item ID met twice (a page served
// again, a cursor that does not move or that cycles back), a full page
// whose last item has no ID to continue from, or a continuation token
// given twice. See Backups for the rule.
type PageError struct {
	List      string // the list, e.g. "Backups.ListIter (listDatabaseBackup) of database <id>"
	Page      int    // the page, counted from 1, on which the walk stopped
	ItemID    string // the repeated ID; empty when the last item had none
	FirstPage int    // the page ItemID was first seen on
	// Token is set when the list is paginated by continuation token and
	// page Page gave back a token the walk had already used.
	Token bool
}

func (e *PageError) Error() string {
	if e.Token {
		return "qovery: listing " + e.List + ": page " + strconv.Itoa(e.Page) + " gives back a continuation token already used; the pagination does not advance"
	}
	if e.ItemID == "" {
		return "qovery: listing " + e.List + ": page " + strconv.Itoa(e.Page) + " is full but its last item has no id to continue from"
	}
	return "qovery: listing " + e.List + ": page " + strconv.Itoa(e.Page) + " repeats item " + e.ItemID +
		" (first seen on page " + strconv.Itoa(e.FirstPage) + "); the pagination does not advance"
}

// ArgError reports an argument that is wrong before anything is sent, such
// as an ID that is not a UUID, or a token or base URL given to New that it
// cannot use. Callers can tell it with errors.As.
type ArgError struct {
	Arg    string // the argument's name, e.g. "databaseID", "token" or "base URL"
	Value  string // what was given, cleaned for printing and shortened; never a token
	Reason string // what is wrong with it, e.g. "is not a UUID"

	// msg, when set, is the whole message: for an argument whose value is
	// not shown (a token), or whose message New has always worded its own
	// way.
	msg string
}

func (e *ArgError) Error() string {
	if e.msg != "" {
		return e.msg
	}
	return "qovery: " + e.Arg + " " + strconv.Quote(e.Value) + " " + e.Reason
}

// argError is the *ArgError for the argument arg, with its value cleaned
// for printing, scrubbed of any token and shortened.
func argError(arg, value, reason string) *ArgError {
	return &ArgError{Arg: arg, Value: cleanRedacted(value, 80, redactAll), Reason: reason}
}

// StateError reports that the resource being waited on reached a failure
// state (see State.Failed).
type StateError struct {
	Kind    string // "application", "container", "database" or "environment"
	ID      string
	Target  State  // the state that was waited for
	State   State  // the failure state reached
	Message string // the status message, when the API gives one
}

func (e *StateError) Error() string {
	s := "qovery: " + e.Kind + " " + e.ID + " reached " + string(e.State) + " while waiting for " + string(e.Target)
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// BackupError is returned by Backups.Wait when a backup has failed (see
// BackupPhaseOf).
type BackupError struct {
	DatabaseID string
	BackupID   string
	State      string  // status.state, e.g. "DEPLOYMENT_ERROR"
	Status     string  // status.status_details.status, e.g. "ERROR"
	Step       string  // the first step reported as failed, if any
	Backup     *Backup // the backup as last read
}

func (e *BackupError) Error() string {
	var b strings.Builder
	b.WriteString("qovery: backup " + e.BackupID + " of database " + e.DatabaseID + " failed")
	sep := ": "
	for _, f := range [][2]string{{"state", e.State}, {"status", e.Status}, {"step", e.Step}} {
		if f[1] != "" {
			b.WriteString(sep + f[0] + " " + f[1])
			sep = ", "
		}
	}
	return b.String()
}

// notFoundError is a "not found" found by this package rather than reported
// by the API. It matches ErrNotFound, and also extra when set.
type notFoundError struct {
	msg   string
	extra error
}

func (e *notFoundError) Error() string { return e.msg }

func (e *notFoundError) Is(target error) bool {
	return target == ErrNotFound || (e.extra != nil && target == e.extra)
}

// cloneDeployError is the failure of the deploy that follows a clone; see
// deployError.
type cloneDeployError struct {
	what string
	err  error
}

func (e *cloneDeployError) Error() string {
	return "qovery: " + e.what + " was cloned, but deploying it failed: " + strings.TrimPrefix(e.err.Error(), "qovery: ")
}

func (e *cloneDeployError) Unwrap() error { return e.err }

// redactedError stands for an error whose text showed the credential.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }

// Is keeps errors.Is working through the replaced error without exposing
// it.
func (e *redactedError) Is(target error) bool { return errors.Is(e.err, target) }

// Timeout keeps a timeout recognisable as one.
func (e *redactedError) Timeout() bool {
	var t interface{ Timeout() bool }
	return errors.As(e.err, &t) && t.Timeout()
}

// attemptTimeoutError reports that one attempt exceeded AttemptTimeout while
// the caller's context was still live.
type attemptTimeoutError struct {
	d   time.Duration
	err error
}

func (e *attemptTimeoutError) Error() string {
	return "qovery: attempt timed out after " + e.d.String()
}
func (e *attemptTimeoutError) Timeout() bool   { return true }
func (e *attemptTimeoutError) Temporary() bool { return true }

func isAttemptTimeout(err error) bool {
	var e *attemptTimeoutError
	return errors.As(err, &e)
}
