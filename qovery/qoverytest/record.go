package qoverytest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"time"
)

// Request is a request the server received. It is its own type, not the
// fake's record, so that this package's API shows no internal type.
type Request struct {
	// Operation is the operationId it was routed to, or the route given to
	// Handle that served it ("POST /deploymentStage/{id}/service/{serviceId}"),
	// "" when neither has its path and method.
	Operation string
	Method    string
	// Path is the path without the base path ("/database/<id>/clone");
	// Query the raw query string.
	Path, Query string
	Header      http.Header
	Body        []byte
	// Status is the status answered, 0 when there was no answer (a reset
	// connection, a slow answer the client gave up on).
	Status int
	// Fault is the fault injected into it ("rate-limit", "status 503",
	// ...), "" for none.
	Fault string
	// Time is when it arrived.
	Time time.Time
}

// Decode unmarshals the JSON body of the request into v.
func (r Request) Decode(v any) error {
	if err := json.Unmarshal(r.Body, v); err != nil {
		return fmt.Errorf("qoverytest: the body of %s %s: %w", r.Method, r.Path, err)
	}
	return nil
}

// Requests returns the requests received, oldest first: all of them, or
// those of the given operationIds (or routes given to Handle).
func (s *Server) Requests(operationIDs ...string) []Request {
	if s.t != nil {
		s.t.Helper()
	}
	for _, id := range operationIDs {
		s.checkOperation(id)
	}
	var out []Request
	for _, e := range s.fake.RequestLog() {
		if len(operationIDs) > 0 && !slices.Contains(operationIDs, e.OperationID) {
			continue
		}
		out = append(out, Request{
			Operation: e.OperationID,
			Method:    e.Method,
			Path:      e.Path,
			Query:     e.Query,
			Header:    e.Header,
			Body:      e.Body,
			Status:    e.Status,
			Fault:     e.Fault,
			Time:      e.Time,
		})
	}
	return out
}

// Calls returns how many requests operationID (or a route given to
// Handle) received: every attempt, the refused and the faulted ones
// included.
func (s *Server) Calls(operationID string) int {
	if s.t != nil {
		s.t.Helper()
	}
	s.checkOperation(operationID)
	return s.fake.Received(operationID)
}

// Processed returns how many requests of operationID took effect (were
// answered with success by the model, or processed before a fault). For a
// route given to Handle, they are the requests its handler answered with
// a 2xx.
func (s *Server) Processed(operationID string) int {
	if s.t != nil {
		s.t.Helper()
	}
	s.checkOperation(operationID)
	return s.fake.Processed(operationID)
}

// ResetRecord forgets the requests received and zeroes the counters, for
// a test that checks only what follows its setup.
func (s *Server) ResetRecord() { s.fake.ResetCounts() }
