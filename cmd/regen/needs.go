package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// A need is what a handwritten file of the service layer reads of the
// spec: an operation, by its operationId (the API's stable contract), and
// the properties it sets in the request body or reads in the success
// answer, as JSON paths ("status.status_details.status"; "results[].id"
// for the items of a list). It is checked before anything is generated, so
// that a spec change that takes away what a helper relies on is named, with
// the helper, rather than left to the compiler or to a wrong answer at run
// time.
type need struct {
	file    string   // the handwritten file, in the service layer's directory
	helper  string   // what needs it, e.g. "Databases.Clone"
	op      string   // operationId
	request []string // properties of the JSON request body it sets
	answer  []string // properties of the success answer it reads
}

// handwrittenNeeds lists them. A need is checked only when its file is in
// the service layer's directory: the runtime copied beside another spec's
// services has none of these helpers.
var handwrittenNeeds = []need{
	{file: "clone.go", helper: "Databases.Clone", op: "cloneDatabase",
		request: []string{"name", "environment_id"}, answer: []string{"id"}},
	{file: "clone.go", helper: "Applications.Clone", op: "cloneApplication",
		request: []string{"name", "environment_id"}, answer: []string{"id", "git_repository.deployed_commit_id"}},
	{file: "clone.go", helper: "Applications.Clone (the commit to deploy)", op: "getApplication",
		answer: []string{"git_repository.deployed_commit_id"}},
	{file: "clone.go", helper: "Applications.Clone (WithDeploy)", op: "deployApplication",
		request: []string{"git_commit_id"}},
	{file: "clone.go", helper: "Databases.Clone (WithDeploy)", op: "deployDatabase"},
	{file: "clone.go", helper: "Environments.Clone", op: "cloneEnvironment",
		request: []string{"name", "cluster_id", "mode"}, answer: []string{"id"}},
	{file: "backup.go", helper: "Backups.Create", op: "addBackupDatabase",
		request: []string{"name", "message"}, answer: []string{"id"}},
	{file: "backup.go", helper: "Backups.Latest, Backups.Wait, BackupPhaseOf", op: "listDatabaseBackup",
		answer: []string{"results", "page_size", "results[].id", "results[].created_at", "results[].updated_at",
			"results[].status.state", "results[].status.status_details.status",
			"results[].status.steps.details[].status", "results[].status.steps.details[].step_name"}},
}

// needsProblems checks handwrittenNeeds against doc, for the handwritten
// files found in servicesDir.
func needsProblems(doc *openapi3.T, servicesDir string) []Problem {
	ops := map[string]*openapi3.Operation{}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			ops[op.OperationID] = op
		}
	}
	var ps []Problem
	for _, n := range handwrittenNeeds {
		if _, err := os.Stat(filepath.Join(servicesDir, n.file)); err != nil {
			continue
		}
		op := ops[n.op]
		if op == nil {
			ps = append(ps, n.problem("operation %s, which the spec no longer has", n.op))
			continue
		}
		for _, p := range n.request {
			if !hasPath(requestSchema(op), p) {
				ps = append(ps, n.problem("%s of the request body of %s, which the spec no longer has", p, n.op))
			}
		}
		for _, p := range n.answer {
			if !hasPath(answerSchema(op), p) {
				ps = append(ps, n.problem("%s in the answer of %s, which the spec no longer has", p, n.op))
			}
		}
	}
	return ps
}

func (n need) problem(format string, args ...any) Problem {
	return Problem{Where: "operation " + n.op, Msg: fmt.Sprintf("%s (qovery/%s) needs ", n.helper, n.file) + fmt.Sprintf(format, args...)}
}

func requestSchema(op *openapi3.Operation) *openapi3.SchemaRef {
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return nil
	}
	if mt := op.RequestBody.Value.Content.Get("application/json"); mt != nil {
		return mt.Schema
	}
	return nil
}

// answerSchema is the JSON schema of op's first success answer.
func answerSchema(op *openapi3.Operation) *openapi3.SchemaRef {
	if op.Responses == nil {
		return nil
	}
	for _, code := range []string{"200", "201", "202"} {
		r := op.Responses.Value(code)
		if r == nil || r.Value == nil {
			continue
		}
		if mt := r.Value.Content.Get("application/json"); mt != nil {
			return mt.Schema
		}
	}
	return nil
}

// hasPath reports whether schema has the property path p, looking through
// allOf and, for "name[]", into the items of an array.
func hasPath(schema *openapi3.SchemaRef, p string) bool {
	if p == "" {
		return schema != nil
	}
	head, rest, _ := strings.Cut(p, ".")
	name, items := strings.CutSuffix(head, "[]")
	prop := property(schema, name)
	if prop == nil {
		return false
	}
	if items {
		if prop.Value == nil || prop.Value.Items == nil {
			return false
		}
		prop = prop.Value.Items
	}
	return hasPath(prop, rest)
}

// property is the schema of the property name of schema, or of one of its
// allOf parts.
func property(schema *openapi3.SchemaRef, name string) *openapi3.SchemaRef {
	if schema == nil || schema.Value == nil {
		return nil
	}
	if p := schema.Value.Properties[name]; p != nil {
		return p
	}
	for _, part := range schema.Value.AllOf {
		if p := property(part, name); p != nil {
			return p
		}
	}
	return nil
}
