package qovery

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"

	"github.com/google/uuid"
)

// operationInfo names an operation for the errors of the calls that send
// it (see Client.send), which are Result's errors.
type operationInfo struct {
	name     string // gen's name of the operation, e.g. "GetDatabase"
	statuses string // the success statuses it decodes, e.g. "200 or 201"
	do       bool   // Do's, which names no operation of the spec
}

// operationDo is what Do's errors name.
var operationDo = operationInfo{name: "Do", do: true}

// The operations whose method is written by hand (handwrittenMethods in
// cmd/regen/naming.go), as their errors name them.
var (
	operationCloneDatabase     = operationInfo{name: "CloneDatabase", statuses: "202"}
	operationCloneApplication  = operationInfo{name: "CloneApplication", statuses: "202"}
	operationCloneEnvironment  = operationInfo{name: "CloneEnvironment", statuses: "202"}
	operationAddBackupDatabase = operationInfo{name: "AddBackupDatabase", statuses: "201"}
)

func (o *operationInfo) shape() *respShape { return &respShape{op: o.name, statuses: o.statuses} }

// failed explains an error returned by a generated method, as Result does.
func (o *operationInfo) failed(err error) error { return scrubAll(o.shape().callError(err)) }

// identified is the answer v of an operation whose schema requires the
// resource's id, id being v's: the nil UUID means the field was missing,
// null or zero, and the answer is a *DecodeError, since the API gives that
// id to nothing and the caller's next call would act on no resource. The
// generated methods pass the id themselves, with no reflection.
// c and r are the Client and the request that got the answer.
func identified[T any](o *operationInfo, c *Client, r *request, code int, v *T, id uuid.UUID) (*T, error) {
	if id == uuid.Nil {
		e := &DecodeError{Operation: o.name, Method: r.method, Path: c.pathOf(r), StatusCode: code, Err: errNoID}
		return nil, scrubAll(e)
	}
	return v, nil
}

// answer is the typed answer of a call, for Result and the generated
// services alike: a status outside 2xx is an error (statusError); a 2xx
// whose body is JSON null, empty or blank is a *DecodeError, even when the
// generated client decoded it (it decodes null to a zero value); typed, the
// answer the generated client decoded, is taken as is; failing that the
// body is decoded here. The errors are not scrubbed: the callers do that.
func answer[T any](sh *respShape, hr *http.Response, body []byte, typed *T) (*T, error) {
	code := hr.StatusCode
	if code < 200 || code > 299 {
		return nil, sh.statusError(hr, body)
	}
	trimmed := bytes.TrimSpace(body)
	if bytes.Equal(trimmed, []byte("null")) && reflect.TypeFor[T]().Kind() != reflect.Interface {
		return nil, sh.decodeError(hr, code, errNullBody)
	}
	if typed != nil {
		return typed, nil
	}
	if len(trimmed) == 0 {
		return nil, sh.decodeError(hr, code, errors.New("empty body"))
	}
	out := new(T)
	if err := json.Unmarshal(body, out); err != nil {
		return nil, sh.decodeError(hr, code, err)
	}
	return out, nil
}

// Ptr returns a pointer to v, for the optional fields of request bodies:
//
//	qovery.ApplicationEditRequest{Description: qovery.Ptr("front end")}
func Ptr[T any](v T) *T { return &v }
