package gen_test

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qoverykit/qovery-go/api"
	"github.com/qoverykit/qovery-go/gen"
)

var (
	specOnce sync.Once
	specDoc  *openapi3.T
	specErr  error
)

// spec is api/openapi.yaml as kin-openapi sees it, loaded once.
func spec(t *testing.T) *openapi3.T {
	t.Helper()
	specOnce.Do(func() {
		specDoc, specErr = openapi3.NewLoader().LoadFromData(api.Spec)
	})
	require.NoError(t, specErr)
	return specDoc
}

// specOp is one operation of the spec with what the test needs to call it.
type specOp struct {
	method, path string
	op           *openapi3.Operation
	status       int              // the success status the fake answers with
	schema       *openapi3.Schema // its JSON body schema; nil when it has none
}

// operations lists the spec's operations in path and method order, each
// with its first success status, preferring one with a JSON body.
func operations(t *testing.T) []specOp {
	doc := spec(t)
	var ops []specOp
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for method, op := range item.Operations() {
			so := specOp{method: method, path: path, op: op}
			var codes []string
			for code := range op.Responses.Map() {
				if strings.HasPrefix(code, "2") {
					codes = append(codes, code)
				}
			}
			sort.Strings(codes)
			for _, code := range codes {
				n, err := strconv.Atoi(code)
				require.NoError(t, err, "%s %s: status %q", method, path, code)
				resp := op.Responses.Value(code).Value
				mt := resp.Content.Get("application/json")
				if so.status == 0 || (so.schema == nil && mt != nil && mt.Schema != nil) {
					so.status = n
					so.schema = nil
					if mt != nil && mt.Schema != nil {
						so.schema = mt.Schema.Value
					}
				}
			}
			require.NotZero(t, so.status, "%s %s declares no 2xx response", method, path)
			ops = append(ops, so)
		}
	}
	sort.Slice(ops, func(i, j int) bool {
		if ops[i].path != ops[j].path {
			return ops[i].path < ops[j].path
		}
		return ops[i].method < ops[j].method
	})
	return ops
}

// fakeAPI answers every request with whatever the current test case says,
// and records what it was asked.
type fakeAPI struct {
	mu         sync.Mutex
	status     int
	body       []byte
	gotMethod  string
	gotPath    string
	gotHeaders http.Header
	gotBody    []byte
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gotBody, _ = io.ReadAll(r.Body)
	f.gotMethod, f.gotPath, f.gotHeaders = r.Method, r.URL.Path, r.Header.Clone()
	if f.body != nil {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(f.status)
	_, _ = w.Write(f.body)
}

func (f *fakeAPI) answer(status int, body []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.status, f.body = status, body
	f.gotMethod, f.gotPath, f.gotBody = "", "", nil
}

func (f *fakeAPI) request() (method, path string, body []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.gotMethod, f.gotPath, f.gotBody
}

// newClient returns a generated client talking to a fake mounted under a
// base path, so that a client dropping the base path would fail.
func newClient(t *testing.T) (*gen.ClientWithResponses, *fakeAPI) {
	t.Helper()
	fake := &fakeAPI{}
	mux := http.NewServeMux()
	mux.Handle("/base/", http.StripPrefix("/base", fake))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c, err := gen.NewClientWithResponses(srv.URL+"/base", gen.WithHTTPClient(srv.Client()))
	require.NoError(t, err)
	return c, fake
}

var templateVar = regexp.MustCompile(`\{[^{}]+\}`)

// callOperation calls the operation's <Op>WithResponse method (or
// <Op>WithBodyWithResponse when the body is not JSON), filling path
// parameters with distinct values, and returns the typed response and the
// request path the call should produce, and the JSON request body it was
// given (nil when it takes none).
func callOperation(t *testing.T, c *gen.ClientWithResponses, so specOp) (resp reflect.Value, wantPath string, sentBody []byte) {
	t.Helper()
	name := codegen.ToCamelCase(so.op.OperationID)
	m := reflect.ValueOf(c).MethodByName(name + "WithResponse")
	if !m.IsValid() {
		m = reflect.ValueOf(c).MethodByName(name + "WithBodyWithResponse")
	}
	require.True(t, m.IsValid(), "the generated client has no %sWithResponse method", name)

	mt := m.Type()
	args := []reflect.Value{reflect.ValueOf(context.Background())}
	var pathValues []string
	for i := 1; i < mt.NumIn(); i++ {
		in := mt.In(i)
		if mt.IsVariadic() && i == mt.NumIn()-1 {
			break // request editors
		}
		switch {
		case in.Implements(reflect.TypeFor[io.Reader]()) || in == reflect.TypeFor[io.Reader]():
			args = append(args, reflect.ValueOf(strings.NewReader("{}")))
		case in.Kind() == reflect.String && i+1 < mt.NumIn() && mt.In(i+1) == reflect.TypeFor[io.Reader]():
			args = append(args, reflect.ValueOf("application/json").Convert(in)) // content type
		case in.Kind() == reflect.Pointer && in.Elem().Kind() == reflect.Struct:
			args = append(args, reflect.New(in.Elem())) // <Op>Params
		case in.Kind() == reflect.Struct || in.Kind() == reflect.Map || in.Kind() == reflect.Slice:
			// The JSON request body, filled from its schema like a caller would.
			body := reflect.New(in)
			if rb := so.op.RequestBody; rb != nil && rb.Value != nil {
				if mt := rb.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil {
					raw, err := json.Marshal(sample(mt.Schema.Value, "", 0))
					require.NoError(t, err)
					require.NoError(t, json.Unmarshal(raw, body.Interface()), "%s: request body %s does not fit %s", name, raw, in)
					sentBody = raw
				}
			}
			args = append(args, body.Elem())
		default: // a path parameter
			v, text := pathValue(in, len(pathValues))
			args = append(args, v)
			pathValues = append(pathValues, text)
		}
	}
	i := 0
	wantPath = templateVar.ReplaceAllStringFunc(so.path, func(string) string {
		if i >= len(pathValues) {
			return "?"
		}
		i++
		return pathValues[i-1]
	})
	require.Equal(t, len(pathValues), i, "%s: the method takes %d path parameters, the path has %d", name, len(pathValues), i)

	out := m.Call(args)
	if err, _ := out[1].Interface().(error); err != nil {
		t.Fatalf("%s %s (%s): %v", strings.ToUpper(so.method), so.path, so.op.OperationID, err)
	}
	return out[0], wantPath, sentBody
}

// pathValue makes the n-th path argument of type typ and its text in a URL.
func pathValue(typ reflect.Type, n int) (reflect.Value, string) {
	v := reflect.New(typ).Elem()
	switch {
	case typ.Kind() == reflect.Array && typ.Len() == 16 && typ.Elem().Kind() == reflect.Uint8: // a UUID
		id := fmt.Sprintf("3f0c6a4e-1b2d-4c8e-9a7f-%012d", n+1)
		u := v.Addr().Interface().(encoding)
		if err := u.UnmarshalText([]byte(id)); err != nil {
			panic(err)
		}
		return v, id
	case typ.Kind() == reflect.String:
		s := fmt.Sprintf("p%d", n+1)
		v.SetString(s)
		return v, s
	case typ.Kind() >= reflect.Int && typ.Kind() <= reflect.Int64:
		v.SetInt(int64(n + 1))
		return v, strconv.Itoa(n + 1)
	}
	panic("unexpected path parameter type " + typ.String())
}

type encoding interface{ UnmarshalText([]byte) error }

// TestEveryOperationDecodes calls every operation of the spec through the
// generated client against a fake that answers with the operation's success
// status and a body built from its response schema, and checks that the
// request went to the right method and path, that the typed field
// (JSON200, JSON201, ...) is filled, and that it holds every field of the
// body: encoding it again gives back the same JSON.
func TestEveryOperationDecodes(t *testing.T) {
	c, fake := newClient(t)
	ops := operations(t)
	require.NotEmpty(t, ops)

	tagsCalled := map[string]int{}
	tagsDecoded := map[string]int{}
	for _, so := range ops {
		t.Run(so.op.OperationID, func(t *testing.T) {
			var body []byte
			if so.schema != nil {
				var err error
				body, err = json.Marshal(sample(so.schema, "", 0))
				require.NoError(t, err)
			}
			fake.answer(so.status, body)

			resp, wantPath, sent := callOperation(t, c, so)
			method, path, received := fake.request()
			assert.Equal(t, strings.ToUpper(so.method), method)
			assert.Equal(t, wantPath, path)
			if sent != nil {
				assert.JSONEq(t, string(sent), string(received), "the request body lost or changed fields")
			}
			status := resp.MethodByName("StatusCode").Call(nil)[0].Interface().(int)
			require.Equal(t, so.status, status)
			for _, tag := range so.op.Tags {
				tagsCalled[tag]++
			}
			if body == nil {
				return
			}

			field := resp.Elem().FieldByName(fmt.Sprintf("JSON%d", so.status))
			require.True(t, field.IsValid(), "the response type has no JSON%d field", so.status)
			require.False(t, field.IsNil(), "JSON%d is nil for body %s", so.status, body)
			again, err := json.Marshal(field.Interface())
			require.NoError(t, err)
			assert.JSONEq(t, string(body), string(again), "JSON%d does not hold the whole body", so.status)
			for _, tag := range so.op.Tags {
				tagsDecoded[tag]++
			}
		})
	}

	// Every tag had at least one operation called, and, for every tag with a
	// JSON success body somewhere, one decoded.
	for _, tag := range spec(t).Tags {
		assert.Positive(t, tagsCalled[tag.Name], "no operation of tag %q was called", tag.Name)
	}
	var noBody []string
	for tag := range tagsCalled {
		if tagsDecoded[tag] == 0 {
			noBody = append(noBody, tag)
		}
	}
	sort.Strings(noBody)
	t.Logf("%d operations called, %d tags, %d with a decoded JSON body; tags whose operations return no body: %q",
		len(ops), len(tagsCalled), len(tagsDecoded), noBody)
}

// sample builds a plausible JSON value for schema s: examples and defaults
// when the spec has them, the first enum value, realistic strings for
// formats, and every property of every object (nested objects included,
// down to a depth that stops recursive schemas).
func sample(s *openapi3.Schema, name string, depth int) any {
	if s == nil {
		return nil
	}
	if s.Example != nil {
		return s.Example
	}
	if len(s.Enum) > 0 {
		for _, v := range s.Enum {
			if v != nil {
				return v
			}
		}
	}
	if s.Default != nil {
		return s.Default
	}
	if len(s.AllOf) > 0 {
		merged := map[string]any{}
		for _, sub := range s.AllOf {
			v := sample(sub.Value, name, depth)
			obj, ok := v.(map[string]any)
			if !ok {
				return v // allOf around a single non-object schema
			}
			for k, x := range obj {
				merged[k] = x
			}
		}
		for k, x := range objectSample(s, depth) {
			merged[k] = x
		}
		return merged
	}
	if len(s.OneOf) > 0 {
		return sample(s.OneOf[0].Value, name, depth)
	}
	if len(s.AnyOf) > 0 {
		return sample(s.AnyOf[0].Value, name, depth)
	}

	switch {
	case s.Type.Is("object") || (s.Type == nil && len(s.Properties) > 0):
		return objectSample(s, depth)
	case s.Type.Is("array"):
		if s.Items == nil || depth > 8 {
			return []any{}
		}
		return []any{sample(s.Items.Value, singular(name), depth+1)}
	case s.Type.Is("string"):
		return stringSample(s, name)
	case s.Type.Is("integer"):
		n := 3.0
		if s.Min != nil && *s.Min > n {
			n = *s.Min
		}
		if s.Max != nil && *s.Max < n {
			n = *s.Max
		}
		return int64(n)
	case s.Type.Is("number"):
		n := 1.5
		if s.Min != nil && *s.Min > n {
			n = *s.Min
		}
		if s.Max != nil && *s.Max < n {
			n = *s.Max
		}
		return n
	case s.Type.Is("boolean"):
		return true
	}
	return map[string]any{}
}

func objectSample(s *openapi3.Schema, depth int) map[string]any {
	obj := map[string]any{}
	for _, prop := range sortedNames(s.Properties) {
		ps := s.Properties[prop].Value
		if ps == nil || ps.WriteOnly {
			continue
		}
		// Past a few levels, keep only what is required, so that recursive
		// schemas end.
		if depth > 5 && !contains(s.Required, prop) {
			continue
		}
		obj[prop] = sample(ps, prop, depth+1)
	}
	if len(s.Properties) == 0 {
		if ap := s.AdditionalProperties.Schema; ap != nil && ap.Value != nil {
			obj["key"] = sample(ap.Value, "key", depth+1)
		} else if has := s.AdditionalProperties.Has; has == nil || *has {
			obj["key"] = "value"
		}
	}
	return obj
}

func stringSample(s *openapi3.Schema, name string) string {
	switch s.Format {
	case "uuid":
		h := fnv.New64a()
		h.Write([]byte(name))
		return fmt.Sprintf("7d3c2f1e-8a4b-4c6d-9e0f-%012x", h.Sum64()&0xffffffffffff)
	case "date-time":
		return "2024-03-18T09:30:00Z"
	case "date":
		return "2024-03-18"
	case "email":
		return "jane.doe@example.com"
	case "uri", "url":
		return "https://example.com/" + strings.ToLower(name)
	case "ipv4":
		return "10.0.0.12"
	}
	lower := strings.ToLower(name)
	var v string
	switch {
	case strings.Contains(lower, "url"):
		v = "https://console.example.com/" + lower
	case lower == "name":
		v = "backend-api"
	case strings.Contains(lower, "branch"):
		v = "main"
	case strings.Contains(lower, "region"):
		v = "eu-west-3"
	case strings.Contains(lower, "version"):
		v = "16"
	case strings.Contains(lower, "description"):
		v = "created by the test suite"
	case lower == "":
		v = "value"
	default:
		v = lower + "-value"
	}
	if s.MinLength > uint64(len(v)) {
		v += strings.Repeat("x", int(s.MinLength)-len(v))
	}
	if s.MaxLength != nil && uint64(len(v)) > *s.MaxLength {
		v = v[:*s.MaxLength]
	}
	return v
}

func singular(name string) string {
	return strings.TrimSuffix(name, "s")
}

func sortedNames(m openapi3.Schemas) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
