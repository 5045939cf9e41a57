package qovery

// Benchmarks of the client's own cost. Run them with `make bench`, which
// also times regeneration and a cold build; BENCHMARKS.md explains the
// figures. By hand:
//
//	go test -run '^$' -bench . -benchmem ./qovery/
//
// The GetDatabase benchmarks read the same ~1 KB database from a loopback
// server four ways: through Client (authentication, retry layer, Result),
// through Client's service (c.Databases.Get), through the generated client
// alone, and with net/http plus encoding/json.
// The last one is the floor any client pays; the difference between it and
// the first is what this package costs per call. The server runs in the
// same process, so its allocations are in every figure, equally.

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"
	"weak"

	"github.com/google/uuid"

	"github.com/qoverykit/qovery-go/gen"
)

const (
	benchToken    = "qov_bench_0f3e1b2a9c8d7e6f5a4b3c2d1e0f"
	benchBasePath = "/api"
	benchDBID     = "6a1f0a63-1bd7-4c1e-9b0a-5e2f4d8c7b31"
)

// benchDatabase is a database as GET /database/{id} returns it, with every
// field of DatabaseResponse filled in: about 1 KB of compact JSON.
var benchDatabase = compactJSON(`{
  "id": "6a1f0a63-1bd7-4c1e-9b0a-5e2f4d8c7b31",
  "created_at": "2025-03-14T09:26:53.589793Z",
  "updated_at": "2025-06-02T17:45:12.271828Z",
  "name": "orders-postgres",
  "description": "Primary store for the orders service",
  "type": "POSTGRESQL",
  "version": "16",
  "mode": "CONTAINER",
  "accessibility": "PRIVATE",
  "cpu": 500,
  "instance_type": "db.t3.medium",
  "memory": 1024,
  "storage": 20,
  "annotations_groups": [
    {
      "id": "b3d7c1e2-4f5a-4b6c-8d9e-0f1a2b3c4d5e",
      "created_at": "2025-03-14T09:26:53Z",
      "name": "backup-policy",
      "annotations": [{"key": "backup.qovery.com/schedule", "value": "0 3 * * *"}],
      "scopes": ["DEPLOYMENTS", "SERVICES"]
    }
  ],
  "labels_groups": [
    {
      "id": "c4e8d2f3-5a6b-4c7d-9e0f-1a2b3c4d5e6f",
      "created_at": "2025-03-14T09:26:53Z",
      "name": "cost-allocation",
      "labels": [
        {"key": "team", "value": "checkout", "propagate_to_cloud_provider": true},
        {"key": "env", "value": "production", "propagate_to_cloud_provider": false}
      ]
    }
  ],
  "icon_uri": "app://qovery-console/postgresql",
  "environment": {"id": "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"},
  "host": "zf1a0a63-postgresql.internal",
  "port": 5432,
  "maximum_cpu": 4000,
  "maximum_memory": 8192,
  "disk_encrypted": true,
  "service_type": "DATABASE"
}`)

func compactJSON(s string) []byte {
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// benchDatabaseServer serves benchDatabase at GET {base}/database/{id} and
// returns the server's base URL, base path included.
func benchDatabaseServer(b *testing.B) string {
	b.Helper()
	path := benchBasePath + "/database/" + benchDBID
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != path {
			http.NotFound(w, r)
			return
		}
		if r.Header.Get("Authorization") != "Token "+benchToken {
			http.Error(w, `{"message":"unauthorized"}`, http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(benchDatabase)
	}))
	b.Cleanup(srv.Close)
	return srv.URL + benchBasePath
}

// benchTransport is the transport every GetDatabase benchmark sends
// through: the same kind, configured the same way, so that only the
// client code differs.
func benchTransport(b *testing.B) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	b.Cleanup(t.CloseIdleConnections)
	return t
}

func checkBenchDatabase(b *testing.B, db *gen.DatabaseResponse) {
	if db == nil || db.Name != "orders-postgres" || db.Port == nil || *db.Port != 5432 {
		b.Fatalf("unexpected database: %+v", db)
	}
}

// BenchmarkGetDatabaseFacade is a call as this package's users make it:
// Client, with its authentication and retry layer, and Result to get the
// typed body.
func BenchmarkGetDatabaseFacade(b *testing.B) {
	benchGetFacade(b, benchDatabaseServer(b), benchTransport(b))
}

// BenchmarkGetDatabaseService is the service path, c.Databases.Get: the
// same client as Facade, with the ID given as a string and checked, and the
// typed answer read without reflection.
func BenchmarkGetDatabaseService(b *testing.B) {
	benchGetService(b, benchDatabaseServer(b), benchTransport(b))
}

// BenchmarkGetDatabaseGen is the generated client used directly, with the
// Authorization header added by a request editor as its users would.
func BenchmarkGetDatabaseGen(b *testing.B) {
	benchGetGen(b, benchDatabaseServer(b), benchTransport(b))
}

// BenchmarkGetDatabaseBare is the floor: net/http and encoding/json, no
// client library, decoding into the same generated type.
func BenchmarkGetDatabaseBare(b *testing.B) {
	benchGetBare(b, benchDatabaseServer(b), benchTransport(b))
}

// BenchmarkGetDatabaseInMemory runs the same three clients against a
// transport that answers from memory (noopTransport). Without the network
// and the server, what is left is each client's own CPU and memory cost
// per call, free of the loopback's noise.
func BenchmarkGetDatabaseInMemory(b *testing.B) {
	const base = "https://api.qovery.com" + benchBasePath
	b.Run("Facade", func(b *testing.B) { benchGetFacade(b, base, noopTransport{}) })
	b.Run("Service", func(b *testing.B) { benchGetService(b, base, noopTransport{}) })
	b.Run("Gen", func(b *testing.B) { benchGetGen(b, base, noopTransport{}) })
	b.Run("Bare", func(b *testing.B) { benchGetBare(b, base, noopTransport{}) })
}

func benchGetFacade(b *testing.B, base string, rt http.RoundTripper) {
	c, err := New(benchToken, WithBaseURL(base), WithHTTPClient(&http.Client{Transport: rt}))
	if err != nil {
		b.Fatal(err)
	}
	id := uuid.MustParse(benchDBID)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		db, err := Result[gen.DatabaseResponse](c.API().GetDatabaseWithResponse(ctx, id))
		if err != nil {
			b.Fatal(err)
		}
		checkBenchDatabase(b, db)
	}
}

func benchGetService(b *testing.B, base string, rt http.RoundTripper) {
	c, err := New(benchToken, WithBaseURL(base), WithHTTPClient(&http.Client{Transport: rt}))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		db, err := c.Databases.Get(ctx, benchDBID)
		if err != nil {
			b.Fatal(err)
		}
		checkBenchDatabase(b, db)
	}
}

func benchGetGen(b *testing.B, base string, rt http.RoundTripper) {
	auth := "Token " + benchToken
	api, err := gen.NewClientWithResponses(base,
		gen.WithHTTPClient(&http.Client{Transport: rt}),
		gen.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
			req.Header.Set("Authorization", auth)
			return nil
		}))
	if err != nil {
		b.Fatal(err)
	}
	id := uuid.MustParse(benchDBID)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		resp, err := api.GetDatabaseWithResponse(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		if resp.StatusCode() != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode())
		}
		checkBenchDatabase(b, resp.JSON200)
	}
}

func benchGetBare(b *testing.B, base string, rt http.RoundTripper) {
	hc := &http.Client{Transport: rt}
	url := base + "/database/" + benchDBID
	auth := "Token " + benchToken
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Authorization", auth)
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
		var db gen.DatabaseResponse
		err = json.NewDecoder(resp.Body).Decode(&db)
		_, _ = io.Copy(io.Discard, resp.Body) // let the connection be reused
		_ = resp.Body.Close()
		if err != nil {
			b.Fatal(err)
		}
		checkBenchDatabase(b, &db)
	}
}

// BenchmarkGetDatabaseWire is the server's share of the three benchmarks
// above: the same request, written as raw bytes on one kept-alive
// connection, and the response read back into a reused buffer without being
// parsed. Its client side allocates nothing, so its allocs/op and B/op are
// those of the in-process server (and of net/http's server half), which
// every GetDatabase figure includes. Subtracting them gives the client's.
func BenchmarkGetDatabaseWire(b *testing.B) {
	base := benchDatabaseServer(b)
	u, err := url.Parse(base)
	if err != nil {
		b.Fatal(err)
	}
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = conn.Close() }()
	req := []byte("GET " + u.Path + "/database/" + benchDBID + " HTTP/1.1\r\n" +
		"Host: " + u.Host + "\r\n" +
		"User-Agent: Go-http-client/1.1\r\n" +
		"Authorization: Token " + benchToken + "\r\n" +
		"Accept-Encoding: gzip\r\n\r\n")
	buf := make([]byte, 8<<10)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := conn.Write(req); err != nil {
			b.Fatal(err)
		}
		if err := readWireResponse(conn, buf); err != nil {
			b.Fatal(err)
		}
	}
}

// readWireResponse reads one HTTP/1.1 response with a Content-Length into
// buf, allocating nothing.
func readWireResponse(r io.Reader, buf []byte) error {
	n, want := 0, -1
	for want < 0 || n < want {
		if n == len(buf) {
			return errors.New("response larger than the buffer")
		}
		m, err := r.Read(buf[n:])
		n += m
		if err != nil {
			return err
		}
		if want >= 0 {
			continue
		}
		end := bytes.Index(buf[:n], []byte("\r\n\r\n"))
		if end < 0 {
			continue
		}
		if !bytes.HasPrefix(buf[:n], []byte("HTTP/1.1 200 ")) {
			return fmt.Errorf("unexpected response %q", buf[:min(n, 40)])
		}
		i := bytes.Index(buf[:end], []byte("\r\nContent-Length: "))
		if i < 0 {
			return errors.New("no Content-Length")
		}
		length := 0
		for _, c := range buf[i+len("\r\nContent-Length: ") : end] {
			if c < '0' || c > '9' {
				break
			}
			length = length*10 + int(c-'0')
		}
		want = end + 4 + length
	}
	if n != want {
		return fmt.Errorf("read %d bytes, want %d", n, want)
	}
	return nil
}

// noopTransport answers every request at once, from memory, with a 200
// carrying the database, as the server of the benchmarks above does.
type noopTransport struct{}

func (noopTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode:    http.StatusOK,
		Header:        http.Header{"Content-Type": jsonContentType},
		Body:          io.NopCloser(bytes.NewReader(benchDatabase)),
		ContentLength: int64(len(benchDatabase)),
		Request:       req,
	}, nil
}

// BenchmarkRoundTripNoop and BenchmarkRoundTripLayers are a happy-path
// request sent to noopTransport directly, and through the authentication
// and retry layers of a Client (the request editor the generated client
// runs, then the Client's transport). Both build the same request and read
// the whole body; the difference between them is what the layers cost on a
// call that needs no retry.
func BenchmarkRoundTripNoop(b *testing.B) {
	benchRoundTrip(b, noopTransport{}, nil)
}

func BenchmarkRoundTripLayers(b *testing.B) {
	c, err := New(benchToken, WithBaseURL("https://api.qovery.com"), WithHTTPClient(&http.Client{Transport: noopTransport{}}))
	if err != nil {
		b.Fatal(err)
	}
	benchRoundTrip(b, c.http.Transport, c.auth.editRequest)
}

func benchRoundTrip(b *testing.B, rt http.RoundTripper, edit gen.RequestEditorFn) {
	ctx := context.Background()
	url := "https://api.qovery.com/database/" + benchDBID
	b.ReportAllocs()
	for b.Loop() {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			b.Fatal(err)
		}
		if edit != nil {
			if err := edit(ctx, req); err != nil {
				b.Fatal(err)
			}
		}
		resp, err := rt.RoundTrip(req)
		if err != nil {
			b.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
		n, err := io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		if err != nil || n != int64(len(benchDatabase)) {
			b.Fatalf("read %d bytes of the body: %v", n, err)
		}
	}
}

// The backup list is served like the API serves it: pages of 20, each
// continuing after the ID given in startId.
const (
	benchBackups  = 10_000
	benchPageSize = 20
)

// benchBackupID is the ID of backup number i: a fixed UUID whose last eight
// bytes hold i, so that the server can find where a startId points.
func benchBackupID(i int) uuid.UUID {
	id := uuid.MustParse("5d0c2b1a-0000-4000-8000-000000000000")
	binary.BigEndian.PutUint64(id[8:], uint64(i))
	return id
}

// backupPages renders every page once, so that the server costs the same
// small amount per request and its allocations stay out of the client's.
func backupPages(databaseID string) [][]byte {
	at := time.Date(2025, 6, 1, 3, 0, 0, 0, time.UTC)
	pages := make([][]byte, 0, benchBackups/benchPageSize+1)
	var sb strings.Builder
	for p := 0; p*benchPageSize <= benchBackups; p++ {
		sb.Reset()
		fmt.Fprintf(&sb, `{"page":%d,"page_size":%d,"results":[`, p+1, benchPageSize)
		for i := p * benchPageSize; i < min((p+1)*benchPageSize, benchBackups); i++ {
			if i > p*benchPageSize {
				sb.WriteByte(',')
			}
			created := at.Add(-time.Duration(i) * time.Hour)
			fmt.Fprintf(&sb, `{"id":%q,"created_at":%q,"updated_at":%q,"name":"nightly-%05d","message":"scheduled backup of %s",`+
				`"status":{"id":%q,"state":"DEPLOYED","service_deployment_status":"UP_TO_DATE","is_part_last_deployment":false,`+
				`"last_deployment_date":%q,"status_details":{"action":"BACKUP","status":"SUCCESS","sub_action":"NONE"}}}`,
				benchBackupID(i), created.Format(time.RFC3339), created.Add(4*time.Minute).Format(time.RFC3339),
				i, databaseID, benchBackupID(i), created.Add(4*time.Minute).Format(time.RFC3339))
		}
		sb.WriteString(`]}`)
		pages = append(pages, []byte(sb.String()))
	}
	return pages
}

// backupServer serves benchBackups backups of database benchDBID and
// returns a Client pointed at it.
func backupServer(tb testing.TB) *Client {
	tb.Helper()
	pages := backupPages(benchDBID)
	path := benchBasePath + "/database/" + benchDBID + "/backup"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != path {
			http.NotFound(w, r)
			return
		}
		page := 0
		if s := r.URL.Query().Get("startId"); s != "" {
			after, err := uuid.Parse(s)
			if err != nil {
				http.Error(w, `{"message":"bad startId"}`, http.StatusBadRequest)
				return
			}
			page = int(binary.BigEndian.Uint64(after[8:])+1) / benchPageSize
		}
		if page >= len(pages) {
			page = len(pages) - 1
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(pages[page])
	}))
	tb.Cleanup(srv.Close)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tb.Cleanup(tr.CloseIdleConnections)
	c, err := New(benchToken, WithBaseURL(srv.URL+benchBasePath), WithHTTPClient(&http.Client{Transport: tr}))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// walkFigures is what one checked walk over the backups observed.
type walkFigures struct {
	backups   int
	heldPages int    // most pages alive at once, the current one included
	peakLive  uint64 // highest live heap seen, above the live heap before the walk
}

// walkBackups iterates over every backup and checks, at the start of each
// page, that no earlier page is still reachable.
//
// The check is a fact, not a measure: the ID of the first backup of each
// page is tracked with a weak pointer, and after a full collection a weak
// pointer is nil exactly when nothing refers to its target any more. The
// iterator yields backups by value but their pointer fields (ID, name,
// status) still point into the page it decoded, so a page kept by the
// iterator, or by anything under it, keeps its IDs alive.
//
// The live heap is sampled at the same points, after the same collection.
func walkBackups(tb testing.TB, c *Client) walkFigures {
	tb.Helper()
	var (
		fig    walkFigures
		ms     runtime.MemStats
		firsts []weak.Pointer[uuid.UUID]
	)
	runtime.GC()
	runtime.ReadMemStats(&ms)
	before := ms.HeapAlloc
	for b, err := range c.Backups.ListIter(context.Background(), benchDBID, nil) {
		if err != nil {
			tb.Fatal(err)
		}
		if b.Id == nil || *b.Id != benchBackupID(fig.backups) {
			tb.Fatalf("backup %d: unexpected id %v", fig.backups, b.Id)
		}
		if fig.backups%benchPageSize == 0 {
			firsts = append(firsts, weak.Make(b.Id))
			runtime.GC()
			held := 0
			for _, w := range firsts {
				if w.Value() != nil {
					held++
				}
			}
			fig.heldPages = max(fig.heldPages, held)
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > before {
				fig.peakLive = max(fig.peakLive, ms.HeapAlloc-before)
			}
		}
		fig.backups++
	}
	return fig
}

// maxWalkLive bounds the live heap a walk over the backups may add. One page
// of 20 decoded backups with its JSON body is under 30 KiB; holding all
// 10,000 would take several megabytes.
const maxWalkLive = 512 << 10

func checkWalk(tb testing.TB, fig walkFigures) {
	tb.Helper()
	if fig.backups != benchBackups {
		tb.Fatalf("iterated %d backups, want %d", fig.backups, benchBackups)
	}
	if fig.heldPages != 1 {
		tb.Fatalf("up to %d pages of backups were alive at once, want 1", fig.heldPages)
	}
	if fig.peakLive > maxWalkLive {
		tb.Fatalf("live heap grew by %d bytes during the walk, want at most %d", fig.peakLive, maxWalkLive)
	}
}

// TestBackupsHoldOnePage runs the check of BenchmarkBackups10k in the test
// suite, so that a change keeping pages alive fails CI rather than only a
// benchmark run.
func TestBackupsHoldOnePage(t *testing.T) {
	if testing.Short() {
		t.Skip("walks 10,000 backups")
	}
	checkWalk(t, walkBackups(t, backupServer(t)))
}

// BenchmarkBackups10k iterates over 10,000 backups with Client.Backups, 501
// requests of a page of 20 (the last one empty). It first makes one checked
// walk (see walkBackups) and fails if more than one page was ever alive;
// it reports that walk's figures as held-pages and peak-live-B, then times
// plain walks, whose B/op is the total allocated over the 10,000 backups,
// nearly all of it garbage as soon as a page is done.
func BenchmarkBackups10k(b *testing.B) {
	c := backupServer(b)
	fig := walkBackups(b, c)
	checkWalk(b, fig)
	b.ReportAllocs()
	ctx := context.Background()
	for b.Loop() {
		n := 0
		for _, err := range c.Backups.ListIter(ctx, benchDBID, nil) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != benchBackups {
			b.Fatalf("iterated %d backups, want %d", n, benchBackups)
		}
	}
	b.ReportMetric(float64(fig.heldPages), "held-pages")
	b.ReportMetric(float64(fig.peakLive), "peak-live-B")
}
