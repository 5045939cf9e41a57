package qoverytest_test

import (
	"fmt"
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

// A Server served on an address of the program's choice, here another
// loopback listener; the API is under the same base path as at URL.
func ExampleServer_ServeHTTP() {
	srv, err := qoverytest.Start()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	other := httptest.NewServer(srv)
	defer other.Close()

	base, _ := url.Parse(srv.URL)
	req, _ := http.NewRequest(http.MethodGet, other.URL+base.Path+"/organization/"+srv.World.OrganizationID, http.NoBody)
	req.Header.Set("Authorization", "Token qoverytest-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = resp.Body.Close()
	fmt.Println(resp.Status, "calls:", srv.Calls("getOrganization"))
	// Output: 200 OK calls: 1
}
