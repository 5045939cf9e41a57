package qovery

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/qoverykit/qovery-go/gen"
)

// fixed answers every request with the same status, content type and body.
func fixed(t *testing.T, code int, contentType, body string) string {
	t.Helper()
	return serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(code)
		_, _ = io.WriteString(w, body)
	})).URL
}

const orgList = `{"results":[{"id":"6f1c7d39-8d57-4d6a-9a3b-2c1e0f9b8a77","name":"acme"}]}`

func TestResultDecodesSuccess(t *testing.T) {
	for name, tc := range map[string]struct {
		code int
		ct   string
	}{
		"declared 200":        {200, "application/json"},
		"undeclared 201":      {201, "application/json"},
		"missing type":        {200, ""},
		"charset in the type": {200, "application/json; charset=utf-8"},
	} {
		t.Run(name, func(t *testing.T) {
			c, _ := newTestClient(t, fixed(t, tc.code, tc.ct, orgList))
			l, err := Result[gen.OrganizationResponseList](c.API().ListOrganizationWithResponse(context.Background()))
			if err != nil {
				t.Fatal(err)
			}
			if len(l.Results) != 1 || *l.Results[0].Name != "acme" {
				t.Fatalf("decoded %+v", l)
			}
		})
	}
}

func TestResultUndecodableSuccessIsANamedError(t *testing.T) {
	for name, tc := range map[string]struct {
		ct, body string
		wantPath bool
	}{
		"malformed JSON":          {"application/json", `{"results":[{`, false},
		"wrong types":             {"application/json", `{"results":"nope"}`, false},
		"empty body":              {"application/json", ``, false},
		"HTML page":               {"text/html", `<html>maintenance</html>`, true},
		"empty body without type": {"", ``, true},
	} {
		t.Run(name, func(t *testing.T) {
			c, _ := newTestClient(t, fixed(t, 200, tc.ct, tc.body))
			l, err := Result[gen.OrganizationResponseList](c.API().ListOrganizationWithResponse(context.Background()))
			var de *DecodeError
			if l != nil || !errors.As(err, &de) {
				t.Fatalf("Result = %v, %v; want a *DecodeError", l, err)
			}
			msg := err.Error()
			if de.Operation != "ListOrganization" || de.StatusCode != 200 || !strings.Contains(msg, "ListOrganization") || !strings.Contains(msg, "200") {
				t.Fatalf("error %q does not name the operation and status (%+v)", msg, de)
			}
			if tc.wantPath && (de.Method != "GET" || de.Path != "/organization") {
				t.Fatalf("error %q does not name the request", msg)
			}
		})
	}
}

func TestResultErrorStatusIsAPIErrorEvenWhenBodyIsBroken(t *testing.T) {
	for name, body := range map[string]string{
		"error schema":   `{"message":"no such organization"}`,
		"malformed JSON": `{"message":`,
		"wrong types":    `{"message":5,"status":"x"}`,
		"array":          `["gone"]`,
		"empty":          ``,
	} {
		t.Run(name, func(t *testing.T) {
			c, _ := newTestClient(t, fixed(t, 404, "application/json", body))
			_, err := Result[gen.OrganizationResponseList](c.API().ListOrganizationWithResponse(context.Background()))
			var ae *APIError
			if !errors.As(err, &ae) || ae.StatusCode != 404 || !IsNotFound(err) {
				t.Fatalf("err = %v, want a 404 *APIError", err)
			}
			if string(ae.Body) != body || ae.Method != "GET" || ae.Path != "/organization" {
				t.Fatalf("APIError = %+v", ae)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	id := mustUUID(t, "6f1c7d39-8d57-4d6a-9a3b-2c1e0f9b8a77")
	c, _ := newTestClient(t, fixed(t, 204, "", ""))
	if err := Check(c.API().DeleteOrganizationWithResponse(context.Background(), id)); err != nil {
		t.Fatalf("204: %v", err)
	}
	c, _ = newTestClient(t, fixed(t, 403, "application/json", `{"message":"not yours"}`))
	err := Check(c.API().DeleteOrganizationWithResponse(context.Background(), id))
	if !IsForbidden(err) || !strings.Contains(err.Error(), "not yours") {
		t.Fatalf("403: %v", err)
	}
}

func TestResultWrongTypeIsAnError(t *testing.T) {
	c, _ := newTestClient(t, fixed(t, 200, "application/json", orgList))
	_, err := Result[gen.DatabaseResponse](c.API().ListOrganizationWithResponse(context.Background()))
	if err == nil || !strings.Contains(err.Error(), "Result[gen.DatabaseResponse]") {
		t.Fatalf("err = %v", err)
	}
}

func TestResultTransportErrorKeepsItsCause(t *testing.T) {
	rt := rtFunc(func(*http.Request) (*http.Response, error) {
		return nil, &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	})
	c, _ := newTestClient(t, "http://127.0.0.1:1", WithHTTPClient(&http.Client{Transport: rt}))
	_, err := Result[gen.OrganizationResponseList](c.API().ListOrganizationWithResponse(context.Background()))
	if !errors.Is(err, syscall.ECONNRESET) || !strings.Contains(err.Error(), "ListOrganization") {
		t.Fatalf("err = %v", err)
	}
	assertNoToken(t, err)
}

func TestResultTruncatedBody(t *testing.T) {
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "1000")
		w.WriteHeader(200)
		_, _ = io.WriteString(w, `{"results":[`)
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			_ = conn.Close()
		}
	}))
	c, _ := newTestClient(t, srv.URL)
	_, err := Result[gen.OrganizationResponseList](c.API().ListOrganizationWithResponse(context.Background()))
	var de *DecodeError
	if !errors.As(err, &de) || !errors.Is(err, io.ErrUnexpectedEOF) || de.Operation != "ListOrganization" {
		t.Fatalf("err = %v, want a *DecodeError wrapping io.ErrUnexpectedEOF", err)
	}
}

// An error answer whose JSON does not fit the spec's Error schema (status as
// a string here) would make the generated parser fail and drop the status;
// Result and the services must still return the *APIError with its message.
func TestErrorJSONOutsideTheSchemaKeepsTheStatus(t *testing.T) {
	const id = "6f1c7d39-8d57-4d6a-9a3b-2c1e0f9b8a77"
	for _, code := range []int{401, 403, 404} {
		t.Run(strconv.Itoa(code), func(t *testing.T) {
			url := fixed(t, code, "application/json", `{"status":"`+strconv.Itoa(code)+`","message":"database gone"}`)
			c, _ := newTestClient(t, url)
			_, viaResult := Result[gen.DatabaseResponse](c.API().GetDatabaseWithResponse(context.Background(), mustUUID(t, id)))
			_, viaService := c.Databases.Get(context.Background(), id)
			for name, err := range map[string]error{"Result": viaResult, "Databases.Get": viaService} {
				var ae *APIError
				if !errors.As(err, &ae) || ae.StatusCode != code || ae.Message != "database gone" {
					t.Errorf("%s: err = %v, want a %d *APIError saying %q", name, err, code, "database gone")
				}
			}
		})
	}
}
