package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
)

// controlPrefix is where the control API lives: outside of the API's base
// path, so that no request of the API can reach it.
const controlPrefix = "/_fake"

// newHandler sends requests under controlPrefix to the control API and
// every other one to the fake untouched, without a ServeMux in front that
// would clean or redirect paths the fake should see as sent.
func newHandler(ws *worlds, remoteControl bool) http.Handler {
	control := newControl(ws)
	if !remoteControl {
		control = loopbackOnly(control)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == controlPrefix || strings.HasPrefix(r.URL.Path, controlPrefix+"/") {
			control.ServeHTTP(w, r)
			return
		}
		ws.ServeHTTP(w, r)
	})
}

func newControl(ws *worlds) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /_fake/faults", func(w http.ResponseWriter, r *http.Request) { addFault(ws, w, r) })
	mux.HandleFunc("DELETE /_fake/faults", func(w http.ResponseWriter, _ *http.Request) {
		ws.current().ClearFaults()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /_fake/calls", func(w http.ResponseWriter, r *http.Request) { listCalls(ws, w, r) })
	mux.HandleFunc("DELETE /_fake/calls", func(w http.ResponseWriter, _ *http.Request) {
		ws.current().ResetRecord()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /_fake/rejected", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string][]string{"rejected": nonNil(ws.current().Rejected())})
	})
	mux.HandleFunc("POST /_fake/reset", func(w http.ResponseWriter, _ *http.Request) {
		if err := ws.reset(); err != nil {
			writeError(w, http.StatusInternalServerError, err)
			return
		}
		writeJSON(w, http.StatusOK, ws.announce())
	})
	mux.HandleFunc("GET /_fake/world", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, ws.announce()) })
	mux.HandleFunc("GET /_fake/state/{id}", func(w http.ResponseWriter, r *http.Request) { getState(ws, w, r) })
	mux.HandleFunc("PUT /_fake/state/{id}", func(w http.ResponseWriter, r *http.Request) { setState(ws, w, r) })
	mux.HandleFunc("/_fake/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, fmt.Errorf("the control API has no %s %s (see go doc github.com/qoverykit/qovery-go/cmd/qovery-fake)", r.Method, r.URL.Path))
	})
	return mux
}

// loopbackOnly refuses the control API to other hosts: anyone who can
// inject faults or reset the world can break the tests of others.
func loopbackOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
			writeError(w, http.StatusForbidden, errors.New("the control API answers the loopback interface only (start with -remote-control to open it)"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

type stateJSON struct {
	ID    string `json:"id"`
	State string `json:"state"`
}

func getState(ws *worlds, w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	state, ok := ws.current().State(id)
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Errorf("no object %s is stored (never added, or deleted)", id))
		return
	}
	writeJSON(w, http.StatusOK, stateJSON{ID: id, State: state})
}

func setState(ws *worlds, w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var body struct {
		State string `json:"state"`
	}
	if err := decode(r, &body); err != nil || body.State == "" {
		writeError(w, http.StatusBadRequest, fmt.Errorf(`the body is {"state": "DEPLOYMENT_ERROR"}: %v`, err))
		return
	}
	srv := ws.current()
	if !srv.Exists(id) {
		writeError(w, http.StatusNotFound, fmt.Errorf("no object %s is stored (never added, or deleted)", id))
		return
	}
	if err := attempt(func() { srv.SetState(id, body.State) }); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	getState(ws, w, r)
}

// attempt runs f, turning the panic by which qoverytest reports a mistake
// made outside of a test (an unknown operation, an object without a state)
// into an error: its text, with the names it might have meant, is what the
// caller of the control API needs.
func attempt(f func()) (err error) {
	defer func() {
		p := recover()
		if p == nil {
			return
		}
		msg, ok := p.(string)
		if !ok || !strings.HasPrefix(msg, "qoverytest: ") {
			panic(p)
		}
		err = errors.New(strings.TrimPrefix(msg, "qoverytest: "))
	}()
	f()
	return nil
}

// decode reads a JSON body, refusing unknown fields so that a misspelt
// one ("retryAfter") is an error rather than a fault silently different.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v) // the client went away; nobody is left to tell
}

func writeError(w http.ResponseWriter, status int, err error) {
	writeJSON(w, status, map[string]string{"error": err.Error()})
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
