package qovery

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/qoverykit/qovery-go/gen"
)

// API returns the generated client, with authentication, the user agent and
// retries applied. It reaches every operation of the API; pass its results
// to Result or Check:
//
//	db, err := qovery.Result[gen.DatabaseResponse](c.API().GetDatabaseWithResponse(ctx, id))
func (c *Client) API() *gen.ClientWithResponses { return c.api }

func (c *Client) initAPI() error {
	api, err := gen.NewClientWithResponses(c.baseStr,
		gen.WithHTTPClient(answers{hc: c.http, auth: c.auth}),
		gen.WithRequestEditorFn(c.auth.editRequest))
	if err != nil {
		return fmt.Errorf("qovery: %w", err)
	}
	c.api = api
	return nil
}

// answers is how the generated client reaches the API: each call goes
// through the Client's http.Client with an exchange of its own in its
// context, which the errors built from the answer read, and each error
// answer is made fit for the generated parser (see keepStatus).
type answers struct {
	hc   *http.Client
	auth *authorizer
}

// Format keeps the Client's HTTP client and credential out of any printed
// form of the generated client, which holds answers as its doer.
func (d answers) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, "qovery.answers") }

func (d answers) Do(req *http.Request) (*http.Response, error) {
	req = req.WithContext(&exchange{Context: req.Context(), auth: d.auth})
	resp, err := d.hc.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.Request == nil {
		resp.Request = req
	}
	if err := keepStatus(resp); err != nil {
		return nil, err
	}
	return resp, nil
}

// keepStatus makes sure the generated parser keeps the status of an error
// answer. The parser decodes a JSON error body into the spec's Error schema
// and, when that fails (a proxy's own JSON, a field of another type, a body
// cut at 1 MiB), drops the whole response, status code included. Such a
// body is labelled as text instead, so that the parser hands it over
// untouched and Result, Check and the services turn it into an *APIError.
func keepStatus(resp *http.Response) error {
	if resp.StatusCode < 400 || resp.Body == nil || resp.Body == http.NoBody ||
		!strings.Contains(resp.Header.Get("Content-Type"), "json") {
		return nil
	}
	b, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		e := &DecodeError{StatusCode: resp.StatusCode, Err: fmt.Errorf("reading body: %w", err)}
		if resp.Request.URL != nil {
			e.Method, e.Path = resp.Request.Method, resp.Request.URL.Path
		}
		return e
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	var e gen.Error
	if json.Unmarshal(b, &e) != nil {
		resp.Header.Set("Content-Type", "text/plain; charset=utf-8")
	}
	return nil
}

// exchange is what the transport reports about one call, for the *APIError
// built from its answer: how many attempts it took, and whether one before
// the last may have taken effect. It is the context of the call's request
// (the caller's, with the exchange as one more value), which saves an
// allocation per call over context.WithValue.
type exchange struct {
	context.Context
	auth          *authorizer  // the Client's credential, scrubbed from the error
	policy        *RetryPolicy // the call's own retry policy; nil for the Client's
	attempts      int
	earlierEffect bool
	// headersChecked says that every header of the request was checked
	// where it was set (see Client.send), so that the transport need not
	// look for one net/http would refuse.
	headersChecked bool
}

type exchangeKey struct{}

// Value returns the exchange itself for exchangeKey, and otherwise what the
// caller's context holds.
func (x *exchange) Value(key any) any {
	if key == (exchangeKey{}) {
		return x
	}
	return x.Context.Value(key)
}

// exchangeIn returns the exchange of the call ctx belongs to, or nil.
func exchangeIn(ctx context.Context) *exchange {
	x, _ := ctx.Value(exchangeKey{}).(*exchange)
	return x
}

// exchangeOf returns the exchange of the call resp answers, or nil.
func exchangeOf(resp *http.Response) *exchange {
	if resp == nil || resp.Request == nil {
		return nil
	}
	return exchangeIn(resp.Request.Context())
}

// record is called by the transport with the attempt whose answer it hands
// back.
func (x *exchange) record(attempts int, earlierEffect bool) {
	if x != nil {
		x.attempts, x.earlierEffect = attempts, earlierEffect
	}
}

// Response is implemented by every response type of the generated client
// (gen.GetDatabaseResponse and the like).
type Response interface {
	StatusCode() int
}

// Result turns the result of any generated ...WithResponse method into its
// typed success body or an error:
//
//   - err is returned wrapped with the operation name;
//   - a status of 400 or more gives an *APIError;
//   - a 2xx gives the decoded body as *T. When the generated client did not
//     decode it (an undeclared 2xx status, a missing JSON content type), the
//     body is decoded here; a body that does not decode, is empty or is
//     JSON null gives a *DecodeError naming the operation and status, never
//     a nil pointer or a zero value passed off as an answer.
//
// T is the success type of the operation, for example gen.DatabaseResponse
// for GetDatabaseWithResponse. For operations without a response body use
// Check.
//
// No error it returns shows the token of a Client in use, whatever produced
// it: see the Secrets notes in the package documentation.
func Result[T any, R Response](resp R, err error) (*T, error) {
	v, err := result[T](resp, err)
	return v, scrubAll(err)
}

func result[T any, R Response](resp R, err error) (*T, error) {
	sh := shapeOf(reflect.TypeFor[R]())
	v, hr, body, err := sh.unpack(resp, err)
	if err != nil {
		return nil, err
	}
	var typed *T
	if i, ok := sh.json[hr.StatusCode]; ok && hr.StatusCode >= 200 && hr.StatusCode <= 299 {
		if f := v.Field(i); !f.IsNil() {
			p, ok := f.Interface().(*T)
			if !ok {
				return nil, fmt.Errorf("qovery: Result[%s] used on %s, whose %d body is %s", reflect.TypeFor[T](), sh.op, hr.StatusCode, f.Type())
			}
			typed = p
		}
	}
	return answer(sh, hr, body, typed)
}

// Check is Result for operations whose success has no body worth decoding
// (204 No Content, deletions, actions): it returns nil on any 2xx, and the
// same errors as Result otherwise.
func Check[R Response](resp R, err error) error {
	return scrubAll(check(resp, err))
}

func check[R Response](resp R, err error) error {
	sh := shapeOf(reflect.TypeFor[R]())
	_, hr, body, err := sh.unpack(resp, err)
	if err != nil {
		return err
	}
	return sh.bodiless(hr, body)
}

// bodiless is the outcome of a call whose success has no body worth
// decoding, for Check and the generated services alike: nil for a 2xx, and
// for the 404 of a DELETE that an earlier attempt did (see deletedEarlier);
// the error statusError gives otherwise.
func (s *respShape) bodiless(hr *http.Response, body []byte) error {
	if hr.StatusCode >= 200 && hr.StatusCode <= 299 || deletedEarlier(hr) {
		return nil
	}
	return s.statusError(hr, body)
}

// deletedEarlier reports whether hr is a 404 answering a DELETE that the
// transport sent again after an attempt that may have taken effect (a 5xx,
// a connection lost after the request may have left): that attempt is taken
// to have deleted the object, and its answer to have been lost on the way,
// since a retry is the client's doing and the caller asked for one
// deletion. A 404 to the first attempt, or after attempts that surely did
// nothing (a 429, a refused connection), is the API's own answer.
func deletedEarlier(hr *http.Response) bool {
	if hr.StatusCode != http.StatusNotFound || hr.Request == nil || hr.Request.Method != http.MethodDelete {
		return false
	}
	x := exchangeOf(hr)
	return x != nil && x.earlierEffect
}

// respShape caches, per generated response type, where its fields are.
type respShape struct {
	ptr      bool
	body     int         // index of Body []byte, or -1
	http     int         // index of HTTPResponse *http.Response, or -1
	json     map[int]int // status -> index of its JSONnnn field
	op       string      // operation name
	statuses string      // JSON statuses, e.g. "200" or "200 or 201"
}

var shapes sync.Map // reflect.Type -> *respShape

func shapeOf(t reflect.Type) *respShape {
	if s, ok := shapes.Load(t); ok {
		return s.(*respShape)
	}
	s := &respShape{body: -1, http: -1, json: map[int]int{}}
	st := t
	if st.Kind() == reflect.Pointer {
		s.ptr = true
		st = st.Elem()
	}
	s.op = strings.TrimSuffix(st.Name(), "Response")
	if st.Kind() == reflect.Struct {
		var codes []int
		for i := range st.NumField() {
			f := st.Field(i)
			switch {
			case f.Name == "Body" && f.Type == reflect.TypeFor[[]byte]():
				s.body = i
			case f.Name == "HTTPResponse" && f.Type == reflect.TypeFor[*http.Response]():
				s.http = i
			case strings.HasPrefix(f.Name, "JSON") && f.Type.Kind() == reflect.Pointer:
				if code, err := strconv.Atoi(f.Name[4:]); err == nil {
					s.json[code] = i
					if code >= 200 && code <= 299 {
						codes = append(codes, code)
					}
				}
			}
		}
		sort.Ints(codes)
		parts := make([]string, len(codes))
		for i, c := range codes {
			parts[i] = strconv.Itoa(c)
		}
		s.statuses = strings.Join(parts, " or ")
	}
	actual, _ := shapes.LoadOrStore(t, s)
	return actual.(*respShape)
}

// unpack checks the call's outcome and returns the response struct, its
// HTTP response and its body.
func (s *respShape) unpack(resp any, err error) (reflect.Value, *http.Response, []byte, error) {
	if err != nil {
		return reflect.Value{}, nil, nil, s.callError(err)
	}
	v := reflect.ValueOf(resp)
	if s.ptr {
		if v.IsNil() {
			return reflect.Value{}, nil, nil, fmt.Errorf("qovery: %s: no response", s.op)
		}
		v = v.Elem()
	}
	if s.http < 0 {
		return reflect.Value{}, nil, nil, fmt.Errorf("qovery: %s is not a generated response type", v.Type())
	}
	hr, _ := v.Field(s.http).Interface().(*http.Response)
	if hr == nil {
		return reflect.Value{}, nil, nil, fmt.Errorf("qovery: %s: no HTTP response", s.op)
	}
	var body []byte
	if s.body >= 0 {
		body = v.Field(s.body).Bytes()
	}
	return v, hr, body, nil
}

// callError explains an error returned by a generated method: a failed
// exchange (which keeps its cause, so errors.Is(err, ctx.Err()) holds), or a
// body the generated parser could not read or decode.
func (s *respShape) callError(err error) error {
	var (
		de     *DecodeError
		ue     *url.Error
		syn    *json.SyntaxError
		typ    *json.UnmarshalTypeError
		tpe    *time.ParseError // a date-time field that is not RFC 3339
		netErr net.Error
	)
	switch {
	case errors.As(err, &de):
		// The transport could not read the body: it tells the status.
		if de.Operation == "" {
			de.Operation = s.op
		}
		return de
	case errors.As(err, &ue):
		return fmt.Errorf("qovery: %s: %w", s.op, err)
	case errors.As(err, &syn), errors.As(err, &typ), errors.As(err, &tpe), isUUIDError(err):
		return &DecodeError{Operation: s.op, StatusCode: s.onlyStatus(), Statuses: s.statuses, Err: err}
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr):
		return &DecodeError{Operation: s.op, Err: fmt.Errorf("reading body: %w", err)}
	}
	return fmt.Errorf("qovery: %s: %w", s.op, err)
}

// isUUIDError recognises the errors of a UUID field that does not parse.
// github.com/google/uuid, which the generated types use for UUIDs, returns
// them unwrapped and of unexported types, so only their text tells them.
func isUUIDError(err error) bool {
	msg := err.Error()
	return strings.HasPrefix(msg, "invalid UUID") || strings.HasPrefix(msg, "invalid urn prefix")
}

// onlyStatus is the success status the generated parser decodes, when there
// is exactly one: a decoding failure then tells the status.
func (s *respShape) onlyStatus() int {
	if n, err := strconv.Atoi(s.statuses); err == nil {
		return n
	}
	return 0
}

func (s *respShape) statusError(hr *http.Response, body []byte) error {
	if hr.StatusCode >= 400 {
		return newAPIError(hr, body, exchangeOf(hr))
	}
	return s.decodeError(hr, hr.StatusCode, fmt.Errorf("unexpected status %d", hr.StatusCode))
}

func (s *respShape) decodeError(hr *http.Response, code int, err error) *DecodeError {
	e := &DecodeError{Operation: s.op, StatusCode: code, Err: err}
	if hr.Request != nil {
		e.Method = hr.Request.Method
		if hr.Request.URL != nil {
			e.Path = hr.Request.URL.Path
		}
	}
	return e
}
