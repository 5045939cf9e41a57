package qovery

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"

	"github.com/google/uuid"
)

// operationInfo names an operation for the errors of the generated
// services (services.gen.go), which read the typed answer of the generated
// client directly, with no reflection, and share Result's errors.
type operationInfo struct {
	name     string // gen's name of the operation, e.g. "GetDatabase"
	statuses string // the success statuses it decodes, e.g. "200 or 201"
}

func (o *operationInfo) shape() *respShape { return &respShape{op: o.name, statuses: o.statuses} }

// failed explains an error returned by a generated method, as Result does.
func (o *operationInfo) failed(err error) error { return scrubAll(o.shape().callError(err)) }

// decoded is Result for one operation: typed is the answer the generated
// client decoded (nil when it decoded none, for an undeclared 2xx status or
// a missing JSON content type, in which case body is decoded here).
func decoded[T any](o *operationInfo, hr *http.Response, body []byte, typed *T) (*T, error) {
	if hr == nil {
		return nil, fmt.Errorf("qovery: %s: no HTTP response", o.name)
	}
	v, err := answer(o.shape(), hr, body, typed)
	return v, scrubAll(err)
}

// identified is the answer v of an operation whose schema requires the
// resource's id, id being v's: the nil UUID means the field was missing,
// null or zero, and the answer is a *DecodeError, since the API gives that
// id to nothing and the caller's next call would act on no resource. The
// generated methods pass the id themselves, with no reflection.
func identified[T any](o *operationInfo, hr *http.Response, v *T, id uuid.UUID) (*T, error) {
	if id == uuid.Nil {
		return nil, scrubAll(o.shape().decodeError(hr, hr.StatusCode, errNoID))
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

// checked is Check for one operation: a DELETE among them takes a 404 after
// an attempt that may have deleted the object as success (deletedEarlier).
func checked(o *operationInfo, hr *http.Response, body []byte) error {
	if hr == nil {
		return fmt.Errorf("qovery: %s: no HTTP response", o.name)
	}
	return scrubAll(o.shape().bodiless(hr, body))
}

// Ptr returns a pointer to v, for the optional fields of request bodies:
//
//	qovery.ApplicationEditRequest{Description: qovery.Ptr("front end")}
func Ptr[T any](v T) *T { return &v }
