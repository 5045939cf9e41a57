// Package api holds the OpenAPI description of the Qovery API that the rest of
// the module is generated from and tested against.
package api

import _ "embed"

// Spec is the raw bytes of openapi.yaml, so that tools and tests load exactly
// the file the client was generated from.
//
//go:embed openapi.yaml
var Spec []byte
