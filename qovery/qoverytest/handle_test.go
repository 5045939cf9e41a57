package qoverytest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/qoverykit/qovery-go/gen"
	"github.com/qoverykit/qovery-go/qovery"
	"github.com/qoverykit/qovery-go/qovery/qoverytest"
)

const (
	stageID   = "6f0c4a8e-1b2d-4c3e-9f4a-5b6c7d8e9f01"
	serviceID = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
	move      = "POST /deploymentStage/{id}/service/{serviceId}"
	movePath  = "/deploymentStage/" + stageID + "/service/" + serviceID
)

// raw sends a request through c's own stack (credentials, user agent,
// retries), as code calling an operation the description lacks does.
func raw(t *testing.T, c *qovery.Client, method, path string) (int, []byte) {
	t.Helper()
	gc, ok := c.API().ClientInterface.(*gen.Client)
	if !ok {
		t.Fatalf("the generated client is a %T", c.API().ClientInterface)
	}
	ctx := ctxFor(t)
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(gc.Server, "/")+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, edit := range gc.RequestEditors {
		if err := edit(ctx, req); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := gc.Client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the answer: %v", method, path, err)
	}
	return resp.StatusCode, body
}

// plain sends a request with net/http alone and the given Authorization
// header ("" for none).
func plain(t *testing.T, method, url, auth string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctxFor(t), method, url, strings.NewReader(`{"position":1}`))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

// moveHandler answers the move of a service to a deployment stage, and
// counts the requests that reached it.
func moveHandler(calls *atomic.Int32) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"stage":%q,"service":%q,"path":%q}`, r.PathValue("id"), r.PathValue("serviceId"), r.URL.Path)
	}
}

func TestUndescribedRequestFailsTheTestWithTheHandleCall(t *testing.T) {
	rec := &recorder{TB: t}
	srv := qoverytest.NewServer(rec)
	status, body := raw(t, srv.Client(), http.MethodPost, movePath)
	var apiErr gen.Error
	if err := json.Unmarshal(body, &apiErr); err != nil {
		t.Fatalf("the 404 body is not the API's Error: %v: %s", err, body)
	}
	const call = `serve it in a test with srv.Handle("POST", "/deploymentStage/{deploymentStageId}/service/{serviceId}", handler)`
	if status != http.StatusNotFound || apiErr.Message == nil ||
		*apiErr.Message != "no operation of the API description matches POST "+movePath+"; "+call {
		t.Errorf("%d %s", status, body)
	}
	msg := rec.reported()
	if !strings.HasPrefix(msg, "qoverytest: a request outside the API description: POST "+movePath+": 404") || !strings.Contains(msg, call) {
		t.Errorf("the failure says %q", msg)
	}
	if rec.fatal {
		t.Error("an undescribed request stopped the test instead of failing it")
	}

	rec.errors = nil
	var calls atomic.Int32
	srv.Handle("POST", "/deploymentStage/{id}/service/{serviceId}", moveHandler(&calls))
	status, body = raw(t, srv.Client(), http.MethodPost, movePath)
	want := fmt.Sprintf(`{"stage":%q,"service":%q,"path":%q}`, stageID, serviceID, movePath)
	if status != http.StatusOK || string(body) != want {
		t.Errorf("handled: %d %s, want 200 %s", status, body, want)
	}
	if msg := rec.reported(); msg != "" {
		t.Errorf("a handled request failed the test: %s", msg)
	}
}

func TestHandledRouteChecksTheToken(t *testing.T) {
	rec := &recorder{TB: t}
	srv := qoverytest.NewServer(rec, qoverytest.WithToken("right"))
	var calls atomic.Int32
	srv.Handle("POST", "/deploymentStage/{id}/service/{serviceId}", moveHandler(&calls))

	if status, body := plain(t, http.MethodPost, srv.URL+movePath, "Token right"); status != http.StatusOK {
		t.Errorf("with the token: %d %s", status, body)
	}
	for _, auth := range []string{"", "Token wrong", "Bearer"} {
		status, body := plain(t, http.MethodPost, srv.URL+movePath, auth)
		if status != http.StatusUnauthorized || !strings.Contains(string(body), `"status":401`) {
			t.Errorf("Authorization %q: %d %s, want the API's 401", auth, status, body)
		}
	}
	other, err := qovery.New("wrong", qovery.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	if status, _ := raw(t, other, http.MethodPost, movePath); status != http.StatusUnauthorized {
		t.Errorf("a client with another token: %d, want 401", status)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("the handler ran %d times; only the request with the token may reach it", n)
	}
	if n := srv.Calls(move); n != 5 {
		t.Errorf("Calls(%q) = %d, want 5, the refused included", move, n)
	}
	if n := srv.Processed(move); n != 1 {
		t.Errorf("Processed(%q) = %d, want 1", move, n)
	}
	if msg := rec.reported(); strings.Count(msg, "(route /deploymentStage/{id}/service/{serviceId} given to Handle): 401") != 4 {
		t.Errorf("the refusals are reported as %q", msg)
	}
}

func TestFaultsAndRecordOfAHandledRoute(t *testing.T) {
	srv := qoverytest.NewServer(t)
	var calls atomic.Int32
	srv.Handle("POST", "/deploymentStage/{id}/service/{serviceId}", moveHandler(&calls))
	srv.Fail(move, qoverytest.ServerError(http.StatusInternalServerError))
	c := srv.Client()

	// A POST that may have reached the server is not sent again.
	if status, _ := raw(t, c, http.MethodPost, movePath); status != http.StatusInternalServerError {
		t.Errorf("the faulted move: %d, want 500", status)
	}
	// A 429 says it did not, and is retried: once for the route, once for
	// any operation.
	srv.Fail(move, qoverytest.TooManyRequests(0))
	srv.Fail("*", qoverytest.TooManyRequests(0))
	if status, body := raw(t, c, http.MethodPost, movePath); status != http.StatusOK {
		t.Errorf("after two 429s: %d %s", status, body)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("the handler ran %d times, want 1: faults that do not process the request keep it from the handler", n)
	}
	if n := srv.Calls(move); n != 4 {
		t.Errorf("Calls = %d, want 4", n)
	}
	var faults []string
	for _, r := range srv.Requests(move) {
		if r.Operation != move || r.Path != movePath || r.Method != http.MethodPost {
			t.Errorf("recorded %+v", r)
		}
		faults = append(faults, fmt.Sprintf("%s %d", r.Fault, r.Status))
	}
	if got := strings.Join(faults, ", "); got != "status 500 500, rate-limit 429, rate-limit 429,  200" {
		t.Errorf("recorded faults and statuses: %s", got)
	}
	if all := srv.Requests(); len(all) != 4 || all[3].Operation != move {
		t.Errorf("Requests() = %+v", all)
	}
}

// A GET is safe to send again, so the client retries a 5xx of a handled
// route as it does an operation's.
func TestClientRetriesAHandledGet(t *testing.T) {
	srv := qoverytest.NewServer(t)
	const stage = "GET /deploymentStage/{id}"
	srv.Handle("GET", "/deploymentStage/{id}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"id":%q}`, r.PathValue("id"))
	})
	srv.Fail(stage, qoverytest.ServiceUnavailable().Times(2))
	status, body := raw(t, srv.Client(), http.MethodGet, "/deploymentStage/"+stageID)
	if status != http.StatusOK || string(body) != `{"id":"`+stageID+`"}` {
		t.Errorf("%d %s", status, body)
	}
	if n, done := srv.Calls(stage), srv.Processed(stage); n != 3 || done != 1 {
		t.Errorf("Calls %d, Processed %d; want 3 and 1", n, done)
	}
}

// The handled route is reached through srv.URL by any HTTP client, and
// Processed counts the answers after a fault that processes first.
func TestHandledRouteAfterProcessing(t *testing.T) {
	srv := qoverytest.NewServer(t)
	var calls atomic.Int32
	srv.Handle("POST", "/deploymentStage/{id}/service/{serviceId}", moveHandler(&calls))
	srv.Fail(move, qoverytest.ServiceUnavailable().AfterProcessing())
	if status, _ := plain(t, http.MethodPost, srv.URL+movePath, "Token qoverytest-token"); status != http.StatusServiceUnavailable {
		t.Errorf("%d, want 503", status)
	}
	if calls.Load() != 1 || srv.Processed(move) != 1 {
		t.Errorf("ran %d times, processed %d; the fault comes after the handler", calls.Load(), srv.Processed(move))
	}
}

func TestHandleMisuseStopsTheTest(t *testing.T) {
	ok := func(http.ResponseWriter, *http.Request) {}
	for _, tc := range []struct {
		name string
		f    func(s *qoverytest.Server)
		want string
	}{
		{"a described operation", func(s *qoverytest.Server) { s.Handle("POST", "/database/{id}/clone", ok) },
			`qoverytest: Handle("POST", "/database/{id}/clone"): the API description has this route, cloneDatabase (POST /database/{databaseId}/clone), which is served already; to change its answers, use Fail, FailNextAction or SetState`},
		{"a nil handler", func(s *qoverytest.Server) { s.Handle("POST", "/x", nil) }, "the handler is nil"},
		{"a conflict", func(s *qoverytest.Server) {
			s.Handle("POST", "/x/{a}", ok)
			s.Handle("POST", "/x/{b}", ok)
		}, `conflicts with "POST /x/{a}"`},
		{"Fail before Handle", func(s *qoverytest.Server) { s.Fail(move, qoverytest.ServiceUnavailable()) },
			`no route "` + move + `" was given to Handle`},
		{"Calls of another route", func(s *qoverytest.Server) {
			s.Handle("POST", "/x/{a}", ok)
			s.Calls("GET /x/{a}")
		}, "those given are POST /x/{a}"},
		{"FailNextAction on a route", func(s *qoverytest.Server) {
			s.Handle("POST", "/x/{a}", ok)
			s.FailNextAction("POST /x/{a}", "boom")
		}, "has no action of the server's to fail"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, fatal := misuse(t, tc.f)
			if !fatal || !strings.Contains(got, tc.want) {
				t.Errorf("fatal %v, reported %q; want a stop saying %q", fatal, got, tc.want)
			}
		})
	}
}

func TestHandleOutsideATestPanics(t *testing.T) {
	srv, err := qoverytest.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	defer func() {
		if p := recover(); p == nil || !strings.Contains(fmt.Sprint(p), "listOrganization") {
			t.Errorf("recovered %v, want a panic naming listOrganization", p)
		}
	}()
	srv.Handle("GET", "/organization", func(http.ResponseWriter, *http.Request) {})
}
