package main

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
	"gopkg.in/yaml.v3"

	"github.com/qoverykit/qovery-go/internal/editdistance"
)

// lint finds what makes oapi-codegen fail or emit code that does not compile,
// none of which kin-openapi's validation reports, each problem with its line.
// brokenRefs tells that some $ref does not resolve: kin-openapi's loader then
// stops at the first one, so its error adds nothing to these problems.
func (s *spec) lint() (ps []Problem, brokenRefs bool) {
	ps = s.lintRefs()
	brokenRefs = len(ps) > 0
	ps = append(ps, s.lintEnums()...)
	ps = append(ps, s.lintPathParams()...)
	ps = append(ps, s.lintOperationIDs()...)
	ps = append(ps, s.lintTypeNames()...)
	return ps, brokenRefs
}

// lintRefs: every $ref must point inside this document, under
// #/components/, at something that exists.
func (s *spec) lintRefs() []Problem {
	var ps []Problem
	walk(s.root, nil, func(keys []string, k, v *yaml.Node) {
		if k.Value != "$ref" || inProperties(keys) {
			return
		}
		where := s.describe(keys[:len(keys)-1])
		if v.Kind != yaml.ScalarNode {
			ps = append(ps, Problem{Line: k.Line, Where: where, Msg: "$ref must be a string such as #/components/schemas/Name"})
			return
		}
		ref := v.Value
		if strings.HasPrefix(ref, "#/paths/") {
			return // normalize inlines it, or says where it points at nothing
		}
		if !strings.HasPrefix(ref, "#/components/") {
			ps = append(ps, Problem{Line: v.Line, Where: where, Msg: fmt.Sprintf(
				"$ref %q points outside #/components/; the generator only handles references to components of this file, "+
					"so move the target under components and refer to it as #/components/<section>/<Name>", ref)})
			return
		}
		tokens := strings.Split(strings.TrimPrefix(ref, "#/"), "/")
		for i, t := range tokens {
			tokens[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
		}
		if len(tokens) != 3 {
			ps = append(ps, Problem{Line: v.Line, Where: where, Msg: fmt.Sprintf(
				"$ref %q should name a whole component: #/components/<section>/<Name>", ref)})
			return
		}
		if s.at(tokens...) != nil {
			return
		}
		msg := fmt.Sprintf("$ref %q names a component that does not exist", ref)
		if near := s.nearestComponent(tokens[1], tokens[2]); near != "" {
			msg += fmt.Sprintf("; did you mean #/components/%s/%s?", tokens[1], near)
		} else if componentKinds[tokens[1]] == "" {
			msg += fmt.Sprintf("; %q is not a component section", tokens[1])
		}
		ps = append(ps, Problem{Line: v.Line, Where: where, Msg: msg})
	})
	return ps
}

// nearestComponent suggests an existing component name close to name.
func (s *spec) nearestComponent(section, name string) string {
	sec := s.at("components", section)
	if sec == nil || sec.Kind != yaml.MappingNode {
		return ""
	}
	best, bestDist := "", 3 // suggest only within two edits
	for i := 0; i+1 < len(sec.Content); i += 2 {
		c := sec.Content[i].Value
		d := editdistance.Levenshtein(strings.ToLower(c), strings.ToLower(name))
		if strings.EqualFold(c, name) {
			d = 0
		}
		if d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// lintEnums: no null in an enum list (the generator cannot make a constant
// of it; nullable: true says the same thing) and no value listed twice (two
// identical constants do not compile).
func (s *spec) lintEnums() []Problem {
	var ps []Problem
	walk(s.root, nil, func(keys []string, k, v *yaml.Node) {
		if k.Value != "enum" || inProperties(keys) || v.Kind != yaml.SequenceNode {
			return
		}
		where := s.describe(keys)
		seen := map[string]int{}
		for _, item := range v.Content {
			item = deref(item)
			if item.Kind != yaml.ScalarNode {
				continue
			}
			if item.Tag == "!!null" {
				ps = append(ps, Problem{Line: item.Line, Where: where, Msg: "enum lists null; remove it and put nullable: true on the schema instead"})
				continue
			}
			if first, dup := seen[item.Value]; dup {
				ps = append(ps, Problem{Line: item.Line, Where: where, Msg: fmt.Sprintf("enum lists %q twice (first on line %d); remove one", item.Value, first)})
				continue
			}
			seen[item.Value] = item.Line
		}
	})
	return ps
}

// goOperationName is the Go name oapi-codegen derives from an operationId:
// the method on Client and the stem of every per-operation type.
func goOperationName(id string) string {
	return codegen.ToCamelCase(id)
}

// lintOperationIDs: every operation has an operationId, and no two become the
// same Go method (an exact duplicate, or ids differing only in the case of
// the first letter or in separators: updateCluster and UpdateCluster, or
// get-foo and getFoo).
func (s *spec) lintOperationIDs() []Problem {
	var ps []Problem
	byName := map[string][]operation{}
	var names []string
	for _, op := range s.ops {
		if op.ID == "" {
			ps = append(ps, Problem{Line: op.Line, Where: op.String(), Msg: "has no operationId; add one (it becomes the Go method name)"})
			continue
		}
		name := goOperationName(op.ID)
		if byName[name] == nil {
			names = append(names, name)
		}
		byName[name] = append(byName[name], op)
	}
	for _, name := range names {
		group := byName[name]
		for _, op := range group[1:] {
			first := group[0]
			var msg string
			if op.ID == first.ID {
				msg = fmt.Sprintf("operationId %q is already used by %s on line %d; operationIds must be unique", op.ID, first, first.Line)
			} else {
				msg = fmt.Sprintf("operationId %q and %q (%s, line %d) both become the Go method %s; rename one of them",
					op.ID, first.ID, first, first.Line, name)
			}
			ps = append(ps, Problem{Line: op.Line, Where: op.String(), Msg: msg})
		}
	}
	return ps
}

// clientNames are declared once by the client templates whatever the spec.
var clientNames = []string{
	"Client", "ClientInterface", "ClientOption", "ClientWithResponses", "ClientWithResponsesInterface",
	"HttpRequestDoer", "RequestEditorFn", "NewClient", "NewClientWithResponses",
	"WithBaseURL", "WithHTTPClient", "WithRequestEditorFn",
}

// typeComponentSections are the component sections that become Go types.
var typeComponentSections = []string{"schemas", "parameters", "requestBodies", "responses"}

// generatedName is a package-level Go name the generator will declare, and
// what it is declared for.
type generatedName struct {
	line int
	what string
}

// lintTypeNames: no component becomes a Go name the generator also uses for
// something else: <Op>Response, <Op>Params, <Op>JSONBody, <Op>JSONRequestBody,
// New<Op>Request, Parse<Op>Response, the client types, or another component
// of the same section.
func (s *spec) lintTypeNames() []Problem {
	taken, ps := s.operationTypeNames()
	for _, section := range typeComponentSections {
		ps = append(ps, s.lintComponentNames(section, taken)...)
	}
	return ps
}

// operationTypeNames returns the Go names the generated client declares
// (its own and those of every operation), with the operations whose names
// collide with one already taken.
func (s *spec) operationTypeNames() (map[string]generatedName, []Problem) {
	var ps []Problem
	taken := map[string]generatedName{}
	for _, n := range clientNames {
		taken[n] = generatedName{what: "the generated client"}
	}
	seenOps := map[string]bool{}
	for _, op := range s.ops {
		name := goOperationName(op.ID)
		if name == "" || seenOps[name] {
			continue // no operationId, or a duplicate already reported
		}
		seenOps[name] = true
		for _, g := range s.operationNames(op, name) {
			if prev, ok := taken[g.name]; ok {
				ps = append(ps, Problem{Line: op.Line, Where: op.String(), Msg: fmt.Sprintf(
					"the generator would declare %s as %s, but it is already %s%s; rename the operationId",
					g.name, g.what, prev.what, lineSuffix(prev.line))})
				continue
			}
			taken[g.name] = g.generatedName
		}
	}
	return taken, ps
}

// lintComponentNames reports the components of one section whose Go type
// name is that of another component of the section, or one in taken.
func (s *spec) lintComponentNames(section string, taken map[string]generatedName) []Problem {
	sec := s.at("components", section)
	if sec == nil || sec.Kind != yaml.MappingNode {
		return nil
	}
	type comp struct {
		name string
		line int
	}
	var comps []comp
	for i := 0; i+1 < len(sec.Content); i += 2 {
		comps = append(comps, comp{sec.Content[i].Value, sec.Content[i].Line})
	}
	sort.SliceStable(comps, func(i, j int) bool { return comps[i].line < comps[j].line })
	var ps []Problem
	sectionNames := map[string]comp{}
	for _, c := range comps {
		kind := componentKinds[section]
		where := kind + " " + c.name
		typ := codegen.SchemaNameToTypeName(c.name)
		if prev, ok := sectionNames[typ]; ok {
			ps = append(ps, Problem{Line: c.line, Where: where, Msg: fmt.Sprintf(
				"becomes the Go type %s, like %s %s on line %d; rename one of them", typ, kind, prev.name, prev.line)})
			continue
		}
		sectionNames[typ] = c
		if prev, ok := taken[typ]; ok {
			ps = append(ps, Problem{Line: c.line, Where: where, Msg: fmt.Sprintf(
				"becomes the Go type %s, which the generator also declares as %s%s; rename the %s (for example %s)",
				typ, prev.what, lineSuffix(prev.line), kind, suggestRename(typ))})
		}
	}
	return ps
}

func lineSuffix(line int) string {
	if line == 0 {
		return ""
	}
	return fmt.Sprintf(" (line %d)", line)
}

func suggestRename(typ string) string {
	for _, suf := range []string{"Response", "Params", "RequestBody", "Body", "Request"} {
		if strings.HasSuffix(typ, suf) && len(typ) > len(suf) {
			return strings.TrimSuffix(typ, suf) + map[string]string{
				"Response": "Result", "Params": "Options", "RequestBody": "Input", "Body": "Payload", "Request": "Input",
			}[suf]
		}
	}
	return typ + "Object"
}

type namedGen struct {
	name string
	generatedName
}

// operationNames lists the package-level names the generator declares for one
// operation whose Go name is name. These are oapi-codegen's rules, restated
// so that a collision can be reported at its line in the spec;
// TestLintPredictsGeneratedNames holds them to the generator itself.
func (s *spec) operationNames(op operation, name string) []namedGen {
	g := func(n, what string) namedGen {
		return namedGen{n, generatedName{op.Line, what + " of " + op.String()}}
	}
	out := []namedGen{
		g(name+"Response", "the response type"),
		g("Parse"+name+"Response", "the response parser"),
	}
	if s.hasObjectParams(op) {
		out = append(out, g(name+"Params", "the parameters type"))
	}
	body := s.resolve(mapValue(op.Node, "requestBody"), "requestBodies")
	content := mapValue(body, "content")
	if content == nil || content.Kind != yaml.MappingNode {
		return append(out, g("New"+name+"Request", "the request builder"))
	}
	out = append(out, g("New"+name+"RequestWithBody", "the raw-body request builder"))
	for i := 0; i+1 < len(content.Content); i += 2 {
		ct := content.Content[i].Value
		tag := bodyNameTag(ct)
		if tag == "" {
			continue
		}
		out = append(out, g(name+tag+"RequestBody", "the "+ct+" request body type"))
		switch tag {
		case "JSON":
			// A JSON body is the one New<Op>Request takes.
			out = append(out, g("New"+name+"Request", "the request builder"))
		case "Multipart":
			// Built by the caller with a multipart.Writer: no builder of its own.
		default:
			out = append(out, g("New"+name+"RequestWith"+tag+"Body", "the "+ct+" request builder"))
		}
		schema := mapValue(deref(content.Content[i+1]), "schema")
		if _, ref := lookup(schema, "$ref"); ref == nil && schema != nil {
			out = append(out, g(name+tag+"Body", "the inline "+ct+" body type"))
		}
	}
	return out
}

// bodyNameTag is the word oapi-codegen puts in body type names for a media
// type, or "" for media types it passes through as io.Reader.
func bodyNameTag(ct string) string {
	switch {
	case ct == "application/json":
		return "JSON"
	case strings.HasPrefix(ct, "multipart/"):
		return "Multipart"
	case ct == "application/x-www-form-urlencoded":
		return "Formdata"
	case ct == "text/plain":
		return "Text"
	}
	return ""
}

// hasObjectParams reports whether the operation (or its path item) has query,
// header or cookie parameters, which the generator gathers into <Op>Params.
func (s *spec) hasObjectParams(op operation) bool {
	lists := []*yaml.Node{mapValue(op.Node, "parameters"), s.at("paths", op.Path, "parameters")}
	for _, list := range lists {
		if list == nil || list.Kind != yaml.SequenceNode {
			continue
		}
		for _, p := range list.Content {
			p = s.resolve(deref(p), "parameters")
			if _, in := lookup(p, "in"); in != nil && in.Value != "path" {
				return true
			}
		}
	}
	return false
}

// resolve follows a #/components/<section>/ $ref on n, once.
func (s *spec) resolve(n *yaml.Node, section string) *yaml.Node {
	_, ref := lookup(n, "$ref")
	if ref == nil {
		return n
	}
	prefix := "#/components/" + section + "/"
	if !strings.HasPrefix(ref.Value, prefix) {
		return nil
	}
	return s.at("components", section, strings.TrimPrefix(ref.Value, prefix))
}

func mapValue(n *yaml.Node, key string) *yaml.Node {
	_, v := lookup(n, key)
	return v
}

var templateVarRE = regexp.MustCompile(`\{([^{}]+)\}`)

// lintPathParams: the {names} in a path template and the operation's
// in: path parameters (its own and its path item's) must be the same set.
// kin-openapi only compares their numbers; oapi-codegen stops at the first
// name it cannot find.
func (s *spec) lintPathParams() []Problem {
	var ps []Problem
	for _, op := range s.ops {
		inTemplate := map[string]bool{}
		for _, m := range templateVarRE.FindAllStringSubmatch(op.Path, -1) {
			inTemplate[m[1]] = true
		}
		declared := map[string]bool{}
		unresolved := false // a broken $ref, reported by lintRefs
		for _, list := range []*yaml.Node{s.at("paths", op.Path, "parameters"), mapValue(op.Node, "parameters")} {
			if list == nil || list.Kind != yaml.SequenceNode {
				continue
			}
			for _, p := range list.Content {
				if p = s.resolve(deref(p), "parameters"); p == nil {
					unresolved = true
					continue
				}
				_, in := lookup(p, "in")
				_, name := lookup(p, "name")
				if in == nil || name == nil || in.Value != "path" {
					continue
				}
				declared[name.Value] = true
				if !inTemplate[name.Value] {
					ps = append(ps, Problem{Line: name.Line, Where: op.String(), Msg: fmt.Sprintf(
						"declares path parameter %q but the path has no {%s}; fix the name or the path", name.Value, name.Value)})
				}
			}
		}
		for _, m := range templateVarRE.FindAllStringSubmatch(op.Path, -1) {
			if !declared[m[1]] && !unresolved {
				ps = append(ps, Problem{Line: op.Line, Where: op.String(), Msg: fmt.Sprintf(
					"the path has {%s} but no parameter with name: %s and in: path; add one (required: true)", m[1], m[1])})
			}
		}
	}
	return ps
}
