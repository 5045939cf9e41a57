package main

import (
	"net/http"
	"net/url"
	"sync"

	"github.com/qoverykit/qovery-go/qovery/qoverytest"
)

// worlds holds the fake that answers now. A reset replaces it with a fresh
// one built with the same options, which is what makes the reset whole:
// new IDs, no faults, no record, the same address.
type worlds struct {
	options []qoverytest.Option
	token   string
	// origin is where the process listens ("http://127.0.0.1:40123").
	origin string

	mu  sync.RWMutex
	srv *qoverytest.Server
	// earlier holds what the worlds reset since refused, for -strict.
	earlier []string
}

func startWorlds(options []qoverytest.Option, token string) (*worlds, error) {
	srv, err := qoverytest.Start(options...)
	if err != nil {
		return nil, err
	}
	return &worlds{options: options, token: token, srv: srv}, nil
}

func (ws *worlds) current() *qoverytest.Server {
	ws.mu.RLock()
	defer ws.mu.RUnlock()
	return ws.srv
}

// ServeHTTP hands the request to the current world.
func (ws *worlds) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ws.current().ServeHTTP(w, r)
}

// reset starts a new world and closes the old one, releasing the requests
// its Slow faults hold.
func (ws *worlds) reset() error {
	srv, err := qoverytest.Start(ws.options...)
	if err != nil {
		return err
	}
	ws.mu.Lock()
	old := ws.srv
	ws.srv = srv
	ws.earlier = append(ws.earlier, old.Rejected()...)
	ws.mu.Unlock()
	old.Close()
	return nil
}

func (ws *worlds) close() { ws.current().Close() }

// allRejected returns what every world refused, from the first one on.
func (ws *worlds) allRejected() []string {
	ws.mu.RLock()
	defer ws.mu.RUnlock()
	return append(append([]string(nil), ws.earlier...), ws.srv.Rejected()...)
}

// announcement is the line printed when ready, and the answer of
// GET /_fake/world and POST /_fake/reset.
type announcement struct {
	URL     string    `json:"url"`
	Token   string    `json:"token"`
	Control string    `json:"control"`
	World   worldJSON `json:"world"`
}

type worldJSON struct {
	OrganizationID       string   `json:"organization_id"`
	ProjectID            string   `json:"project_id"`
	EnvironmentID        string   `json:"environment_id"`
	StagingEnvironmentID string   `json:"staging_environment_id"`
	ApplicationID        string   `json:"application_id"`
	ContainerID          string   `json:"container_id"`
	DatabaseID           string   `json:"database_id"`
	BackupIDs            []string `json:"backup_ids"`
}

func (ws *worlds) announce() announcement {
	srv := ws.current()
	w := srv.World
	return announcement{
		URL:     ws.origin + basePath(srv.URL),
		Token:   ws.token,
		Control: ws.origin + controlPrefix,
		World: worldJSON{
			OrganizationID:       w.OrganizationID,
			ProjectID:            w.ProjectID,
			EnvironmentID:        w.EnvironmentID,
			StagingEnvironmentID: w.StagingEnvironmentID,
			ApplicationID:        w.ApplicationID,
			ContainerID:          w.ContainerID,
			DatabaseID:           w.DatabaseID,
			// An empty world has no backups: [] rather than null.
			BackupIDs: append([]string{}, w.BackupIDs...),
		},
	}
}

// basePath is the path the API is served under ("/api"), taken from the
// fake's own URL so that it is always the one the fake expects.
func basePath(apiURL string) string {
	u, err := url.Parse(apiURL)
	if err != nil {
		return ""
	}
	return u.Path
}
