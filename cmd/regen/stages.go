package main

import (
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Regen reports every problem of a spec in one run, whichever stage finds
// it: bundling, normalising, lint and validation each list all of theirs,
// and a spec with problems is still generated, in memory, so that the
// service layer can name the operations it cannot serve. Nothing is
// written while there is a problem.

// laterProblems are the problems the service layer finds in a spec that
// already has some. The generator's own failures are dropped: they may
// well be the earlier problems again, said worse; and when it fails, or
// panics on a spec it was not meant to read, there is nothing to look at.
func laterProblems(o *options, in *inputs, s *spec, doc *openapi3.T, specName string) (ps []Problem, err error) {
	code, genErr := generateSafely(doc, in)
	if genErr != nil {
		return nil, nil
	}
	_, ps, err = serviceFiles(o, in.cfg, s, code, specName)
	return ps, err
}

// generateSafely is generate with a panic turned into an error.
func generateSafely(doc *openapi3.T, in *inputs) (code []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("oapi-codegen panicked: %v", r)
		}
	}()
	return generate(doc, in.cfg, in.version)
}

// generationProblems are the generator's failures on a spec that lint and
// validation found sound, one problem each.
func generationProblems(err error) []Problem {
	var ps []Problem
	for _, e := range leafErrors(err) {
		ps = append(ps, Problem{Msg: e.Error()})
	}
	return ps
}

// serviceProblems are the service layer's failures, one problem each, at
// the line of the operation each names.
func (s *spec) serviceProblems(err error) []Problem {
	var ps []Problem
	for _, e := range leafErrors(err) {
		for _, msg := range strings.Split(strings.TrimPrefix(e.Error(), "service layer: "), "; ") {
			ps = append(ps, s.operationProblem(msg))
		}
	}
	return sortProblems(ps)
}

// operationProblem locates a message of the service layer: at the
// operation it starts with, written as op.String() or as its operationId.
func (s *spec) operationProblem(msg string) Problem {
	for _, op := range s.ops {
		if rest, ok := strings.CutPrefix(msg, op.String()); ok {
			return Problem{Line: op.Line, Where: op.String(), Msg: strings.TrimPrefix(strings.TrimSpace(rest), ": ")}
		}
	}
	first, rest, _ := strings.Cut(msg, " ")
	for _, op := range s.ops {
		if op.ID != "" && strings.TrimSuffix(first, ":") == op.ID {
			if strings.HasSuffix(first, ":") {
				msg = rest
			}
			return Problem{Line: op.Line, Where: op.String(), Msg: msg}
		}
	}
	return Problem{Msg: msg}
}

// leafErrors flattens the trees errors.Join builds.
func leafErrors(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, leafErrors(e)...)
		}
		return out
	}
	return []error{err}
}
