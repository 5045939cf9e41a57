package qoverytest

import (
	"fmt"
	"net/http"
	"time"

	"github.com/qoverykit/qovery-go/internal/fixtures"
)

// Fault is a way for the server to fail a call, given to Server.Fail. A
// fault fails one call unless Times or Always says otherwise. Faults are
// injected only into requests the spec accepts, so they never hide a
// mistake in the request (into a route given to Handle, which the spec
// does not describe, only into requests that carry the server's token).
type Fault struct {
	f     fixtures.Fault
	times int
}

// TooManyRequests answers 429 with Retry-After (in seconds, rounded up) and
// the X-RateLimit-Limit, -Remaining and -Reset headers, as the API does past
// its rate limit. The request is not processed.
func TooManyRequests(retryAfter time.Duration) Fault {
	return Fault{f: fixtures.Fault{Kind: fixtures.FaultRateLimit, RetryAfter: retryAfter}, times: 1}
}

// ServerError answers status (a 5xx: 500, 502, 503, 504) with the API's
// JSON error body. The request is not processed unless AfterProcessing is
// added.
func ServerError(status int) Fault {
	if status < 500 || status > 599 {
		panic(fmt.Sprintf("qoverytest: ServerError(%d): the status of a server error is 5xx", status))
	}
	return Fault{f: fixtures.Fault{Kind: fixtures.FaultStatus, Status: status}, times: 1}
}

// ServiceUnavailable is ServerError(503).
func ServiceUnavailable() Fault { return ServerError(http.StatusServiceUnavailable) }

// ConnectionReset resets the connection (TCP RST) before any answer. The
// request is not processed unless AfterProcessing is added.
func ConnectionReset() Fault {
	return Fault{f: fixtures.Fault{Kind: fixtures.FaultReset}, times: 1}
}

// Slow holds the answer for d, then processes the request and answers it.
// A client that gives up first leaves the request unprocessed.
func Slow(d time.Duration) Fault {
	return Fault{f: fixtures.Fault{Kind: fixtures.FaultDelay, Delay: d}, times: 1}
}

// TruncatedBody processes the request, announces the full Content-Length of
// its answer, sends half of the body and closes the connection.
func TruncatedBody() Fault {
	return Fault{f: fixtures.Fault{Kind: fixtures.FaultTruncate}, times: 1}
}

// Times makes the fault fail the next n calls.
func (f Fault) Times(n int) Fault {
	if n < 1 {
		panic(fmt.Sprintf("qoverytest: Times(%d): a fault fails at least one call", n))
	}
	f.times = n
	return f
}

// Always makes the fault fail every call, until ClearFaults.
func (f Fault) Always() Fault {
	f.times = -1
	return f
}

// AfterProcessing makes a ServerError or ConnectionReset happen after the
// request took effect, as when a proxy loses the answer of a write the API
// made: the object is created, the deploy started, yet the client sees a
// failure.
func (f Fault) AfterProcessing() Fault {
	f.f.Apply = true
	return f
}

// String names the fault as the request record shows it ("rate-limit",
// "status 503", "reset", "delay", "truncate").
func (f Fault) String() string { return f.f.String() }

// Fail makes calls of operationID (an operationId of the spec, such as
// "cloneDatabase" or "getDatabaseStatus"; a route given to Handle, as
// "METHOD pattern"; "*" for any of them) fail with f. Faults given for one
// operation are used in the order given; those for the operation come
// before those for "*". An operationId the spec does not have, or a route
// not given to Handle (yet), fails the test.
func (s *Server) Fail(operationID string, f Fault) {
	if s.t != nil {
		s.t.Helper()
	}
	if operationID != "*" {
		s.checkOperation(operationID)
	}
	if f.times == 0 {
		s.fatalf("Fail(%q): the zero Fault is not a fault; use TooManyRequests, ServerError, ConnectionReset, Slow or TruncatedBody", operationID)
	}
	s.fake.InjectFault(operationID, f.times, f.f)
}

// ClearFaults drops every fault given to Fail that has not been used up.
func (s *Server) ClearFaults() { s.fake.ClearFaults() }
