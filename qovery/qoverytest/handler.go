package qoverytest

import "net/http"

// ServeHTTP serves the fake API, so that a Server can also be served on a
// listener of the caller's choice (a fixed address, a process other
// languages start) with the same state, faults and record as at URL. Paths
// are those under URL: the API's base path ("/api") comes first; any other
// path gets a 404 and is listed by Rejected.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.fake.ServeHTTP(w, r) }
