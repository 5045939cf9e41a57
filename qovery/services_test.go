package qovery

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/qoverykit/qovery-go/internal/fixtures"
)

func TestServiceGetReturnsTheTypedAnswer(t *testing.T) {
	srv := fixtures.NewServer(t)
	ids := srv.Seed()
	c, _ := newTestClient(t, srv.URL)

	db, err := c.Databases.Get(context.Background(), ids.DatabaseID)
	if err != nil {
		t.Fatal(err)
	}
	if db.Id.String() != ids.DatabaseID || db.Name != "db" {
		t.Fatalf("got %+v, want database %s named db", db, ids.DatabaseID)
	}
}

func TestServiceNotFoundIsAnAPIError(t *testing.T) {
	srv := fixtures.NewServer(t)
	srv.Seed()
	c, _ := newTestClient(t, srv.URL)

	_, err := c.Databases.Get(context.Background(), "0b6c7a3e-93a4-4a51-9d4e-3f1c2a0b9d77")
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusNotFound || !IsNotFound(err) {
		t.Fatalf("err = %v, want a 404 *APIError", err)
	}
	if ae.Method != http.MethodGet || ae.Path == "" {
		t.Fatalf("the error names %q %q, want the request", ae.Method, ae.Path)
	}
	// Operations without an answer body fail the same way.
	err = c.Databases.Delete(context.Background(), "0b6c7a3e-93a4-4a51-9d4e-3f1c2a0b9d77")
	if !IsNotFound(err) {
		t.Fatalf("Delete: err = %v, want a 404", err)
	}
}

func TestServiceChecksIDsBeforeSending(t *testing.T) {
	var hits atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer ts.Close()
	c, _ := newTestClient(t, ts.URL)
	ctx := context.Background()

	calls := map[string]error{}
	_, calls["Get"] = c.Databases.Get(ctx, "db")
	calls["Delete"] = c.Backups.Delete(ctx, "0b6c7a3e-93a4-4a51-9d4e-3f1c2a0b9d77", "not-an-id")
	_, calls["List"] = c.Backups.List(ctx, "", nil)
	for _, err := range c.Backups.ListIter(ctx, "x", nil) {
		calls["ListIter"] = err
	}
	for name, err := range calls {
		var ae *ArgError
		if !errors.As(err, &ae) || ae.Reason != "is not a UUID" {
			t.Errorf("%s: err = %v, want an *ArgError", name, err)
		}
	}
	if hits.Load() != 0 {
		t.Fatalf("%d requests sent for bad IDs", hits.Load())
	}
}

func TestServiceUndecodableAnswerIsADecodeError(t *testing.T) {
	for name, body := range map[string]string{
		"not JSON":   `{"id": `,
		"wrong type": `{"id": "4b3e5e57-6c1b-4c3a-9a56-2b6f0d6b7c11", "name": 12}`,
		"empty":      ``,
	} {
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(body))
		}))
		c, _ := newTestClient(t, ts.URL)
		db, err := c.Databases.Get(context.Background(), "4b3e5e57-6c1b-4c3a-9a56-2b6f0d6b7c11")
		var de *DecodeError
		if !errors.As(err, &de) || de.Operation != "GetDatabase" || db != nil {
			t.Errorf("%s: got %v, %v; want a *DecodeError for GetDatabase and no value", name, db, err)
		}
		ts.Close()
	}
}

func TestServiceListReturnsTheResults(t *testing.T) {
	srv := fixtures.NewServer(t)
	ids := srv.Seed()
	srv.SeedEnvironment(ids.ProjectID, "staging")
	c, _ := newTestClient(t, srv.URL)

	envs, err := c.Environments.List(context.Background(), ids.ProjectID)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, e := range envs {
		names[*e.Name] = true
	}
	if len(envs) != 2 || !names["production"] || !names["staging"] {
		t.Fatalf("got %d environments %v, want production and staging", len(envs), names)
	}
}

func TestServiceIterWalksEveryPage(t *testing.T) {
	srv := fixtures.NewServer(t)
	ids := srv.Seed()
	seeded := srv.SeedBackups(ids.DatabaseID, 47)
	c, _ := newTestClient(t, srv.URL)
	ctx := context.Background()

	got, err := collect(c.Backups.ListIter(ctx, ids.DatabaseID, nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(seeded) || srv.Received("listDatabaseBackup") != 3 {
		t.Fatalf("iterated %d of %d backups in %d requests, want all in 3", len(got), len(seeded), srv.Received("listDatabaseBackup"))
	}
	first, err := c.Backups.List(ctx, ids.DatabaseID, nil)
	if err != nil || len(first) != 20 {
		t.Fatalf("List: %d backups, %v; want the first page of 20", len(first), err)
	}

	// Starting after a given item continues from there.
	rest, err := collect(c.Backups.ListIter(ctx, ids.DatabaseID, &ListDatabaseBackupParams{StartId: got[9].Id}))
	if err != nil || len(rest) != 37 || *rest[0].Id != *got[10].Id {
		t.Fatalf("from the 10th: %d backups, %v; want the 37 after it", len(rest), err)
	}
}

func TestServiceActionWithBody(t *testing.T) {
	srv := fixtures.NewServer(t)
	ids := srv.Seed()
	c, _ := newTestClient(t, srv.URL)
	ctx := context.Background()

	// The fake validates the request against the spec and answers with an
	// example of the declared answer.
	v, err := c.ApplicationVariables.Create(ctx, ids.ApplicationID, ApplicationEnvironmentVariableRequest{Key: "LOG_LEVEL", Value: "debug"})
	if err != nil || v == nil {
		t.Fatalf("Create: %v, %v", v, err)
	}
	if _, err := c.ApplicationVariables.List(ctx, ids.ApplicationID); err != nil {
		t.Fatal(err)
	}
	if n := srv.Received("createApplicationEnvironmentVariable"); n != 1 {
		t.Fatalf("%d creations sent, want 1", n)
	}
}

// A 2xx whose body is JSON null or empty is not an answer, whatever the
// content type, and whether or not the generated client decoded it.
func TestServiceNullOrEmptyAnswerIsADecodeError(t *testing.T) {
	for _, tc := range []struct{ name, contentType, body string }{
		{"null JSON", "application/json", "null"},
		{"null JSON with spaces", "application/json", " null\n"},
		{"null, no content type", "text/plain", "null"},
		{"empty JSON", "application/json", ""},
		{"blank, no content type", "text/plain", " \n"},
	} {
		srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", tc.contentType)
			_, _ = w.Write([]byte(tc.body))
		}))
		c, _ := newTestClient(t, srv.URL)
		ctx := context.Background()

		db, err := c.Databases.Get(ctx, "4b3e5e57-6c1b-4c3a-9a56-2b6f0d6b7c11")
		var de *DecodeError
		if !errors.As(err, &de) || de.Operation != "GetDatabase" || db != nil {
			t.Errorf("%s: Get gave (%v, %v), want a *DecodeError for GetDatabase and no value", tc.name, db, err)
		}
		backups, err := c.Backups.List(ctx, "4b3e5e57-6c1b-4c3a-9a56-2b6f0d6b7c11", nil)
		if !errors.As(err, &de) || backups != nil {
			t.Errorf("%s: List gave (%v, %v), want a *DecodeError and no value", tc.name, backups, err)
		}
	}
}

// A token the server echoes in an error body never reaches the caller,
// whichever way the generated method fails.
func TestServiceErrorsDoNotShowTheToken(t *testing.T) {
	for _, tc := range []struct {
		name, contentType string
		status            int
		body              string
	}{
		{"401 JSON", "application/json", http.StatusUnauthorized, `{"status":401,"error":"Unauthorized","message":"token ` + testToken + ` is not valid"}`},
		{"401 text", "text/plain", http.StatusUnauthorized, "bad token " + testToken},
		{"403 undecodable JSON", "application/json", http.StatusForbidden, `{"message":"` + testToken},
		// A date that does not parse is quoted in the decoding error.
		{"200 with the token as a date", "application/json", http.StatusOK,
			`{"created_at":"` + testToken + `","results":[{"created_at":"` + testToken + `"}]}`},
	} {
		srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", tc.contentType)
			w.WriteHeader(tc.status)
			_, _ = w.Write([]byte(tc.body))
		}))
		c, _ := newTestClient(t, srv.URL)
		ctx := context.Background()
		id := "4b3e5e57-6c1b-4c3a-9a56-2b6f0d6b7c11"

		_, errGet := c.Databases.Get(ctx, id)
		errDelete := c.Databases.Delete(ctx, id)
		var errIter error
		for _, err := range c.Backups.ListIter(ctx, id, nil) {
			errIter = err
		}
		for name, err := range map[string]error{"Get": errGet, "Delete": errDelete, "ListIter": errIter} {
			if tc.status == http.StatusOK && name == "Delete" {
				continue // a 200 is a success for an operation without an answer
			}
			if err == nil {
				t.Errorf("%s: %s succeeded", tc.name, name)
				continue
			}
			if strings.Contains(err.Error(), testToken) {
				t.Errorf("%s: %s: the error shows the token: %v", tc.name, name, err)
			}
			var ae *APIError
			if errors.As(err, &ae) && (strings.Contains(ae.Message, testToken) || strings.Contains(string(ae.Body), testToken)) {
				t.Errorf("%s: %s: the *APIError holds the token: %q %q", tc.name, name, ae.Message, ae.Body)
			}
		}
	}
}

// A generated Iter over a list that repeats a page stops with a *PageError
// that says which list, so a caller walking several can tell them apart.
func TestServiceIterPageErrorNamesTheList(t *testing.T) {
	c, _ := lyingList(t, func(string) string { return backupPage(0) })
	_, err := collect(c.Backups.ListIter(context.Background(), lieDB, nil))
	var pe *PageError
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v, want a *PageError", err)
	}
	want := "Backups.ListIter (listDatabaseBackup) of database " + lieDB
	if pe.List != want || !strings.Contains(err.Error(), "listing "+want+": page 2 repeats item") {
		t.Fatalf("PageError names %q (%v), want %q", pe.List, err, want)
	}
}
