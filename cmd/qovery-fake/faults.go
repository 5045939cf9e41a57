package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/qoverykit/qovery-go/qovery/qoverytest"
)

// faultRequest is the body of POST /_fake/faults.
type faultRequest struct {
	Operation       string   `json:"operation"`
	Kind            string   `json:"kind"`
	Times           int      `json:"times"`
	Always          bool     `json:"always"`
	AfterProcessing bool     `json:"after_processing"`
	RetryAfter      duration `json:"retry_after"`
	Delay           duration `json:"delay"`
}

type faultAnswer struct {
	Operation string `json:"operation"`
	Fault     string `json:"fault"`
	Times     int    `json:"times,omitempty"`
	Always    bool   `json:"always,omitempty"`
}

func addFault(ws *worlds, w http.ResponseWriter, r *http.Request) {
	var req faultRequest
	if err := decode(r, &req); err != nil {
		writeError(w, http.StatusBadRequest, fmt.Errorf("the body: %w", err))
		return
	}
	f, err := req.fault()
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	if err := attempt(func() { ws.current().Fail(req.Operation, f) }); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	answer := faultAnswer{Operation: req.Operation, Fault: f.String(), Always: req.Always}
	if !req.Always {
		answer.Times = max(req.Times, 1)
	}
	writeJSON(w, http.StatusCreated, answer)
}

// fault builds the qoverytest fault the request describes, checking what
// qoverytest would otherwise panic on.
func (req faultRequest) fault() (qoverytest.Fault, error) {
	var none qoverytest.Fault
	switch {
	case req.Operation == "":
		return none, errors.New(`"operation" is missing: an operationId of the spec ("listOrganization"), "METHOD /pattern" or "*"`)
	case req.Times < 0 || req.Times > 0 && req.Always:
		return none, errors.New(`"times" is at least 1, and not given with "always"`)
	}
	f, err := req.kind()
	if err != nil {
		return none, err
	}
	if req.AfterProcessing {
		f = f.AfterProcessing()
	}
	switch {
	case req.Always:
		f = f.Always()
	case req.Times > 1:
		f = f.Times(req.Times)
	}
	return f, nil
}

// kind maps "kind" to a fault: "429", a 5xx status, "reset", "slow" or
// "truncated".
func (req faultRequest) kind() (qoverytest.Fault, error) {
	var none qoverytest.Fault
	after := req.AfterProcessing
	switch req.Kind {
	case "429":
		if after {
			break
		}
		retryAfter := time.Duration(req.RetryAfter)
		if retryAfter == 0 {
			retryAfter = time.Second
		}
		return qoverytest.TooManyRequests(retryAfter), nil
	case "reset":
		return qoverytest.ConnectionReset(), nil
	case "slow":
		if req.Delay <= 0 || after {
			return none, errors.New(`"slow" needs a "delay" ("2s", or seconds) and is processed anyway`)
		}
		return qoverytest.Slow(time.Duration(req.Delay)), nil
	case "truncated":
		if after {
			break
		}
		return qoverytest.TruncatedBody(), nil
	default:
		if status, err := strconv.Atoi(req.Kind); err == nil && status >= 500 && status <= 599 {
			return qoverytest.ServerError(status), nil
		}
		return none, fmt.Errorf(`"kind" %q: one of "429", "500", "503" (any 5xx), "reset", "slow", "truncated"`, req.Kind)
	}
	return none, fmt.Errorf(`"after_processing" applies to a 5xx or "reset", not to %q`, req.Kind)
}

// duration reads "1.5s" (a Go duration) or a number of seconds.
type duration time.Duration

func (d *duration) UnmarshalJSON(b []byte) error {
	var seconds float64
	if err := json.Unmarshal(b, &seconds); err == nil {
		*d = duration(seconds * float64(time.Second))
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a duration is a number of seconds or a string such as \"1.5s\": %s", b)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = duration(v)
	return nil
}
