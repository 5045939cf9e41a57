package qoverytest_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/qoverykit/qovery-go/qovery/qoverytest"
)

// A Server served on a listener of its own shares the state, the faults
// and the record of the one at URL.
func TestServeHTTPIsTheSameFake(t *testing.T) {
	srv := qoverytest.NewServer(t)
	other := httptest.NewServer(srv)
	defer other.Close()
	base, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	srv.Fail("listOrganization", qoverytest.ServiceUnavailable())

	status := func() int {
		req, err := http.NewRequest(http.MethodGet, other.URL+base.Path+"/organization", http.NoBody)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Token qoverytest-token")
		resp, err := other.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = resp.Body.Close() }()
		return resp.StatusCode
	}
	if got := status(); got != http.StatusServiceUnavailable {
		t.Errorf("first call: %d, want the injected 503", got)
	}
	if got := status(); got != http.StatusOK {
		t.Errorf("second call: %d, want 200", got)
	}
	if n := srv.Calls("listOrganization"); n != 2 {
		t.Errorf("Calls = %d, want 2", n)
	}
}
