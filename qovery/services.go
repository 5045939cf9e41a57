package qovery

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
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
func (o *operationInfo) failed(err error) error { return o.shape().callError(err) }

// decoded is Result for one operation: typed is the answer the generated
// client decoded (nil when it decoded none, for an undeclared 2xx status or
// a missing JSON content type, in which case body is decoded here).
func decoded[T any](o *operationInfo, hr *http.Response, body []byte, typed *T) (*T, error) {
	if hr == nil {
		return nil, fmt.Errorf("qovery: %s: no HTTP response", o.name)
	}
	if hr.StatusCode < 200 || hr.StatusCode > 299 {
		return nil, o.shape().statusError(hr, body)
	}
	if typed != nil {
		return typed, nil
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, o.shape().decodeError(hr, hr.StatusCode, errors.New("empty body"))
	}
	out := new(T)
	if err := json.Unmarshal(body, out); err != nil {
		return nil, o.shape().decodeError(hr, hr.StatusCode, err)
	}
	return out, nil
}

// checked is Check for one operation.
func checked(o *operationInfo, hr *http.Response, body []byte) error {
	if hr == nil {
		return fmt.Errorf("qovery: %s: no HTTP response", o.name)
	}
	if hr.StatusCode < 200 || hr.StatusCode > 299 {
		return o.shape().statusError(hr, body)
	}
	return nil
}

// Ptr returns a pointer to v, for the optional fields of request bodies:
//
//	qovery.ApplicationEditRequest{Description: qovery.Ptr("front end")}
func Ptr[T any](v T) *T { return &v }
