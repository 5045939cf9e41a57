package qovery

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// CallOption changes one call, where an Option changes every call of a
// Client: c.Do(ctx, "GET", path, nil, &out, qovery.CallTimeout(time.Minute)).
type CallOption func(*callSettings)

type callSettings struct {
	timeout time.Duration
	policy  *RetryPolicy
	header  http.Header
	meta    *ResponseMeta
}

// CallTimeout bounds the whole call, its retries and their waits included,
// as a context deadline would. d <= 0 leaves the call unbounded but for its
// context.
func CallTimeout(d time.Duration) CallOption {
	return func(s *callSettings) { s.timeout = d }
}

// CallRetryPolicy replaces the Client's retry policy for this call; zero
// fields take their defaults, as with WithRetryPolicy. The rules of
// RetryPolicy hold whatever it says, and the retries still draw on the
// Client's retry budget.
func CallRetryPolicy(p RetryPolicy) CallOption {
	return func(s *callSettings) { p = p.withDefaults(); s.policy = &p }
}

// CallNoRetry sends the request once, whatever the answer.
func CallNoRetry() CallOption { return CallRetryPolicy(RetryPolicy{MaxAttempts: 1}) }

// CallHeader adds a header to the request. Authorization, Host, Content-Type
// and User-Agent are the Client's to set: a call that names one, or gives a
// name that is not a token or a value holding a control character, fails
// with an *ArgError before anything is sent.
func CallHeader(key, value string) CallOption {
	return func(s *callSettings) {
		if s.header == nil {
			s.header = make(http.Header, 1)
		}
		s.header.Add(key, value)
	}
}

// CallResponse makes the call fill m with what the answer said of itself,
// once it has come: its status, request ID, rate limit headers and headers
// (with the token scrubbed). It is filled for an error answer too; after a
// call that got no answer, m is left as it was.
func CallResponse(m *ResponseMeta) CallOption {
	return func(s *callSettings) { s.meta = m }
}

// ResponseMeta is what CallResponse captures of an answer.
type ResponseMeta struct {
	StatusCode int
	RequestID  string
	RateLimit  RateLimit   // what its X-RateLimit-* headers said; Observed is zero when it had none
	Header     http.Header // all its headers
	Attempts   int         // how many times the request was sent
}

// reservedHeaders are set by the Client on every request.
var reservedHeaders = []string{"Authorization", "Host", "Content-Type", "User-Agent", "Content-Length", "Transfer-Encoding"}

// callSettingsOf applies opts, refusing a header the Client sets.
func callSettingsOf(opts []CallOption) (callSettings, error) {
	if len(opts) == 0 {
		return callSettings{}, nil
	}
	return applyCallOptions(opts)
}

// applyCallOptions is callSettingsOf for a call with options: s escapes to
// them, so a call without any does not pay for it.
func applyCallOptions(opts []CallOption) (callSettings, error) {
	var s callSettings
	for _, o := range opts {
		if o != nil {
			o(&s)
		}
	}
	for name := range s.header {
		for _, r := range reservedHeaders {
			if strings.EqualFold(name, r) {
				return s, &ArgError{Arg: "CallHeader", Value: name, Reason: "is set by the Client on every request"}
			}
		}
		if !validHeaderName(name) {
			return s, argError("CallHeader", name, "is not a valid header name")
		}
		for _, v := range s.header[name] {
			if i := controlByte(v); i >= 0 {
				return s, &ArgError{Arg: "CallHeader", Value: name, Reason: fmt.Sprintf("has a value holding a control character (0x%02x at byte %d)", v[i], i)}
			}
		}
	}
	return s, nil
}

// context returns the call's context: ctx with the timeout, if any, and the
// exchange the transport reports to. checked says that every header of the
// request will have been checked where it was set.
func (s *callSettings) context(ctx context.Context, auth *authorizer, checked bool) (*exchange, context.CancelFunc) {
	cancel := context.CancelFunc(func() {})
	if s.timeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, s.timeout)
	}
	return &exchange{Context: ctx, auth: auth, policy: s.policy, headersChecked: checked}, cancel
}

// capture fills the ResponseMeta the call asked for.
func (s *callSettings) capture(resp *http.Response, x *exchange) {
	if s.meta == nil || resp == nil {
		return
	}
	rl, _, _ := readRateLimit(resp.Header, time.Now())
	*s.meta = ResponseMeta{
		StatusCode: resp.StatusCode,
		RequestID:  requestIDOf(resp.Header, x.auth.redact),
		RateLimit:  rl,
		Header:     resp.Header.Clone(),
		Attempts:   max(x.attempts, 1),
	}
}
