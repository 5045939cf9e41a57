package qoverytest

import (
	"errors"
	"net/http"
	"strings"

	"github.com/qoverykit/qovery-go/internal/fixtures"
)

// Handle serves requests of method on pattern, an operation of the live
// API that the description of package qovery lacks, with h, so that code
// calling it can be tested here:
//
//	srv.Handle("POST", "/deploymentStage/{id}/service/{serviceId}", func(w http.ResponseWriter, r *http.Request) {
//		w.Header().Set("Content-Type", "application/json")
//		fmt.Fprintf(w, `{"id": %q}`, r.PathValue("id"))
//	})
//
// pattern has the syntax of http.ServeMux and is relative to the API's
// base path, like the paths given to Do; h sees r.URL.Path relative to it
// too, and reads the wildcards with r.PathValue. The route is named
// "METHOD pattern", as given here, wherever an operationId names an
// operation: Fail, Calls, Processed and Requests.
//
// A request reaches h only with the server's token (it gets the API's 401
// otherwise) and when no fault given to Fail, for the route or for "*",
// takes it. Neither the request nor h's answer is checked against the
// description, since it has none for them. Calling Handle again for the
// same method and pattern replaces h; it may be called at any time, before
// or after the code under test starts.
//
// Handle for a request the description has fails the test: the server
// serves it already, and Fail, FailNextAction and SetState change its
// answers. So does a pattern that conflicts with one given before.
func (s *Server) Handle(method, pattern string, h http.HandlerFunc) {
	if s.t != nil {
		s.t.Helper()
	}
	err := s.fake.Handle(method, pattern, h)
	switch {
	case err == nil:
	case errors.Is(err, fixtures.ErrDescribed):
		s.fatalf("%s; to change its answers, use Fail, FailNextAction or SetState", strings.TrimPrefix(err.Error(), "fixtures: "))
	default:
		s.fatalf("%s", strings.TrimPrefix(err.Error(), "fixtures: "))
	}
}

// checkRoute fails the test for a key written as a route ("METHOD
// /path") that was not given to Handle, listing those that were.
func (s *Server) checkRoute(key string) {
	if s.t != nil {
		s.t.Helper()
	}
	if s.fake.Handles(key) {
		return
	}
	given := "none was"
	if routes := s.fake.HandledRoutes(); len(routes) > 0 {
		given = "those given are " + strings.Join(routes, ", ")
	}
	s.fatalf("no route %q was given to Handle (a route is named \"METHOD pattern\", as given to Handle, once Handle is called); %s", key, given)
}

// isRouteKey reports whether key is written as the key of a route given to
// Handle, rather than as an operationId.
func isRouteKey(key string) bool { return strings.Contains(key, " /") }
