package qovery

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"unicode"

	"github.com/qoverykit/qovery-go/gen"
)

// Version is the version of this module, sent in the User-Agent header.
const Version = "0.1.0"

// DefaultBaseURL is the address of the public Qovery API.
const DefaultBaseURL = "https://api.qovery.com"

// Environment variables read by NewFromEnv.
const (
	EnvToken = "QOVERY_API_TOKEN"
	EnvURL   = "QOVERY_API_URL"
)

// Client talks to the Qovery API. It is safe for concurrent use; build one
// and share it.
//
// Printing a Client with any fmt verb shows its base URL and the kind of
// credential, never the credential itself.
type Client struct {
	// Services are the operations of the API: c.Databases.Get and so on.
	Services

	baseStr   string
	base      *url.URL // baseStr parsed; never changed
	server    string   // baseStr with a trailing slash, for gen's request builders
	bearer    bool
	http      *http.Client
	api       *gen.ClientWithResponses
	auth      *authorizer
	transport *transport
	logger    *slog.Logger
	wait      WaitPolicy
	actions   *actionLog
}

// Option configures a Client built by New or NewFromEnv.
type Option func(*settings)

type settings struct {
	baseURL   string
	hc        *http.Client
	userAgent string
	policy    RetryPolicy
	logger    *slog.Logger
	bearer    bool
	insecure  bool
	wait      WaitPolicy
	maxBody   int64
	pacing    bool
}

// DefaultMaxResponseBody is how large a success body may be once
// decompressed, unless WithMaxResponseBody says otherwise: 16 MiB, far
// above any page of the API, and far below what a compressed answer of a
// few kilobytes can inflate to.
const DefaultMaxResponseBody = 16 << 20

// WithMaxResponseBody sets how many bytes a success body may take once
// decompressed (default DefaultMaxResponseBody). A larger answer fails the
// call, without a retry, with a *DecodeError matching ErrResponseTooLarge;
// its excess is never read into memory, and reading it costs at most about
// twice n in allocations, however far it inflates. n <= 0 keeps the
// default. Any larger value works: one beyond what the machine can hold,
// up to math.MaxInt64, means no limit but memory, each answer read to its
// end. Error bodies are kept to 1 MiB whatever the setting.
func WithMaxResponseBody(n int64) Option {
	return func(s *settings) { s.maxBody = n }
}

// WithBaseURL sets the API address, for example a test server. It may carry
// a path prefix ("http://127.0.0.1:8080/api"). The default is DefaultBaseURL.
func WithBaseURL(u string) Option { return func(s *settings) { s.baseURL = u } }

// WithHTTPClient makes the Client send its requests through a copy of hc:
// hc itself is never modified. The copy keeps hc's Transport, Timeout and Jar;
// retries, authentication and redirect checks are layered on top.
//
// A Transport that disables TLS certificate verification is refused by New.
func WithHTTPClient(hc *http.Client) Option { return func(s *settings) { s.hc = hc } }

// WithUserAgent appends ua to the User-Agent header, which always starts with
// "qovery-go/<Version>".
func WithUserAgent(ua string) Option { return func(s *settings) { s.userAgent = ua } }

// WithRetryPolicy replaces the retry policy. Zero fields keep their defaults;
// see RetryPolicy.
func WithRetryPolicy(p RetryPolicy) Option { return func(s *settings) { s.policy = p } }

// WithLogger makes the Client log each HTTP attempt at debug level (method,
// URL without its query string, status, attempt number, delay) and each
// retry decision. Credentials are never logged. A nil logger, the default,
// logs nothing.
func WithLogger(l *slog.Logger) Option { return func(s *settings) { s.logger = l } }

// WithBearer sends the token as "Authorization: Bearer <token>", for JWTs
// from a console or OIDC login. Without it the token is sent as an API token,
// "Authorization: Token <token>".
func WithBearer() Option { return func(s *settings) { s.bearer = true } }

// WithInsecureHTTP allows a plain http:// base URL on a host other than the
// loopback interface. The token then crosses the network in clear text; use
// it only on a network you trust. It never disables TLS verification.
func WithInsecureHTTP() Option { return func(s *settings) { s.insecure = true } }

// WithWaitPolicy sets the default polling policy of the Wait* methods. Zero
// fields keep their defaults; see WaitPolicy.
func WithWaitPolicy(p WaitPolicy) Option { return func(s *settings) { s.wait = p } }

// New returns a Client that authenticates with token.
//
// It fails if the token is empty, if the base URL does not parse or is not an
// absolute http(s) URL, if it is plain http:// on a non-loopback host without
// WithInsecureHTTP, or if the HTTP client given with WithHTTPClient skips TLS
// certificate verification.
func New(token string, opts ...Option) (*Client, error) {
	s := settings{baseURL: DefaultBaseURL}
	for _, o := range opts {
		if o != nil {
			o(&s)
		}
	}
	if err := checkToken(token); err != nil {
		return nil, err
	}
	base, err := parseBaseURL(s.baseURL, s.insecure)
	if err != nil {
		return nil, err
	}
	src := s.hc
	if src == nil {
		src = &http.Client{}
	}
	auth := newAuthorizer(token, s.bearer, base, s.userAgent)
	t, err := newTransport(src.Transport, auth, &s)
	if err != nil {
		return nil, err
	}
	auth.register()
	hc := *src // a shallow copy: the caller's client is left as it was
	hc.Transport = t
	hc.CheckRedirect = checkRedirect(src.CheckRedirect)

	c := &Client{
		baseStr:   base.String(),
		base:      base,
		server:    base.String() + "/",
		bearer:    s.bearer,
		http:      &hc,
		auth:      auth,
		transport: t,
		logger:    s.logger,
		wait:      s.wait.withDefaults(),
	}
	c.actions = &actionLog{keep: c.wait.Timeout}
	if err := c.initAPI(); err != nil {
		return nil, err
	}
	c.initServices()
	return c, nil
}

// checkToken refuses a token no request could carry: an empty one, or one
// with a control character, which net/http refuses in a header.
func checkToken(token string) error {
	if strings.TrimSpace(token) == "" {
		return &ArgError{Arg: "token", Reason: "is empty", msg: "qovery: empty API token"}
	}
	if i := strings.IndexFunc(token, unicode.IsControl); i >= 0 {
		why := fmt.Sprintf("contains a control character (0x%02x at byte %d)", token[i], i)
		return &ArgError{Arg: "token", Reason: why, msg: "qovery: API token " + why + "; no request could carry it"}
	}
	return nil
}

// newTransport builds the retrying transport over next (the caller's
// transport, or http.DefaultTransport), refusing one that skips TLS
// certificate verification, since every request carries the credential.
func newTransport(next http.RoundTripper, auth *authorizer, s *settings) (*transport, error) {
	if next == nil {
		next = http.DefaultTransport
	}
	if skipsVerify(next) {
		return nil, &ArgError{Arg: "HTTP client", Reason: "skips TLS certificate verification",
			msg: "qovery: the HTTP client's transport skips TLS certificate verification; refusing to send credentials through it"}
	}
	policy := s.policy.withDefaults()
	t := &transport{
		next:    next,
		auth:    auth,
		policy:  policy,
		budget:  newBudget(policy.BudgetRatio, policy.BudgetBurst),
		logger:  s.logger,
		maxBody: s.maxBody,
		limits:  &limiter{pacing: s.pacing, maxWait: policy.MaxRetryAfter},
	}
	if t.maxBody <= 0 {
		t.maxBody = DefaultMaxResponseBody
	}
	return t, nil
}

// NewFromEnv is New with the token read from QOVERY_API_TOKEN and, when set,
// the base URL from QOVERY_API_URL. Options given here take precedence over
// the environment.
func NewFromEnv(opts ...Option) (*Client, error) {
	token := os.Getenv(EnvToken)
	if token == "" {
		return nil, fmt.Errorf("qovery: %s is not set", EnvToken)
	}
	if u := os.Getenv(EnvURL); u != "" {
		opts = append([]Option{WithBaseURL(u)}, opts...)
	}
	return New(token, opts...)
}

// BaseURL returns the API address the Client sends requests to.
func (c *Client) BaseURL() string { return c.baseStr }

// String describes the Client without revealing its credential.
func (c Client) String() string {
	kind := "Token"
	if c.bearer {
		kind = "Bearer"
	}
	return "qovery.Client{BaseURL: " + c.baseStr + ", Authorization: " + kind + " [redacted]}"
}

// GoString is String, so that %#v does not reveal the credential either.
func (c Client) GoString() string { return c.String() }

// Format prints String for every verb, so that %v, %+v, %#v and %s all hide
// the credential, whether the Client is printed by value or by pointer.
func (c Client) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

func parseBaseURL(raw string, insecure bool) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		shown := redactRawURL(raw)
		return nil, &ArgError{Arg: "base URL", Value: shown, Reason: "does not parse", msg: fmt.Sprintf("qovery: invalid base URL %q", shown)}
	}
	bad := func(reason string) *ArgError {
		return &ArgError{Arg: "base URL", Value: redactURLForError(u), Reason: reason}
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, bad("must start with https:// (or http:// for a local server)")
	case u.Host == "" || u.Hostname() == "":
		return nil, bad("has no host")
	case u.User != nil:
		return nil, bad("must not carry user information")
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		return nil, bad("must not have a query or fragment")
	case u.Scheme == "http" && !insecure && !isLoopback(u.Hostname()):
		e := bad("is plain http:// on a host other than loopback (use https, or WithInsecureHTTP)")
		e.msg = fmt.Sprintf("qovery: refusing plain http:// base URL on non-loopback host %q (use https, or WithInsecureHTTP)", u.Hostname())
		return nil, e
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	u.Host = strings.TrimSuffix(u.Host, ":") // an empty port, as net/http drops it
	return u, nil
}

// redactURLForError prints a base URL for an error: its user information
// replaced (as url.URL.Redacted does for a password), and its query and
// fragment left out, since any of them may hold a secret.
func redactURLForError(u *url.URL) string {
	c := *u
	hidden := c.RawQuery != "" || c.ForceQuery || c.Fragment != ""
	c.RawQuery, c.ForceQuery, c.Fragment, c.RawFragment = "", false, "", ""
	if c.User != nil {
		c.User = url.User("xxxxx") // a user name can be a token too
	}
	s := c.Redacted()
	if hidden {
		s += "?[redacted]"
	}
	return s
}

// redactRawURL is redactURLForError for a URL that does not parse: it
// drops what lies between the scheme and an "@" (user information), and
// everything from the first "?" or "#".
func redactRawURL(raw string) string {
	raw = strings.TrimSpace(raw)
	if i := strings.IndexAny(raw, "?#"); i >= 0 {
		raw = raw[:i] + "?[redacted]"
	}
	rest, scheme := raw, ""
	if i := strings.Index(raw, "://"); i >= 0 {
		scheme, rest = raw[:i+3], raw[i+3:]
	}
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		rest = "[redacted]@" + rest[at+1:]
	}
	return cleanText(scheme+rest, 200)
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// skipsVerify reports whether rt is an *http.Transport configured to skip
// certificate verification. Other RoundTripper implementations cannot be
// inspected; they are trusted as given.
func skipsVerify(rt http.RoundTripper) bool {
	t, ok := rt.(*http.Transport)
	return ok && t.TLSClientConfig != nil && t.TLSClientConfig.InsecureSkipVerify
}

// checkRedirect keeps the caller's redirect policy (or the default of ten
// redirects). The transport removes the Authorization header from any request
// that leaves the API's origin, so following a redirect never leaks it.
func checkRedirect(user func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	if user != nil {
		return user
	}
	return func(_ *http.Request, via []*http.Request) error {
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
}
