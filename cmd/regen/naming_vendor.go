package main

import (
	"fmt"
	"go/token"
	"strings"
	"unicode"
)

// The naming rule of naming.go meets, in vendors' specs, path segments
// that are not Go names (/alert-receivers, /{serviceType}), first segments
// already plural (/clusters/{clusterId}), and operationIds that the rule
// names alike (listEnvironmentLog and listEnvironmentLogs both List the
// Logs). These are the rule's answers to them.

// goWord is a path segment as a Go name: its braces, dashes, dots and
// underscores dropped and each word capitalised; alert-receivers is
// AlertReceivers, {serviceType} is ServiceType.
func goWord(seg string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(seg, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		b.WriteString(exported(w))
	}
	name := b.String()
	if name == "" || unicode.IsDigit(rune(name[0])) {
		name = "X" + name
	}
	return name
}

// rootServiceName is the service of a first segment that the tables do
// not know and that no ID follows: plural when the path has items of its
// own (/widget and /widget/{widgetId} are both Widgets), as it is when an
// ID follows.
func rootServiceName(seg string, paths map[string]bool) string {
	if hasItemPath("/"+seg, paths) {
		return plural(goWord(seg))
	}
	return goWord(seg)
}

// clash is an operation whose method by the rule another operation has.
type clash struct {
	op routeInfo
	sm serviceMethod
}

// settleClashes tells apart the operations the rule names alike. Every
// one of them that no table names (methodOverrides, handwrittenMethods)
// takes the words of its operationId less its service's name
// (listEnvironmentLog on Environments is ListLog, listEnvironmentLogs is
// ListLogs), or failing that its whole operationId as a Go name, which
// lint keeps unique. ops are all the operations; out and byMethod hold
// the methods given so far, and the settled ones are added. It returns a
// message for each operation it could not name.
func settleClashes(clashes []clash, ops []routeInfo, out map[string]serviceMethod, byMethod map[serviceMethod]string) []string {
	byID := map[string]routeInfo{}
	for _, op := range ops {
		byID[op.ID] = op
	}
	var errs []string
	for _, c := range clashes {
		if first := byMethod[c.sm]; first != "" && !reviewed(first) {
			// The first to get the name by the rule gives it up too, and
			// takes its own words like the others: the one whose words
			// are the name gets it back.
			delete(byMethod, c.sm)
			delete(out, first)
			if sm, ok := freeName(byID[first], c.sm.Service, byMethod); ok {
				byMethod[sm], out[first] = first, sm
			}
		}
		sm, ok := freeName(c.op, c.sm.Service, byMethod)
		if !ok {
			errs = append(errs, fmt.Sprintf("%s becomes %s.%s, like another operation, and no other name is free; add it to methodOverrides in cmd/regen/naming.go", c.op.ID, c.sm.Service, c.sm.Method))
			continue
		}
		byMethod[sm], out[c.op.ID] = c.op.ID, sm
	}
	return errs
}

// reviewed reports whether a table names the operation's method.
func reviewed(id string) bool {
	_, over := methodOverrides[id]
	_, byHand := handwrittenMethods[id]
	return over || byHand
}

// freeName is the first name of op on service that no other method has:
// its operationId's words less the service's, then its whole operationId.
func freeName(op routeInfo, service string, byMethod map[serviceMethod]string) (serviceMethod, bool) {
	words := camelWords(op.ID)
	words = append(words[:1], without(words[1:], camelWords(singular(service)))...)
	var b strings.Builder
	for _, w := range words {
		b.WriteString(initialism(exported(w)))
	}
	for _, name := range []string{b.String(), goOperationName(op.ID)} {
		sm := serviceMethod{service, name}
		if _, taken := byMethod[sm]; !taken && token.IsIdentifier(name) {
			return sm, true
		}
	}
	return serviceMethod{}, false
}
