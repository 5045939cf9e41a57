package qovery

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qoverykit/qovery-go/gen"
)

const lieDB = "3f1b6a7e-2c4d-4e8f-9a0b-1c2d3e4f5a6b"

// backupPage is a full page of 20 backups whose IDs are numbered from
// first, each done, with the page size the API reports.
func backupPage(first int) string {
	items := make([]string, 20)
	for i := range items {
		items[i] = fmt.Sprintf(`{"id":"00000000-0000-4000-8000-%012d","name":"b%d","created_at":"2024-05-01T10:00:00Z","status":{"state":"DEPLOYED"}}`, first+i, first+i)
	}
	return `{"page":1,"page_size":20,"results":[` + strings.Join(items, ",") + `]}`
}

// pendingPage is backupPage with every backup still queued.
func pendingPage(first int) string {
	return strings.ReplaceAll(backupPage(first), `"state":"DEPLOYED"`, `"state":"QUEUED"`)
}

// lyingList serves the backup list with page(startId) and counts requests.
func lyingList(t *testing.T, page func(startID string) string) (*Client, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, page(r.URL.Query().Get("startId")))
	}))
	c, _ := newTestClient(t, srv.URL)
	return c, &n
}

func TestPagersStopOnRepeatedItems(t *testing.T) {
	cases := map[string]func(string) string{
		// The same page, whatever the cursor.
		"same page forever": func(string) string { return backupPage(0) },
		// Page 1, then page 2, then page 1 again.
		"cursor cycles": func(after string) string {
			if strings.HasSuffix(after, "000000000019") {
				return backupPage(20)
			}
			return backupPage(0)
		},
		// The next page overlaps the last one by one item.
		"overlapping pages": func(after string) string {
			if after == "" {
				return backupPage(0)
			}
			return backupPage(19)
		},
	}
	for name, page := range cases {
		t.Run(name, func(t *testing.T) {
			c, requests := lyingList(t, page)
			items, err := collect(c.Backups.ListIter(context.Background(), lieDB, nil))
			var pe *PageError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v after %d items, want a *PageError", err, len(items))
			}
			if pe.ItemID == "" || !strings.Contains(err.Error(), pe.ItemID) || !strings.Contains(err.Error(), "listing ") {
				t.Errorf("err = %v; want it to name the list and the repeated item", err)
			}
			seen := map[string]bool{}
			for _, b := range items {
				if seen[b.Id.String()] {
					t.Errorf("item %s yielded twice", b.Id)
				}
				seen[b.Id.String()] = true
			}
			if requests.Load() > 3 {
				t.Errorf("%d requests, want at most 3", requests.Load())
			}
		})
	}

	t.Run("Backups.Latest", func(t *testing.T) {
		// Pending backups, so that Latest reads on past the first page.
		c, requests := lyingList(t, func(string) string { return pendingPage(0) })
		_, err := c.Backups.Latest(context.Background(), lieDB)
		var pe *PageError
		if !errors.As(err, &pe) || requests.Load() != 2 {
			t.Fatalf("err = %v after %d requests, want a *PageError after 2", err, requests.Load())
		}
	})
}

// cloneAPI answers a clone with body and counts every request by path.
func cloneAPI(t *testing.T, body string) (*Client, *sync.Map) {
	t.Helper()
	var hits sync.Map
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, _ := hits.LoadOrStore(r.Method+" "+r.URL.Path, new(atomic.Int32))
		v.(*atomic.Int32).Add(1)
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/clone") {
			w.WriteHeader(http.StatusCreated)
			_, _ = io.WriteString(w, body)
			return
		}
		_, _ = io.WriteString(w, `{"state":"DEPLOYED"}`)
	}))
	c, _ := newTestClient(t, srv.URL)
	return c, &hits
}

func TestCloneAnswerWithoutIDSendsNothingMore(t *testing.T) {
	const env = "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d"
	calls := map[string]func(c *Client) (any, error){
		"CloneDatabase": func(c *Client) (any, error) {
			return c.Databases.Clone(context.Background(), lieDB, "copy", env, WithDeploy())
		},
		"CloneApplication": func(c *Client) (any, error) {
			return c.Applications.Clone(context.Background(), lieDB, "copy", env, WithDeploy(), WithGitCommit("abc"))
		},
		"CloneEnvironment": func(c *Client) (any, error) {
			return c.Environments.Clone(context.Background(), env, "copy", WithDeploy())
		},
	}
	for op, call := range calls {
		for _, body := range []string{`{"name":"copy"}`, `{"id":"00000000-0000-0000-0000-000000000000","name":"copy"}`} {
			t.Run(op, func(t *testing.T) {
				c, hits := cloneAPI(t, body)
				_, err := call(c)
				var de *DecodeError
				if !errors.As(err, &de) || de.Operation != op {
					t.Fatalf("err = %v, want a *DecodeError of %s", err, op)
				}
				hits.Range(func(k, v any) bool {
					if !strings.HasSuffix(k.(string), "/clone") {
						t.Errorf("%s was sent %d time(s) after an answer without an id", k, v.(*atomic.Int32).Load())
					}
					return true
				})
			})
		}
	}
}

func TestNullSuccessBodyIsDecodeError(t *testing.T) {
	for _, body := range []string{"null", " null\n", ""} {
		srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, body)
		}))
		c, _ := newTestClient(t, srv.URL)
		db, err := Result[gen.DatabaseResponse](c.API().GetDatabaseWithResponse(context.Background(), mustUUID(t, lieDB)))
		var de *DecodeError
		if !errors.As(err, &de) || db != nil {
			t.Errorf("body %q: (%v, %v), want a *DecodeError and no value", body, db, err)
		}
	}
}

func TestHugeRetryAfterIsPastTheClamp(t *testing.T) {
	for _, header := range []string{"Retry-After", "X-RateLimit-Reset"} {
		h := &counter{script: []int{429, 200}, header: http.Header{header: {"99999999999999999999"}}}
		c, _ := newTestClient(t, serve(t, h).URL)
		_, err := Result[gen.OrganizationResponseList](c.API().ListOrganizationWithResponse(context.Background()))
		var ae *APIError
		if !errors.As(err, &ae) || ae.StatusCode != 429 || h.hits.Load() != 1 {
			t.Fatalf("%s: err = %v after %d requests, want the 429 after 1", header, err, h.hits.Load())
		}
		if time.Until(ae.RetryAt) < 24*time.Hour {
			t.Errorf("%s: RetryAt = %v, want the far future", header, ae.RetryAt)
		}
	}
}

// gzipped compresses n bytes of JSON: a list whose padding field holds n
// bytes of spaces.
func gzipped(t *testing.T, n int) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, _ = io.WriteString(zw, `{"results":[],"pad":"`)
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for left := n; left > 0; left -= len(chunk) {
		_, _ = zw.Write(chunk[:min(left, len(chunk))])
	}
	_, _ = io.WriteString(zw, `"}`)
	_ = zw.Close()
	return b.Bytes()
}

func gzipServer(t *testing.T, body []byte) (url string, hits *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(body)
	}))
	return srv.URL, &n
}

func TestSuccessBodyInflationCapped(t *testing.T) {
	bomb := gzipped(t, 64<<20)
	t.Logf("64 MiB of JSON compress to %d KiB", len(bomb)>>10)
	srv, hits := gzipServer(t, bomb)
	c, _ := newTestClient(t, srv, WithMaxResponseBody(1<<20))

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := Result[gen.OrganizationResponseList](c.API().ListOrganizationWithResponse(context.Background()))
	runtime.ReadMemStats(&after)
	var de *DecodeError
	if !errors.As(err, &de) || !errors.Is(err, ErrResponseTooLarge) || de.StatusCode != 200 {
		t.Fatalf("err = %v, want a *DecodeError matching ErrResponseTooLarge", err)
	}
	if !strings.Contains(err.Error(), "WithMaxResponseBody") || hits.Load() != 1 {
		t.Errorf("err = %v after %d requests; want one naming the option, after 1", err, hits.Load())
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
		t.Errorf("the call allocated %d MiB for a 1 MiB limit", alloc>>20)
	}

	// Below the limit, the same kind of answer decodes; the default limit
	// lets 3 MiB through, a lower one does not.
	small, _ := gzipServer(t, gzipped(t, 3<<20))
	for limit, wantErr := range map[int64]bool{0: false, 2 << 20: true} {
		c, _ := newTestClient(t, small, WithMaxResponseBody(limit))
		_, err := Result[gen.OrganizationResponseList](c.API().ListOrganizationWithResponse(context.Background()))
		if got := errors.Is(err, ErrResponseTooLarge); got != wantErr || (!wantErr && err != nil) {
			t.Errorf("limit %d: err = %v", limit, err)
		}
	}
}
