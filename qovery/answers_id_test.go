package qovery

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// An answer whose schema requires the resource's id (DatabaseResponse and
// ApplicationResponse do) and comes without it, with null or with the nil
// UUID, is a *DecodeError: a zero id passed off as an answer would send the
// caller's next call to no resource.
func TestAnswerWithoutIDIsDecodeError(t *testing.T) {
	gets := map[string]func(c *Client) (any, error){
		"GetDatabase": func(c *Client) (any, error) {
			return c.Databases.Get(context.Background(), waitedDatabase)
		},
		"GetApplication": func(c *Client) (any, error) {
			return c.Applications.Get(context.Background(), waitedDatabase)
		},
		"EditDatabase": func(c *Client) (any, error) {
			return c.Databases.Update(context.Background(), waitedDatabase, DatabaseEditRequest{Name: Ptr("db")})
		},
	}
	for op, get := range gets {
		for _, body := range []string{`{}`, `{"id":"` + nilUUID + `"}`, `{"id":null,"name":"db"}`} {
			t.Run(op+" "+body, func(t *testing.T) {
				srv := serve(t, &counter{script: []int{http.StatusOK}, body: body})
				c, _ := newTestClient(t, srv.URL)
				v, err := get(c)
				var de *DecodeError
				if !errors.As(err, &de) || de.Operation != op || de.StatusCode != http.StatusOK ||
					!strings.Contains(err.Error(), "the answer has no id") {
					t.Fatalf("err = %v, want a *DecodeError of %s saying the answer has no id", err, op)
				}
				if !isNilPointer(v) {
					t.Errorf("answer = %+v, want nil", v)
				}
			})
		}
	}
}

// isNilPointer reports whether v, an answer of a service, holds no value.
func isNilPointer(v any) bool {
	switch p := v.(type) {
	case *DatabaseResponse:
		return p == nil
	case *ApplicationResponse:
		return p == nil
	}
	return v == nil
}
