package qovery

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/qoverykit/qovery-go/gen"
)

// Backup is a database backup as the API describes it;
// `go doc gen.BackupDatabaseResponse` lists its fields and getters
// (b.GetName(), b.GetId(), b.GetStatus().GetState(), ...).
type Backup = gen.BackupDatabaseResponse

// BackupPhase is where a backup stands, as far as a caller waiting for it is
// concerned. BackupPhaseOf derives it from the backup's status object.
type BackupPhase int

const (
	// BackupPending: the backup is queued or being taken.
	BackupPending BackupPhase = iota
	// BackupDone: the backup completed and can be restored from.
	BackupDone
	// BackupFailed: the backup ended without producing anything usable.
	BackupFailed
)

func (p BackupPhase) String() string {
	switch p {
	case BackupPending:
		return "pending"
	case BackupDone:
		return "done"
	case BackupFailed:
		return "failed"
	}
	return fmt.Sprintf("BackupPhase(%d)", int(p))
}

// BackupPhaseOf classifies a backup from its status object, which carries
// three fields (the API documents their values only by example, so these
// rules are this package's reading of them):
//
//   - status.state is the engine's state, shared with services: QUEUED,
//     BUILDING, DEPLOYING, DEPLOYED, DEPLOYMENT_ERROR, ...
//   - status.status_details.status is the outcome of the last action run on
//     the backup: QUEUED, ONGOING, SUCCESS, ERROR, CANCELING, CANCELED, ...
//   - status.service_deployment_status (NEVER_DEPLOYED, OUT_OF_DATE,
//     UP_TO_DATE) says whether the running configuration matches the saved
//     one. It says nothing about the backup's progress and is ignored.
//
// The rules, in order:
//
//  1. Failed: a state ending in _ERROR, ERROR or CANCELED. An engine
//     failure is final, whatever status_details says.
//  2. When status_details.status is present it decides: SUCCESS is done;
//     ERROR and any value starting with CANCEL (the backup will not
//     complete) are failed; anything else is pending.
//  3. Without it, the state DEPLOYED is done and any other state pending.
//
// A backup without a status object is pending: the API has not reported on
// it yet. Values are compared without regard to case.
func BackupPhaseOf(b *Backup) BackupPhase {
	if b == nil || b.Status == nil {
		return BackupPending
	}
	st := b.Status
	state := ""
	if st.State != nil {
		state = strings.ToUpper(string(*st.State))
	}
	if strings.HasSuffix(state, "_ERROR") || state == "ERROR" || state == "CANCELED" {
		return BackupFailed
	}
	if st.StatusDetails != nil && st.StatusDetails.Status != nil && *st.StatusDetails.Status != "" {
		switch s := strings.ToUpper(string(*st.StatusDetails.Status)); {
		case s == "SUCCESS":
			return BackupDone
		case s == "ERROR" || strings.HasPrefix(s, "CANCEL"):
			return BackupFailed
		default:
			return BackupPending
		}
	}
	if state == "DEPLOYED" {
		return BackupDone
	}
	return BackupPending
}

// describeBackup gives the state and detail status of a backup, for progress
// logs and errors: "DEPLOYING (ONGOING)".
func describeBackup(b *Backup) string {
	state, detail := backupStatus(b)
	switch {
	case state == "" && detail == "":
		return "unknown"
	case detail == "":
		return state
	case state == "":
		return detail
	}
	return state + " (" + detail + ")"
}

func backupStatus(b *Backup) (state, detail string) {
	if b == nil || b.Status == nil {
		return "", ""
	}
	if b.Status.State != nil {
		state = string(*b.Status.State)
	}
	if d := b.Status.StatusDetails; d != nil && d.Status != nil {
		detail = string(*d.Status)
	}
	return state, detail
}

func newBackupError(databaseID, backupID string, b *Backup, redact func(string) string) *BackupError {
	e := &BackupError{DatabaseID: databaseID, BackupID: backupID, Backup: b}
	e.State, e.Status = backupStatus(b)
	defer func() { e.State, e.Status, e.Step = redact(e.State), redact(e.Status), redact(e.Step) }()
	if b != nil && b.Status != nil && b.Status.Steps != nil {
		for _, s := range b.Status.Steps.Details {
			if s.Status == nil || s.StepName == nil {
				continue
			}
			if st := strings.ToUpper(string(*s.Status)); st == "ERROR" || strings.HasSuffix(st, "_ERROR") || st == "FAILED" {
				e.Step = string(*s.StepName)
				break
			}
		}
	}
	return e
}

// Create starts a backup of a database and returns it as the API reports
// it, usually still pending; pass its ID to Backups.Wait. name must not be
// empty; message is free text and may be.
//
// The arguments are checked before any request is sent: an empty name or a
// database ID that is not a UUID is an *ArgError. A database that does
// not exist gives an error matching ErrNotFound, and a database busy with
// another operation one matching ErrConflict. The request is sent once: a
// failure that may have reached the API is not retried, so that a backup is
// never taken twice.
//
// operationId: addBackupDatabase
func (s *BackupsService) Create(ctx context.Context, databaseID, name, message string) (*Backup, error) {
	c := s.c
	id, err := parseID("databaseID", databaseID)
	if err != nil {
		return nil, err
	}
	if err := checkName("name", name); err != nil {
		return nil, err
	}
	body := gen.AddBackupDatabaseJSONRequestBody{Name: name, Message: message}
	return fetch[Backup](ctx, c, &operationAddBackupDatabase, jsonRequest(http.MethodPost, "/database/"+id.String()+"/backup", body), nil)
}

// Wait polls a database's backups, as the client's WaitPolicy says, until
// the backup backupID is done, and returns it. BackupPhaseOf documents which
// states count as done and which as failed.
//
//   - An ID that is not a UUID is an *ArgError, returned before anything
//     is sent.
//   - A failed backup gives a *BackupError carrying its state and status.
//   - A backup missing from the database's list is taken as not listed
//     yet, and polled for, during WaitPolicy.ListGrace from the start of
//     the wait (30s by default); past it, the error matches ErrNotFound,
//     and so does a database that does not exist. A backup that leaves
//     the list after being seen gives an error matching ErrNotFound that
//     says so.
//   - Running out of WaitPolicy.Timeout gives an error matching
//     ErrWaitTimeout.
//   - Cancelling ctx returns at once with an error matching ctx.Err().
//
// There is no API call to read one backup: each poll lists the backups,
// newest first, and stops at the page holding backupID.
//
// operationId: listDatabaseBackup, once per poll
func (s *BackupsService) Wait(ctx context.Context, databaseID, backupID string) (*Backup, error) {
	c := s.c
	if _, err := parseID("databaseID", databaseID); err != nil {
		return nil, err
	}
	want, err := parseID("backupID", backupID)
	if err != nil {
		return nil, err
	}
	var (
		last    *Backup
		failure *BackupError
		missing bool
	)
	start := time.Now()
	err = c.poll(ctx, "backup "+backupID, "done", func(ctx context.Context) (string, bool, error) {
		b, err := c.findBackup(ctx, databaseID, want)
		if err != nil {
			return "", false, err
		}
		// A missing or failed backup ends the poll as "done" and is
		// reported below: returned from here, the error would be taken
		// for a transient one and polled again.
		if b == nil {
			if last == nil && time.Since(start) < c.wait.ListGrace {
				return "not listed yet", false, nil
			}
			missing = true
			return "", true, nil
		}
		last = b
		switch BackupPhaseOf(b) {
		case BackupDone:
			return describeBackup(b), true, nil
		case BackupFailed:
			failure = newBackupError(databaseID, backupID, b, c.auth.redact)
			return describeBackup(b), true, nil
		}
		return describeBackup(b), false, nil
	})
	switch {
	case err != nil:
		return nil, err
	case missing && last != nil:
		return nil, &notFoundError{msg: "qovery: backup " + backupID + " of database " + databaseID + " is gone from the list after being seen " + describeBackup(last)}
	case missing:
		return nil, &notFoundError{msg: "qovery: backup " + backupID + " not found in database " + databaseID + " after " + c.wait.ListGrace.String()}
	case failure != nil:
		return last, failure
	}
	return last, nil
}

// findBackup returns the backup with the given ID, or nil when the list does
// not hold it.
func (c *Client) findBackup(ctx context.Context, databaseID string, id uuid.UUID) (*Backup, error) {
	for b, err := range c.Backups.ListIter(ctx, databaseID, nil) {
		if err != nil {
			return nil, err
		}
		if b.Id != nil && *b.Id == id {
			return &b, nil
		}
	}
	return nil, nil
}

// Latest returns the most recent completed backup of a database: the done
// one (see BackupPhaseOf) with the latest creation time. Pending and failed
// backups are skipped.
//
// The API lists backups newest first, so Latest reads pages only until one
// holds a completed backup, and returns the newest completed backup of that
// page: one request when the last backups include a completed one,
// whatever the length of the list. It relies on that order: a completed
// backup newer than those of the page it stopped at, listed on a later page
// against the order, is not seen.
//
// A database ID that is not a UUID is an *ArgError. When the database has
// no completed backup the error matches both ErrNotFound and ErrNoBackup; a
// database that does not exist gives an *APIError matching ErrNotFound
// only.
//
// operationId: listDatabaseBackup, until a page holds a completed backup
func (s *BackupsService) Latest(ctx context.Context, databaseID string) (*Backup, error) {
	db, err := parseID("databaseID", databaseID)
	if err != nil {
		return nil, err
	}
	var (
		best             *Backup
		pending, nFailed int
	)
	fetch := s.pageFetcher(db)
	untilFound := func(ctx context.Context, after *uuid.UUID) ([]Backup, int, error) {
		if best != nil { // the page before held a completed backup
			return nil, 0, nil
		}
		return fetch(ctx, after)
	}
	list := "Backups.Latest (listDatabaseBackup) of database " + databaseID
	for b, err := range listPages(ctx, list, untilFound, func(b *Backup) *uuid.UUID { return b.Id }) {
		if err != nil {
			return nil, err
		}
		switch BackupPhaseOf(&b) {
		case BackupDone:
			if best == nil || backupTime(&b).After(backupTime(best)) {
				best = &b
			}
		case BackupFailed:
			nFailed++
		default:
			pending++
		}
	}
	if best == nil {
		return nil, &notFoundError{
			msg:   fmt.Sprintf("qovery: database %s has no completed backup (%d pending, %d failed)", databaseID, pending, nFailed),
			extra: ErrNoBackup,
		}
	}
	return best, nil
}

// pageFetcher reads the pages of a database's backups, for listPages.
func (s *BackupsService) pageFetcher(db uuid.UUID) pageFunc[Backup] {
	return func(ctx context.Context, after *uuid.UUID) ([]Backup, int, error) {
		r := request{method: http.MethodGet, path: "/database/" + db.String() + "/backup"}
		if after != nil {
			r.addQuery("startId="+after.String(), nil)
		}
		l, err := fetch[DatabaseBackupResponseList](ctx, s.c, &operationListDatabaseBackup, r, nil)
		if err != nil {
			return nil, 0, err
		}
		return l.Results, pageSize(&l.PageSize), nil
	}
}

// backupTime is when a backup was taken, for ordering: its creation time,
// else its last update.
func backupTime(b *Backup) time.Time {
	switch {
	case b.CreatedAt != nil:
		return *b.CreatedAt
	case b.UpdatedAt != nil:
		return *b.UpdatedAt
	}
	return time.Time{}
}
