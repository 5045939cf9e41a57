package qovery

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/qoverykit/qovery-go/gen"
)

// slashToken has the characters JSON encoders like to escape: PHP and
// Java write "/" as "\/", and any encoder may write a character as \u00XX.
const slashToken = "rt3/T0KEN-9f2a71c4e0b5+Qz"

// Ways a server may echo the token in an error body.
func slashEscaped(tok string) string { return strings.ReplaceAll(tok, "/", `\/`) }

// uEscaped writes every character of slashToken as \u00XX, the hex
// digits in upper case when upper is set.
func uEscaped(upper bool) string {
	var b strings.Builder
	for _, r := range slashToken {
		s := fmt.Sprintf(`\u%04x`, r)
		if upper {
			s = `\u` + strings.ToUpper(s[2:])
		}
		b.WriteString(s)
	}
	return b.String()
}

// mixedEscaped writes slashToken with the escapes mixed: every third
// character as \u00XX (as Go writes <, > and &), "/" as "\/", the rest as
// they are.
func mixedEscaped() string {
	var b strings.Builder
	for i, r := range slashToken {
		switch {
		case r == '/':
			b.WriteString(`\/`)
		case i%3 == 0:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// htmlRefs writes every other character of slashToken as an HTML
// character reference, decimal and hexadecimal in turn.
func htmlRefs() string {
	var b strings.Builder
	for i, r := range slashToken {
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, "&#%d;", r)
		case 2:
			fmt.Fprintf(&b, "&#x%X;", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

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

// apiErrorOf makes a call that must fail with status, and returns its
// *APIError and the error as returned.
func apiErrorOf(t *testing.T, c *Client, status int) (*APIError, error) {
	t.Helper()
	_, err := c.Organizations.List(context.Background())
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != status {
		t.Fatalf("err = %.300v, want a %d *APIError", err, status)
	}
	return ae, err
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

func errorTexts(err error, ae *APIError) map[string][]byte {
	return map[string][]byte{"body": ae.Body, "message": []byte(ae.Message),
		"request ID": []byte(ae.RequestID), "error": []byte(err.Error())}
}

// An error body longer than the 1 MiB kept is cut; a token that straddles
// the cut, in any form the scrub knows, must not leave its first half in
// the body.
func TestTokenStraddlingErrorBodyCapScrubbed(t *testing.T) {
	for name, echoed := range map[string]string{
		"as is":           slashToken,
		"JSON \\/":        slashEscaped(slashToken),
		"JSON \\u00XX":    uEscaped(false),
		"JSON mixed":      mixedEscaped(),
		"HTML references": htmlRefs(),
		"query escape":    url.QueryEscape(slashToken),
		"base64":          base64.StdEncoding.EncodeToString([]byte(slashToken)),
	} {
		t.Run(name, func(t *testing.T) {
			half := len(echoed) / 2
			body := bytes.Repeat([]byte("x"), maxErrorBody-half)
			body = append(body, echoed+strings.Repeat("y", 100)...)
			c := answering(t, http.StatusBadRequest, "text/plain", body)
			ae, err := apiErrorOf(t, c, http.StatusBadRequest)
			if len(ae.Body) > maxErrorBody {
				t.Errorf("kept %d bytes, more than %d", len(ae.Body), maxErrorBody)
			}
			checkNoneShows(t, errorTexts(err, ae), echoed[:half], slashToken[:len(slashToken)/2])
		})
	}
}

// Result and Check also build errors from answers that did not come
// through a Client's transport (a generated client of the caller's own);
// the body is then cut by newAPIError, after which only a part of the
// token is left to find.
func TestTokenStraddlingCutOfForeignAnswerScrubbed(t *testing.T) {
	c := answering(t, http.StatusOK, "application/json", nil)
	half := len(slashToken) / 2
	body := append(bytes.Repeat([]byte("x"), maxErrorBody-half), slashToken...)
	req, _ := http.NewRequest(http.MethodGet, "https://api.example.test/organization", nil)
	resp := &gen.ListOrganizationResponse{Body: body, HTTPResponse: &http.Response{
		StatusCode: http.StatusBadRequest, Header: http.Header{"Content-Type": {"text/plain"}}, Request: req}}
	_, err := Result[gen.OrganizationResponseList](resp, nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusBadRequest {
		t.Fatalf("err = %.300v, want a 400 *APIError", err)
	}
	checkNoneShows(t, errorTexts(err, ae), slashToken[:half])
	runtime.KeepAlive(c) // its credential is the one Result scrubs
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

// A JSON error body over 1 MiB no longer decodes once cut, so the token it
// holds escaped cannot be found by decoding the document: it must be found
// in the raw bytes.
func TestEscapedTokenInHugeJSONBodyScrubbed(t *testing.T) {
	for name, echoed := range map[string]string{
		"\\/":           slashEscaped(slashToken),
		"\\u00xx":       uEscaped(false),
		"\\u00XX":       uEscaped(true),
		"mixed":         mixedEscaped(),
		"HTML in JSON":  htmlRefs(),
		"query escaped": strings.ReplaceAll(url.QueryEscape(slashToken), "%", `\u0025`),
	} {
		t.Run(name, func(t *testing.T) {
			body := `{"message":"token ` + echoed + ` is not allowed","detail":"` +
				strings.Repeat("z", maxErrorBody+4096) + `"}`
			c := answering(t, http.StatusForbidden, "application/json", []byte(body))
			ae, err := apiErrorOf(t, c, http.StatusForbidden)
			checkNoneShows(t, errorTexts(err, ae), echoed, slashToken)
		})
	}
}

// A proxy may put a line of its own before the API's JSON: the body as a
// whole is then not JSON, and an escaped token in it must still go, from
// the body and from the message (the banner line).
func TestEscapedTokenAfterProxyBannerScrubbed(t *testing.T) {
	for name, echoed := range map[string]string{
		"\\/":    slashEscaped(slashToken),
		"\\u00":  uEscaped(false),
		"mixed":  mixedEscaped(),
		"HTML":   htmlRefs(),
		"as is":  slashToken,
		"base64": base64.RawURLEncoding.EncodeToString([]byte(slashToken)),
	} {
		t.Run(name, func(t *testing.T) {
			body := "upstream 403 for key " + echoed + "\r\n" +
				`{"status":403,"message":"token ` + echoed + ` rejected","` + echoed + `":true}`
			c := answering(t, http.StatusForbidden, "application/json", []byte(body))
			ae, err := apiErrorOf(t, c, http.StatusForbidden)
			checkNoneShows(t, errorTexts(err, ae), echoed, slashToken)
			if !bytes.Contains(ae.Body, []byte(`"status":403`)) {
				t.Errorf("the body lost what surrounds the token: %s", ae.Body)
			}
		})
	}
}

// A header echoing the token escaped (a request ID, say) is scrubbed like
// one echoing it as it is.
func TestEscapedTokenInHeadersScrubbed(t *testing.T) {
	echoed := mixedEscaped()
	rt := rtFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: http.StatusUnauthorized, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: http.Header{"Content-Type": {"text/plain"}, "X-Request-Id": {`{"key":"` + echoed + `"}`},
				"X-Echo": {"seen " + htmlRefs()}},
			Body: io.NopCloser(strings.NewReader("no")), Request: r}, nil
	})
	c, err := New(slashToken, WithBaseURL("https://api.example.test"), WithHTTPClient(&http.Client{Transport: rt}))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.API().ListOrganizationWithResponse(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	_, err = Result[gen.OrganizationResponseList](resp, nil)
	var ae *APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want an *APIError", err)
	}
	texts := errorTexts(err, ae)
	texts["X-Echo header"] = []byte(resp.HTTPResponse.Header.Get("X-Echo"))
	checkNoneShows(t, texts, echoed, slashToken)
}

// printToken is distinctive, so that no other text of the process holds
// it, and has a character (/) that encoders escape.
const printToken = "qvtok/PR1NT-4d8e0b27c6a9"

// printVerbs are the verbs a user may print a value with, the valid ones
// and some that fmt reports as bad (%d on a struct, %t, %p and %w outside
// Errorf), whose report prints the value in full.
var printVerbs = []string{"%s", "%v", "%+v", "%#v", "%q", "%x", "%X", "%d", "%t", "%p", "%w"}

// printedForms are the ways fmt may show tok: as it is, quoted, in hex
// (%x, %X), as decimal bytes (%d and %v of a []byte) and in every form the
// scrub knows.
func printedForms(tok string) []string {
	forms := append(tokenForms(tok), strconv.Quote(tok), hex.EncodeToString([]byte(tok)),
		strings.ToUpper(hex.EncodeToString([]byte(tok))), slashEscaped(tok))
	dec := make([]string, len(tok))
	for i := range len(tok) {
		dec[i] = strconv.Itoa(int(tok[i]))
	}
	return append(forms, strings.Join(dec, " "))
}

// printWalker formats, with every verb, each value reachable from a root:
// through pointers, interfaces, struct fields (unexported ones too), slices,
// arrays and maps; func values and channels are printed but not entered.
// A value reached through an unexported field is made printable with
// unsafe, as if a user had been handed it. The one exception is where the
// token lives, credential: its fields are the token by design, so it is
// neither printed nor entered; what is checked is that nothing else shows
// what it holds.
type printWalker struct {
	t     *testing.T
	forms []string
	seen  map[visit]bool
	types map[reflect.Type]bool // of the values printed
}

type visit struct {
	p unsafe.Pointer
	t reflect.Type
}

func newPrintWalker(t *testing.T, token string) *printWalker {
	return &printWalker{t: t, forms: printedForms(token), seen: map[visit]bool{}, types: map[reflect.Type]bool{}}
}

func (w *printWalker) walk(v reflect.Value, path string) {
	if !v.IsValid() || v.Type() == reflect.TypeFor[credential]() || v.Type() == reflect.TypeFor[*credential]() {
		return
	}
	if v.Kind() == reflect.Struct && !v.CanAddr() && v.CanInterface() {
		c := reflect.New(v.Type()).Elem() // addressable, so its fields can be exposed
		c.Set(v)
		v = c
	}
	if e := exposed(v); e.IsValid() {
		w.print(e, path)
		v = e
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || w.seen[visit{v.UnsafePointer(), v.Type()}] {
			return
		}
		w.seen[visit{v.UnsafePointer(), v.Type()}] = true
		w.walk(v.Elem(), "(*"+path+")")
	case reflect.Interface:
		w.walk(v.Elem(), path)
	case reflect.Struct:
		for i := range v.NumField() {
			w.walk(v.Field(i), path+"."+v.Type().Field(i).Name)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			w.walk(v.Index(i), path+"["+strconv.Itoa(i)+"]")
		}
	case reflect.Map:
		if !v.CanInterface() {
			return // MapRange refuses a map it cannot expose
		}
		for it := v.MapRange(); it.Next(); {
			w.walk(it.Key(), path+"{key}")
			w.walk(it.Value(), path+"{"+fmt.Sprint(it.Key())+"}")
		}
	}
}

// exposed is v as a value that can be handed to fmt, or the zero Value
// when it cannot be had.
func exposed(v reflect.Value) reflect.Value {
	switch {
	case v.CanInterface():
		return v
	case v.CanAddr():
		return reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
	}
	return reflect.Value{}
}

// print formats v, and a pointer to it when it has an address (so that
// methods on either receiver are used), with every verb.
func (w *printWalker) print(v reflect.Value, path string) {
	w.t.Helper()
	vals := []any{v.Interface()}
	if v.CanAddr() {
		vals = append(vals, v.Addr().Interface())
	}
	for _, x := range vals {
		w.types[reflect.TypeOf(x)] = true
		for _, verb := range printVerbs {
			out := fmt.Sprintf(verb, x)
			for _, f := range w.forms {
				if i := strings.Index(out, f); i >= 0 {
					w.t.Errorf("%s (%T) printed with %s shows the token: ...%s", path, x, verb, out[max(i-80, 0):min(i+len(f)+20, len(out))])
					return
				}
			}
		}
	}
}

// Nothing a Client holds prints its token, with any verb, whether printed
// itself or reached from it: the Client, its generated client and the
// HTTP client it wraps, its services, and everything they point to.
func TestNothingReachablePrintsToken(t *testing.T) {
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	canned := rtFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: http.StatusOK, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: http.Header{"Content-Type": {"application/json"}, "X-Ratelimit-Remaining": {"7"}},
			Body:   io.NopCloser(strings.NewReader(`{"results":[]}`)), Request: r}, nil
	})
	for name, opts := range map[string][]Option{
		// A transport of its own that has opened no connection, rather
		// than http.DefaultTransport, whose connections other tests use
		// (reading them here would race with their goroutines).
		"default transport": {WithHTTPClient(&http.Client{Transport: &http.Transport{}})},
		"bearer, logger, after a call": {WithBearer(), WithLogger(logger),
			WithHTTPClient(&http.Client{Transport: canned}), WithUserAgent("edge-test")},
	} {
		t.Run(name, func(t *testing.T) {
			c, err := New(printToken, append([]Option{WithBaseURL("https://api.example.test/api")}, opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			if name != "default transport" {
				if _, err := c.Organizations.List(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			roots := map[string]any{
				"c": c, "*c": *c, "c.API()": c.API(), "*c.API()": *c.API(),
				"c.API().ClientInterface": c.API().ClientInterface, "c.Services": c.Services,
				"c.http": c.http, "c.transport": c.transport, "c.auth": c.auth,
				"a call's exchange": &exchange{Context: context.Background(), auth: c.auth},
			}
			sv := reflect.ValueOf(c.Services)
			for i := range sv.NumField() {
				roots["c."+sv.Type().Field(i).Name] = sv.Field(i).Interface()
			}
			for path, root := range roots {
				w := newPrintWalker(t, printToken)
				w.walk(reflect.ValueOf(root), path)
				if path != "c" {
					continue
				}
				// The walk reaches what holds the credential, or it proves
				// nothing.
				for _, want := range []reflect.Type{reflect.TypeFor[*authorizer](), reflect.TypeFor[answers](),
					reflect.TypeFor[*transport](), reflect.TypeFor[*http.Client](), reflect.TypeFor[*gen.Client]()} {
					if !w.types[want] {
						t.Errorf("the walk from c never printed a %s", want)
					}
				}
				t.Logf("%d types printed from c", len(w.types))
			}
		})
	}
}

// escapeMix writes tok with each character written as choose says: as it
// is, as \uXXXX in either case, as an HTML reference, decimal or hex, or
// (for "/") as \/.
func escapeMix(tok string, choose []byte) string {
	var b strings.Builder
	for i, r := range tok {
		c := byte(0)
		if len(choose) > 0 {
			c = choose[i%len(choose)]
		}
		switch c % 6 {
		case 1:
			fmt.Fprintf(&b, `\u%04x`, r)
		case 2:
			fmt.Fprintf(&b, `\u%04X`, r)
		case 3:
			fmt.Fprintf(&b, "&#%d;", r)
		case 4:
			fmt.Fprintf(&b, "&#x%x;", r)
		case 5:
			if r == '/' {
				b.WriteString(`\/`)
				continue
			}
			fallthrough
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Whatever surrounds it, a token written with any mix of escapes leaves
// an error body, and so does any form of it; a body without one is left
// as it is.
func FuzzScrubEscapedToken(f *testing.F) {
	f.Add("upstream said\n{\"message\":\"", []byte{1, 5, 0, 3}, "\"}", uint8(0))
	f.Add(`\`, []byte{1}, `&#`, uint8(3))
	f.Add("&#1", []byte{3, 4}, "5;", uint8(1))
	f.Add(`\u00`, []byte{0, 2}, `\u`, uint8(6))
	f.Add("", []byte{}, "", uint8(2))
	c := answering(f, http.StatusOK, "application/json", nil)
	forms := tokenForms(slashToken)
	f.Fuzz(func(t *testing.T, before string, choose []byte, after string, form uint8) {
		echoed := escapeMix(forms[int(form)%len(forms)], choose)
		out := string(c.auth.scrubBody([]byte(before+echoed+after), false))
		if strings.Contains(out, echoed) || strings.Contains(out, slashToken) {
			t.Fatalf("the token, written %q, is still in %q", echoed, out)
		}
		if plain := []byte(before + after); escapedSpans(plain, forms, false) == nil {
			if got := c.auth.scrubBody(plain, false); !bytes.Equal(got, plain) {
				t.Fatalf("a body without the token changed: %q became %q", plain, got)
			}
		}
	})
}
