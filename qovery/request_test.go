package qovery

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/qoverykit/qovery-go/gen"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// seenRequest is what a recording transport saw of a request.
type seenRequest struct {
	method, path, rawQuery, contentType string
	host, urlHost, accept               string
	body                                []byte
}

// recordingClient is a Client over a transport that records each request
// and answers status with body.
func recordingClient(t *testing.T, base string, status int, body string) (*Client, *[]seenRequest) {
	t.Helper()
	var seen []seenRequest
	rt := rtFunc(func(r *http.Request) (*http.Response, error) {
		s := seenRequest{method: r.Method, path: r.URL.EscapedPath(), rawQuery: r.URL.RawQuery, contentType: r.Header.Get("Content-Type"),
			host: r.Host, urlHost: r.URL.Host, accept: r.Header.Get("Accept")}
		if r.Body != nil {
			s.body, _ = io.ReadAll(r.Body)
		}
		seen = append(seen, s)
		return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
	})
	c, err := New(benchToken, WithBaseURL(base), WithHTTPClient(&http.Client{Transport: rt}))
	require.NoError(t, err)
	return c, &seen
}

// The generated methods make their request from the path template: the
// IDs in lower case, under the base URL's own path, the body as JSON.
func TestGeneratedRequestFollowsTheTemplate(t *testing.T) {
	const org = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"
	c, seen := recordingClient(t, "https://api.example.com/v1", http.StatusCreated, `{"id":"5b7c2d1e-8f3a-4c6b-9d2e-1a0b3c4d5e6f","name":"shop"}`)
	p, err := c.Projects.Create(context.Background(), strings.ToUpper(org), ProjectRequest{Name: "shop"})
	require.NoError(t, err)
	assert.Equal(t, "shop", p.GetName())
	require.Len(t, *seen, 1)
	got := (*seen)[0]
	assert.Equal(t, http.MethodPost, got.method)
	assert.Equal(t, "/v1/organization/"+org+"/project", got.path)
	assert.Equal(t, "application/json", got.contentType)
	var sent map[string]any
	require.NoError(t, json.Unmarshal(got.body, &sent))
	assert.Equal(t, "shop", sent["name"])
}

// An operation with a query is built by gen's builder, and goes through
// the same path.
func TestGeneratedRequestWithAQuery(t *testing.T) {
	const db = "5b7c2d1e-8f3a-4c6b-9d2e-1a0b3c4d5e6f"
	c, seen := recordingClient(t, "https://api.example.com", http.StatusOK, `{"results":[]}`)
	after := mustUUID(t, "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f")
	_, err := c.Backups.List(context.Background(), db, &ListDatabaseBackupParams{StartId: &after})
	require.NoError(t, err)
	require.Len(t, *seen, 1)
	assert.Equal(t, "/database/"+db+"/backup", (*seen)[0].path)
	assert.Equal(t, "startId="+after.String(), (*seen)[0].rawQuery)
}

// An answer that must carry an id and does not names the request's path,
// as it was sent.
func TestMissingIDNamesThePathSent(t *testing.T) {
	const db = "5b7c2d1e-8f3a-4c6b-9d2e-1a0b3c4d5e6f"
	c, _ := recordingClient(t, "https://api.example.com/v1", http.StatusOK, `{"name":"x"}`)
	_, err := c.Databases.Get(context.Background(), db)
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, http.MethodGet, de.Method)
	assert.Equal(t, "/v1/database/"+db, de.Path)
}

// A method with a query sends the URL gen's builder would have made:
// the same parameters, in the same order, encoded the same way.
func TestGeneratedQueryIsGensQuery(t *testing.T) {
	const id = "5b7c2d1e-8f3a-4c6b-9d2e-1a0b3c4d5e6f"
	const base = "https://api.example.com/v1"
	uid := mustUUID(t, id)
	yes, name := true, "feature/a b&c=d"
	cases := []struct {
		name string
		call func(*Client) error
		gen  func() (*http.Request, error)
	}{
		{"a required float", func(c *Client) error {
			_, err := c.Applications.GetMetricCPU(context.Background(), id, &GetApplicationMetricCpuParams{LastSeconds: 1.5})
			return err
		}, func() (*http.Request, error) {
			return gen.NewGetApplicationMetricCpuRequest(base+"/", uid, &GetApplicationMetricCpuParams{LastSeconds: 1.5})
		}},
		{"an optional bool", func(c *Client) error {
			_, err := c.Applications.List(context.Background(), id, &ListApplicationParams{ToUpdate: &yes})
			return err
		}, func() (*http.Request, error) {
			return gen.NewListApplicationRequest(base+"/", uid, &ListApplicationParams{ToUpdate: &yes})
		}},
		{"an optional bool unset", func(c *Client) error {
			_, err := c.Applications.List(context.Background(), id, &ListApplicationParams{})
			return err
		}, func() (*http.Request, error) {
			return gen.NewListApplicationRequest(base+"/", uid, &ListApplicationParams{})
		}},
		{"a string to escape", func(c *Client) error {
			_, err := c.Account.GetGithubRepositoryBranches(context.Background(), &GetGithubRepositoryBranchesParams{Name: &name})
			return err
		}, func() (*http.Request, error) {
			return gen.NewGetGithubRepositoryBranchesRequest(base+"/", &GetGithubRepositoryBranchesParams{Name: &name})
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, seen := recordingClient(t, base, http.StatusOK, `{"results":[]}`)
			require.NoError(t, tc.call(c))
			want, err := tc.gen()
			require.NoError(t, err)
			require.Len(t, *seen, 1)
			assert.Equal(t, want.URL.EscapedPath(), (*seen)[0].path)
			assert.Equal(t, want.URL.RawQuery, (*seen)[0].rawQuery)
		})
	}
}

// A request made by gen's builder, which the services of a vendor's spec
// use for what only it encodes, goes the same way; the builder's error
// ends the call before anything is sent.
func TestRequestFromGensBuilder(t *testing.T) {
	const id = "5b7c2d1e-8f3a-4c6b-9d2e-1a0b3c4d5e6f"
	c, seen := recordingClient(t, "https://api.example.com/v1", http.StatusOK, `{"results":[{"id":"`+id+`"}]}`)
	after := mustUUID(t, id)
	r := genRequest(gen.NewListDatabaseBackupRequest(c.server, after, &ListDatabaseBackupParams{StartId: &after}))
	l, err := fetch[DatabaseBackupResponseList](context.Background(), c, &operationListDatabaseBackup, r, nil)
	require.NoError(t, err)
	assert.Len(t, l.Results, 1)
	require.Len(t, *seen, 1)
	assert.Equal(t, "/v1/database/"+id+"/backup", (*seen)[0].path)
	assert.Equal(t, "startId="+id, (*seen)[0].rawQuery)

	_, err = fetch[DatabaseBackupResponseList](context.Background(), c, &operationListDatabaseBackup, genRequest(nil, errors.New("no such builder")), nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "ListDatabaseBackup")
	assert.Contains(t, err.Error(), "no such builder")
	assert.Len(t, *seen, 1, "nothing more sent")
}

// A base URL with an empty port ("host:") names the host net/http would
// send, for every call: the Host header and the URL agree.
func TestBaseURLEmptyPortDropped(t *testing.T) {
	c, seen := recordingClient(t, "https://api.example.com:/v1", http.StatusOK, `{"results":[]}`)
	_, err := c.Projects.List(context.Background(), "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f")
	require.NoError(t, err)
	require.NoError(t, c.Do(context.Background(), http.MethodGet, "/organization", nil, nil))
	for _, s := range *seen {
		assert.Equal(t, "api.example.com", s.host)
		assert.Equal(t, "api.example.com", s.urlHost)
	}
	assert.Equal(t, "https://api.example.com/v1", c.BaseURL())
}

// An empty Accept given to a call is no Accept: the answer is still asked
// for as JSON.
func TestEmptyAcceptAsksForJSON(t *testing.T) {
	c, seen := recordingClient(t, "https://api.example.com", http.StatusOK, `{}`)
	require.NoError(t, c.Do(context.Background(), http.MethodGet, "/organization", nil, nil, CallHeader("Accept", "")))
	require.Len(t, *seen, 1)
	assert.Equal(t, "application/json", (*seen)[0].accept)
}

// A transport that answers with the request's own headers (a test double,
// a proxy) sees the token scrubbed from the answer, and the next request
// still carries the credential whole.
func TestEchoedRequestHeadersLeaveTheCredentialWhole(t *testing.T) {
	var auths []string
	rt := rtFunc(func(r *http.Request) (*http.Response, error) {
		auths = append(auths, r.Header.Get("Authorization"))
		return &http.Response{StatusCode: http.StatusOK, Header: r.Header, Body: io.NopCloser(strings.NewReader(`{}`)), Request: r}, nil
	})
	c, err := New(benchToken, WithBaseURL("https://api.example.com"), WithHTTPClient(&http.Client{Transport: rt}))
	require.NoError(t, err)
	var meta ResponseMeta
	require.NoError(t, c.Do(context.Background(), http.MethodGet, "/organization", nil, nil, CallResponse(&meta)))
	assert.NotContains(t, meta.Header.Get("Authorization"), benchToken, "the echo is scrubbed")
	require.NoError(t, c.Do(context.Background(), http.MethodGet, "/organization", nil, nil))
	require.Len(t, auths, 2)
	assert.Equal(t, "Token "+benchToken, auths[1])
}

// A string that goes in a path is escaped, and one that would change the
// path (empty, "." or "..") is an *ArgError.
func TestPathSegment(t *testing.T) {
	got, err := pathSegment("labelKey", "a/b c")
	require.NoError(t, err)
	assert.Equal(t, "a%2Fb%20c", got)
	for _, bad := range []string{"", ".", ".."} {
		_, err := pathSegment("labelKey", bad)
		var ae *ArgError
		require.ErrorAs(t, err, &ae, "%q", bad)
		assert.Equal(t, "labelKey", ae.Arg)
	}
}

// A header value net/http would refuse is refused where it is given, before
// anything is sent, without the value in the error; a User-Agent suffix
// has its control characters replaced.
func TestHeaderValuesCheckedWhereGiven(t *testing.T) {
	c, seen := recordingClient(t, "https://api.example.com", http.StatusOK, `{}`)
	err := c.Do(context.Background(), http.MethodGet, "/organization", nil, nil, CallHeader("X-Trace", "secret\x01value"))
	var ae *ArgError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "CallHeader", ae.Arg)
	assert.NotContains(t, err.Error(), "secret")
	assert.Empty(t, *seen, "nothing sent")

	var ua string
	rt := rtFunc(func(r *http.Request) (*http.Response, error) {
		ua = r.Header.Get("User-Agent")
		return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(`{}`)), Request: r}, nil
	})
	c2, err := New(benchToken, WithBaseURL("https://api.example.com"), WithUserAgent("tool\x00/1\x7f.2"), WithHTTPClient(&http.Client{Transport: rt}))
	require.NoError(t, err)
	require.NoError(t, c2.Do(context.Background(), http.MethodGet, "/organization", nil, nil))
	assert.True(t, strings.HasSuffix(ua, " tool /1 .2"), ua)
}

// A request made by gen's builder may carry the value of a header
// parameter, which nothing checked: the transport still looks, and refuses
// it before anything is sent.
func TestBuiltRequestHeadersStillChecked(t *testing.T) {
	c, seen := recordingClient(t, "https://api.example.com", http.StatusOK, `{}`)
	req, err := http.NewRequest(http.MethodGet, c.server+"organization", nil)
	require.NoError(t, err)
	req.Header.Set("X-Label", "a\nInjected: 1")
	_, err = fetch[map[string]any](context.Background(), c, &operationDo, genRequest(req, nil), nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "control character")
	assert.Empty(t, *seen, "nothing sent")
}

// Of several Accept values given, the empty ones are dropped.
func TestAcceptKeepsTheValuesGiven(t *testing.T) {
	c, seen := recordingClient(t, "https://api.example.com", http.StatusOK, `{}`)
	require.NoError(t, c.Do(context.Background(), http.MethodGet, "/organization", nil, nil, CallHeader("Accept", ""), CallHeader("Accept", "text/plain")))
	require.Len(t, *seen, 1)
	assert.Equal(t, "text/plain", (*seen)[0].accept)
}
