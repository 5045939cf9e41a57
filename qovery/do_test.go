package qovery

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// stageAPI is an API under a base path (/api) with one operation our spec
// does not have: it records what it received and answers with reply.
type stageAPI struct {
	hits   atomic.Int32
	got    atomic.Pointer[http.Request]
	body   atomic.Pointer[[]byte]
	reply  func(w http.ResponseWriter, r *http.Request, n int)
	client *Client
}

func newStageAPI(t *testing.T, reply func(w http.ResponseWriter, r *http.Request, n int), opts ...Option) *stageAPI {
	t.Helper()
	s := &stageAPI{reply: reply}
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(s.hits.Add(1))
		b, _ := io.ReadAll(r.Body)
		s.body.Store(&b)
		s.got.Store(r)
		s.reply(w, r, n)
	}))
	s.client, _ = newTestClient(t, srv.URL+"/api", opts...)
	return s
}

func jsonReply(status int, body string) func(http.ResponseWriter, *http.Request, int) {
	return func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

const stageID = "6f1c0a52-3b1e-4e2a-9d53-7a0f1b2c3d4e"

func TestDoSendsAuthenticatedRequestsUnderTheBasePath(t *testing.T) {
	api := newStageAPI(t, jsonReply(200, `{"id":"`+stageID+`","name":"first"}`))
	var out struct{ ID, Name string }
	err := api.client.Do(context.Background(), http.MethodGet, "/deploymentStage/"+PathEscape(stageID)+"?page=2", nil, &out)
	if err != nil {
		t.Fatal(err)
	}
	r := api.got.Load()
	if r.URL.Path != "/api/deploymentStage/"+stageID || r.URL.RawQuery != "page=2" {
		t.Errorf("the server got %s?%s", r.URL.Path, r.URL.RawQuery)
	}
	if r.Header.Get("Authorization") != "Token "+testToken || !strings.HasPrefix(r.Header.Get("User-Agent"), "qovery-go/") {
		t.Errorf("headers %v; want the token and the user agent", r.Header)
	}
	if out.ID != stageID || out.Name != "first" {
		t.Errorf("out = %+v", out)
	}
}

func TestDoBodies(t *testing.T) {
	api := newStageAPI(t, jsonReply(200, `{}`))
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		body any
		want string
	}{
		{"a value is marshalled", map[string]string{"name": "n"}, `{"name":"n"}`},
		{"bytes are sent as they are", []byte(`{"a": 1}`), `{"a": 1}`},
		{"a raw message too", json.RawMessage(`[1, 2]`), `[1, 2]`},
		{"nil sends none", nil, ``},
	} {
		if err := api.client.Do(ctx, http.MethodPost, "/deploymentStage", tc.body, nil); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got, r := string(*api.body.Load()), api.got.Load()
		if got != tc.want {
			t.Errorf("%s: the server got %q, want %q", tc.name, got, tc.want)
		}
		if ct := r.Header.Get("Content-Type"); (tc.want != "") != (ct == "application/json") {
			t.Errorf("%s: Content-Type %q", tc.name, ct)
		}
	}
	err := api.client.Do(ctx, http.MethodPost, "/deploymentStage", strings.NewReader("{}"), nil)
	var ae *ArgError
	if !errors.As(err, &ae) || ae.Arg != "body" {
		t.Errorf("a reader as body: err = %v, want an *ArgError", err)
	}
	if err := api.client.Do(ctx, http.MethodPost, "/deploymentStage", func() {}, nil); !errors.As(err, &ae) {
		t.Errorf("a func as body: err = %v, want an *ArgError", err)
	}
}

func TestDoRefusesPathsThatAreNotCleanBeforeSending(t *testing.T) {
	api := newStageAPI(t, jsonReply(200, `{}`))
	for _, path := range []string{
		"deploymentStage", "https://evil.example/x", "//evil.example/x", "/a/../b", "/a/./b",
		"/a/%2e%2E/b", "/a//b", "/a/", "/a#frag", "/a\\b", "/a\x00b", "/a\nb", "/a b", "/a/%zz", "",
	} {
		err := api.client.Do(context.Background(), http.MethodGet, path, nil, nil)
		var ae *ArgError
		if !errors.As(err, &ae) || ae.Arg != "path" {
			t.Errorf("path %q: err = %v, want an *ArgError for path", path, err)
		}
	}
	if err := api.client.Do(context.Background(), "GET /x", "/a", nil, nil); err == nil {
		t.Error("a method with a space was accepted")
	}
	if n := api.hits.Load(); n != 0 {
		t.Errorf("%d requests reached the server", n)
	}
}

// A POST whose answer is lost after the server processed it is not sent
// again; a GET that meets a 503 is.
func TestDoRetriesOnlyWhatIsSafe(t *testing.T) {
	lost := newStageAPI(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		conn, _, _ := w.(http.Hijacker).Hijack()
		_ = conn.(*net.TCPConn).SetLinger(0)
		_ = conn.Close()
	})
	err := lost.client.Do(context.Background(), http.MethodPost, "/deploymentStage", map[string]string{"name": "n"}, nil)
	if err == nil || lost.hits.Load() != 1 {
		t.Errorf("POST with its answer lost: err %v after %d requests; want an error after 1", err, lost.hits.Load())
	}

	flaky := newStageAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		jsonReply(200, `{"name":"ok"}`)(w, r, n)
	})
	var out struct{ Name string }
	if err := flaky.client.Do(context.Background(), http.MethodGet, "/deploymentStage", nil, &out); err != nil || out.Name != "ok" {
		t.Errorf("GET after a 503: %v, %+v", err, out)
	}
}

func TestDoErrors(t *testing.T) {
	ctx := context.Background()
	echo := newStageAPI(t, jsonReply(404, `{"message":"no stage for token `+testToken+`"}`))
	err := echo.client.Do(ctx, http.MethodGet, "/deploymentStage/"+stageID, nil, nil)
	var ae *APIError
	if !errors.As(err, &ae) || !errors.Is(err, ErrNotFound) || ae.Path != "/api/deploymentStage/"+stageID || ae.Method != "GET" {
		t.Fatalf("err = %v, want an *APIError matching ErrNotFound", err)
	}
	assertNoToken(t, err)
	if strings.Contains(string(ae.Body), testToken) || !strings.Contains(ae.Message, "no stage for token") {
		t.Errorf("Body %q, Message %q; want the token scrubbed and the message kept", ae.Body, ae.Message)
	}

	for body, want := range map[string]string{`{"name":`: "unexpected end", ``: "empty body", `null`: "null"} {
		bad := newStageAPI(t, jsonReply(200, body))
		var out struct{ Name string }
		err := bad.client.Do(ctx, http.MethodGet, "/deploymentStage", nil, &out)
		var de *DecodeError
		if !errors.As(err, &de) || de.StatusCode != 200 || !strings.Contains(err.Error(), want) {
			t.Errorf("body %q: err = %v, want a *DecodeError saying %q", body, err, want)
		}
	}
	noContent := newStageAPI(t, func(w http.ResponseWriter, _ *http.Request, _ int) { w.WriteHeader(http.StatusNoContent) })
	var out struct{ Name string }
	if err := noContent.client.Do(ctx, http.MethodDelete, "/deploymentStage/"+stageID, nil, &out); err != nil {
		t.Errorf("204: %v", err)
	}

	big := newStageAPI(t, jsonReply(200, `{"name":"`+strings.Repeat("x", 4096)+`"}`), WithMaxResponseBody(1024))
	if err := big.client.Do(ctx, http.MethodGet, "/deploymentStage", nil, &out); !errors.Is(err, ErrResponseTooLarge) {
		t.Errorf("a body past the limit: err = %v, want ErrResponseTooLarge", err)
	}
}

func TestDoCallOptions(t *testing.T) {
	ctx := context.Background()
	api := newStageAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("X-Request-Id", "req-7")
		w.Header().Set("X-Ratelimit-Limit", "1000")
		w.Header().Set("X-Ratelimit-Remaining", "998")
		if n == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		jsonReply(200, `{}`)(w, r, n)
	})
	var meta ResponseMeta
	err := api.client.Do(ctx, http.MethodGet, "/deploymentStage", nil, nil, CallHeader("X-Trace", "t1"), CallResponse(&meta))
	if err != nil {
		t.Fatal(err)
	}
	if api.got.Load().Header.Get("X-Trace") != "t1" {
		t.Error("CallHeader was not sent")
	}
	if meta.StatusCode != 200 || meta.RequestID != "req-7" || meta.Attempts != 2 || !meta.RateLimit.RemainingKnown || meta.RateLimit.Remaining != 998 {
		t.Errorf("meta = %+v", meta)
	}

	api.hits.Store(0)
	err = api.client.Do(ctx, http.MethodGet, "/deploymentStage", nil, nil, CallNoRetry(), CallResponse(&meta))
	if !errors.As(err, new(*APIError)) || api.hits.Load() != 1 || meta.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("CallNoRetry: err %v after %d requests, meta %+v; want the 503 after 1", err, api.hits.Load(), meta)
	}

	slow := newStageAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) { <-r.Context().Done() })
	start := time.Now()
	err = slow.client.Do(ctx, http.MethodGet, "/deploymentStage", nil, nil, CallTimeout(50*time.Millisecond))
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Errorf("CallTimeout: err %v after %s", err, time.Since(start))
	}

	for _, h := range []string{"Authorization", "authorization", "Host", "Content-Type", "Bad Name"} {
		err := api.client.Do(ctx, http.MethodGet, "/deploymentStage", nil, nil, CallHeader(h, "x"))
		var ae *ArgError
		if !errors.As(err, &ae) {
			t.Errorf("CallHeader(%q): err = %v, want an *ArgError", h, err)
		}
	}
}

// The generated methods take the same options, on the same path.
func TestServiceMethodsTakeCallOptions(t *testing.T) {
	api := newStageAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("X-Request-Id", "req-9")
		if n == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		jsonReply(200, `{"id":"`+someDB+`","name":"db"}`)(w, r, n)
	})
	ctx := context.Background()
	_, err := api.client.Databases.Get(ctx, someDB, CallNoRetry())
	if !errors.As(err, new(*APIError)) || api.hits.Load() != 1 {
		t.Fatalf("CallNoRetry: err %v after %d requests; want the 503 after 1", err, api.hits.Load())
	}
	var meta ResponseMeta
	db, err := api.client.Databases.Get(ctx, someDB, CallHeader("X-Trace", "t2"), CallResponse(&meta), CallTimeout(time.Minute))
	if err != nil || db.Name != "db" {
		t.Fatalf("Get: %v, %+v", err, db)
	}
	if api.got.Load().Header.Get("X-Trace") != "t2" || meta.RequestID != "req-9" || meta.StatusCode != 200 {
		t.Errorf("header %q, meta %+v", api.got.Load().Header.Get("X-Trace"), meta)
	}
	if r := api.got.Load(); r.URL.Path != "/api/database/"+someDB {
		t.Errorf("the server got %s", r.URL.Path)
	}
}
