package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/qoverykit/qovery-go/qovery/qoverytest"
)

// callsAnswer is the answer of GET /_fake/calls.
type callsAnswer struct {
	// Operations counts, by operation, the requests received (every
	// attempt, refused and faulted ones included) and those that took
	// effect.
	Operations map[string]counts `json:"operations"`
	Requests   []requestJSON     `json:"requests"`
}

type counts struct {
	Calls     int `json:"calls"`
	Processed int `json:"processed"`
}

type requestJSON struct {
	Operation string              `json:"operation"`
	Method    string              `json:"method"`
	Path      string              `json:"path"`
	Query     string              `json:"query,omitempty"`
	Header    map[string][]string `json:"header"`
	// Body is the body as sent: JSON when it is JSON, a string otherwise.
	Body   any       `json:"body,omitempty"`
	Status int       `json:"status"`
	Fault  string    `json:"fault,omitempty"`
	Time   time.Time `json:"time"`
}

func listCalls(ws *worlds, w http.ResponseWriter, r *http.Request) {
	srv := ws.current()
	var answer callsAnswer
	err := attempt(func() { answer = calls(srv, r.URL.Query()["operation"]) })
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	writeJSON(w, http.StatusOK, answer)
}

// calls gathers the record of the operations named, or of all those that
// were called when none is.
func calls(srv *qoverytest.Server, operations []string) callsAnswer {
	reqs := srv.Requests(operations...)
	answer := callsAnswer{Operations: map[string]counts{}, Requests: []requestJSON{}}
	for _, op := range operations {
		answer.Operations[op] = counts{}
	}
	for _, req := range reqs {
		if req.Operation != "" {
			answer.Operations[req.Operation] = counts{}
		}
		answer.Requests = append(answer.Requests, toJSON(req))
	}
	for op := range answer.Operations {
		answer.Operations[op] = counts{Calls: srv.Calls(op), Processed: srv.Processed(op)}
	}
	return answer
}

func toJSON(req qoverytest.Request) requestJSON {
	out := requestJSON{
		Operation: req.Operation,
		Method:    req.Method,
		Path:      req.Path,
		Query:     req.Query,
		Header:    redacted(req.Header),
		Status:    req.Status,
		Fault:     req.Fault,
		Time:      req.Time,
	}
	switch {
	case len(req.Body) == 0:
	case json.Valid(req.Body):
		out.Body = json.RawMessage(req.Body)
	default:
		out.Body = string(req.Body)
	}
	return out
}

// redacted keeps the scheme of the Authorization header, which a test may
// check, and drops the token, which no record should show.
func redacted(h http.Header) map[string][]string {
	out := h.Clone()
	for i, v := range out.Values("Authorization") {
		scheme, _, _ := strings.Cut(v, " ")
		out["Authorization"][i] = scheme + " [redacted]"
	}
	if out == nil {
		return map[string][]string{}
	}
	return out
}
