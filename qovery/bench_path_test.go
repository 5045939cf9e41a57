package qovery

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/qoverykit/qovery-go/gen"
)

// The request path measured on three kinds of call, each against the floor
// of net/http and encoding/json, in memory (benchAnswer answers every
// request with the same bytes): a GET of a database through Do, a list of
// 100 backups, and a POST creating a project.

// benchAnswer answers every request with body, after reading the
// request's own.
type benchAnswer struct {
	status int
	body   []byte
}

func (t benchAnswer) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	return &http.Response{
		StatusCode:    t.status,
		Header:        http.Header{"Content-Type": jsonContentType},
		Body:          io.NopCloser(bytes.NewReader(t.body)),
		ContentLength: int64(len(t.body)),
		Request:       req,
	}, nil
}

var benchBackups100 = func() []byte {
	items := make([]string, 100)
	for i := range items {
		items[i] = fmt.Sprintf(`{"id":"00000000-0000-4000-8000-%012d","name":"nightly-%d","created_at":"2025-05-01T10:00:00Z","updated_at":"2025-05-01T10:05:00Z","status":{"state":"DEPLOYED","status_details":{"action":"BACKUP","status":"SUCCESS"}}}`, i, i)
	}
	return []byte(`{"page":1,"page_size":100,"results":[` + strings.Join(items, ",") + `]}`)
}()

var benchProject = []byte(`{"id":"5b7c2d1e-8f3a-4c6b-9d2e-1a0b3c4d5e6f","created_at":"2025-03-14T09:26:53Z","name":"shop","description":"storefront","organization":{"id":"1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"}}`)

func benchClient(b *testing.B, rt http.RoundTripper) *Client {
	c, err := New(benchToken, WithBaseURL("https://api.qovery.com"), WithHTTPClient(&http.Client{Transport: rt}))
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// benchBare sends one request with net/http and decodes its answer into
// out, as a program without a client library would.
func benchBare(b *testing.B, hc *http.Client, method, url string, body []byte, out any) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, url, rd)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Authorization", "Token "+benchToken)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := hc.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	err = json.NewDecoder(resp.Body).Decode(out)
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		b.Fatal(err)
	}
}

func BenchmarkPathGet(b *testing.B) {
	rt := benchAnswer{status: 200, body: benchDatabase}
	b.Run("Do", func(b *testing.B) {
		c, ctx := benchClient(b, rt), context.Background()
		b.ReportAllocs()
		for b.Loop() {
			var db gen.DatabaseResponse
			if err := c.Do(ctx, http.MethodGet, "/database/"+benchDBID, nil, &db); err != nil {
				b.Fatal(err)
			}
			checkBenchDatabase(b, &db)
		}
	})
	b.Run("Bare", func(b *testing.B) {
		hc := &http.Client{Transport: rt}
		b.ReportAllocs()
		for b.Loop() {
			var db gen.DatabaseResponse
			benchBare(b, hc, http.MethodGet, "https://api.qovery.com/database/"+benchDBID, nil, &db)
			checkBenchDatabase(b, &db)
		}
	})
}

func BenchmarkPathList100(b *testing.B) {
	rt := benchAnswer{status: 200, body: benchBackups100}
	b.Run("Service", func(b *testing.B) {
		c, ctx := benchClient(b, rt), context.Background()
		b.ReportAllocs()
		for b.Loop() {
			l, err := c.Backups.List(ctx, benchDBID, nil)
			if err != nil || len(l) != 100 {
				b.Fatalf("%d backups, %v", len(l), err)
			}
		}
	})
	b.Run("Bare", func(b *testing.B) {
		hc := &http.Client{Transport: rt}
		b.ReportAllocs()
		for b.Loop() {
			var l gen.DatabaseBackupResponseList
			benchBare(b, hc, http.MethodGet, "https://api.qovery.com/database/"+benchDBID+"/backups", nil, &l)
			if len(l.Results) != 100 {
				b.Fatalf("%d backups", len(l.Results))
			}
		}
	})
}

func BenchmarkPathPost(b *testing.B) {
	rt := benchAnswer{status: 201, body: benchProject}
	req := gen.ProjectRequest{Name: "shop", Description: Ptr("storefront")}
	const org = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"
	b.Run("Service", func(b *testing.B) {
		c, ctx := benchClient(b, rt), context.Background()
		b.ReportAllocs()
		for b.Loop() {
			p, err := c.Projects.Create(ctx, org, req)
			if err != nil || p.Name == nil || *p.Name != "shop" {
				b.Fatalf("%+v, %v", p, err)
			}
		}
	})
	b.Run("Bare", func(b *testing.B) {
		hc := &http.Client{Transport: rt}
		b.ReportAllocs()
		for b.Loop() {
			body, err := json.Marshal(req)
			if err != nil {
				b.Fatal(err)
			}
			var p gen.ProjectResponse
			benchBare(b, hc, http.MethodPost, "https://api.qovery.com/organization/"+org+"/project", body, &p)
			if p.Name == nil || *p.Name != "shop" {
				b.Fatalf("%+v", p)
			}
		}
	})
}
