package main

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// The waits of the service layer: a Wait beside every GetStatus whose
// answer package qovery can read (statusObservers), and, in the methods of
// the operations listed in actionOperations, the record of an accepted
// action that such a Wait then waits for.

// actionKinds are the kinds of change package qovery records, and its
// name for each.
var actionKinds = map[string]string{
	"deploy":  "actionDeploy",
	"stop":    "actionStop",
	"restart": "actionRestart",
	"delete":  "actionDelete",
}

// waitable reports whether m reads the deployment status of a resource,
// which the waiter of package qovery polls: a GetStatus, taking path IDs
// only, whose answer statusObservers can read.
func (m *svcMethod) waitable() bool {
	if m.Method != "GetStatus" || statusObservers[m.result] == "" || len(m.args) == 0 {
		return false
	}
	for _, a := range m.args {
		if !a.uuid {
			return false
		}
	}
	return true
}

// resourceArg is the argument naming the resource m acts on or reads the
// status of: its last path ID.
func (m *svcMethod) resourceArg() (svcArg, bool) {
	for i := len(m.args) - 1; i >= 0; i-- {
		if m.args[i].uuid {
			return m.args[i], true
		}
	}
	return svcArg{}, false
}

// checkActions holds actionOperations to what the generated code assumes:
// each entry of the spec's operations has a generated method, of a known
// kind, whose answer is none or one statusObservers reads, on a service
// whose Wait reads the status of the same resource. all are every method,
// generated those regen writes. An entry the spec lacks is left to
// TestActionOperationsExist, as the specs of regen's own tests lack most.
func checkActions(all, generated []*svcMethod) error {
	byID := map[string]*svcMethod{}
	for _, m := range all {
		byID[m.op.ID] = m
	}
	waits := map[string]*svcMethod{}
	mine := map[string]bool{}
	for _, m := range generated {
		mine[m.op.ID] = true
		if m.waitable() {
			waits[m.Service] = m
		}
	}
	var errs []string
	for _, id := range sortedKeys(actionOperations) {
		if err := checkAction(id, byID[id], mine[id], waits); err != "" {
			errs = append(errs, id+": "+err)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("actionOperations in cmd/regen/naming.go: %s", strings.Join(errs, "; "))
	}
	return nil
}

func checkAction(id string, m *svcMethod, generated bool, waits map[string]*svcMethod) string {
	kind := actionOperations[id]
	switch {
	case m == nil:
		return ""
	case !generated:
		return "its method is written by hand; record the action there instead"
	case actionKinds[kind] == "":
		return fmt.Sprintf("unknown kind %q (want deploy, stop, restart or delete)", kind)
	case m.result != "" && statusObservers[m.result] == "":
		return fmt.Sprintf("its answer %s is not in statusObservers", m.result)
	}
	arg, ok := m.resourceArg()
	if !ok {
		return "its path has no ID"
	}
	w := waits[m.Service]
	if w == nil {
		return fmt.Sprintf("%s has no Wait to wait for it", m.Service)
	}
	if r, _ := w.resourceArg(); r.name != arg.name {
		return fmt.Sprintf("it acts on %s, but %s.Wait reads the status of %s", arg.name, m.Service, r.name)
	}
	return ""
}

// actionMethods are the names of the methods of ms that record an action.
func actionMethods(ms []*svcMethod) []string {
	var names []string
	for _, m := range ms {
		if m.action != "" {
			names = append(names, m.Method)
		}
	}
	sort.Strings(names)
	return names
}

// emitRecordedAnswer ends the method of an action: it hands back the answer
// as any method does, and records the action in the Client when the API
// accepted it (see accepted in package qovery). call maps gen's parameter
// names to the checked IDs.
func emitRecordedAnswer(b *bytes.Buffer, m *svcMethod, call map[string]string) {
	arg, _ := m.resourceArg()
	id, kind := call[arg.genName], actionKinds[m.action]
	if m.result == "" {
		fmt.Fprintf(b, "\tcode, err := c.c.send(ctx, &operation%s, &r, nil, options)\n", m.goName)
		fmt.Fprintf(b, "\tc.c.accepted(code, err, %s, %s, nil)\n\treturn err\n", id, kind)
		return
	}
	fmt.Fprintf(b, "\tanswer := new(%s)\n\tcode, err := c.c.send(ctx, &operation%s, &r, answer, options)\n", m.result, m.goName)
	b.WriteString("\tif err != nil {\n\t\tanswer = nil\n\t}\n")
	fmt.Fprintf(b, "\tc.c.accepted(code, err, %s, %s, %s(answer))\n\treturn answer, err\n", id, kind, statusObservers[m.result])
}

// emitWait writes Wait, which polls the GetStatus of m; actions are the
// methods of the service that record an action it waits for.
func emitWait(b *bytes.Buffer, m *svcMethod, actions []string) {
	kind := strings.ToLower(singular(m.Service))
	emitWaitDoc(b, m, kind, actions)
	var params []string
	for _, a := range m.args {
		params = append(params, a.name+" string")
	}
	fmt.Fprintf(b, "func (c *%sService) Wait(ctx context.Context, %s, target State) (*%s, error) {\n", m.Service, strings.Join(params, ", "), m.result)
	last := m.args[len(m.args)-1]
	for _, a := range m.args[:len(m.args)-1] {
		fmt.Fprintf(b, "\tif _, err := parseID(%q, %s); err != nil {\n\t\treturn nil, err\n\t}\n", a.name, a.name)
	}
	fmt.Fprintf(b, "\tkey, err := parseID(%q, %s)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n", last.name, last.name)
	var names []string
	for _, a := range m.args {
		names = append(names, a.name)
	}
	fmt.Fprintf(b, "\treturn waitStatus(ctx, c.c, resource{%q, %s, key}, target, func(ctx context.Context) (*%s, error) {\n", kind, last.name, m.result)
	fmt.Fprintf(b, "\t\treturn c.%s(ctx, %s)\n\t}, %s)\n}\n", m.Method, strings.Join(names, ", "), statusObservers[m.result])
}

func emitWaitDoc(b *bytes.Buffer, m *svcMethod, kind string, actions []string) {
	fmt.Fprintf(b, "\n// Wait polls %s %s\n", m.op.Method, m.op.Path)
	writeWrapped(b, "// ", "// ", fmt.Sprintf("until the %s's state is target, and returns that status; with StateSettled, until any final state (see State.Final), a failure state included, which is then no error.", kind))
	b.WriteString("//\n")
	var items []string
	if len(actions) > 0 {
		items = append(items, fmt.Sprintf("A Wait after an action of this Client on the %[2]s (%[1]s, within WaitPolicy.Timeout) waits for that action: its answer stands for the first read, and a final state read counts only once it cannot be the state from before the action (package documentation, section Waits). Otherwise the first read is at once and any state read counts.", orList(actions), kind))
	}
	items = append(items, "A failure state (see State.Failed) other than target ends the wait with a *StateError naming the state and its message.")
	if slices.Contains(actions, "Delete") {
		items = append(items, "When target is StateDeleted, 404 ends the wait with success and a nil status, and so do 403 and 400 after a Delete of this Client (then with StateSettled too), which the API may answer for a deleted resource. Otherwise they are returned as an *APIError.")
	} else {
		items = append(items, "When target is StateDeleted, 404 ends the wait with success and a nil status. Otherwise it is returned as an *APIError.")
	}
	items = append(items,
		"A poll answered 429 (or 503) with a time to come back is not repeated before it; a time past the end of the wait ends it at once with an error wrapping that *APIError (see WaitPolicy).",
		"Running out of WaitPolicy.Timeout gives an error matching ErrWaitTimeout, never nil, which names the states seen.",
		"Cancelling ctx returns at once with an error matching ctx.Err().",
		"WaitPolicy.OnStatus, when set, is told the states seen.")
	for _, it := range items {
		writeWrapped(b, "//   - ", "//     ", it)
	}
}

// writeWrapped writes text as comment lines of at most 76 columns, the
// first after first and the others after rest.
func writeWrapped(b *bytes.Buffer, first, rest, text string) {
	line := first
	for i, w := range strings.Fields(text) {
		if i > 0 && len(line)+1+len(w) > 76 {
			b.WriteString(line + "\n")
			line = rest + w
			continue
		}
		if i > 0 {
			line += " "
		}
		line += w
	}
	b.WriteString(line + "\n")
}

// orList is "A, B or C".
func orList(names []string) string {
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// emitObservers writes, for each type of statusObservers that gen
// declares, the function that reads in it what a wait needs: its state
// (field State, or Status; a string or an enum of strings), and its message
// and last deployment date when it has them. They are written from the
// spec, as they read its fields, so that the handwritten waits depend on
// no field name of it.
func emitObservers(b *bytes.Buffer, g *genAPI, namer *typeNamer) error {
	for _, name := range sortedKeys(statusObservers) {
		st := g.structOf(name)
		if st == nil {
			continue
		}
		state := field(st, "State")
		if state == nil {
			state = field(st, "Status")
		}
		if state == nil {
			return fmt.Errorf("%s, in statusObservers, has no field State or Status for a wait to read", name)
		}
		parts := []string{"state: State(deref(st." + state.Names[0].Name + "))"}
		if f := field(st, "Message"); f != nil && namer.expr(f.Type) == "*string" {
			parts = append(parts, "message: deref(st.Message)")
		}
		if f := field(st, "LastDeploymentDate"); f != nil && namer.expr(f.Type) == "*time.Time" {
			parts = append(parts, "deployedAt: st.LastDeploymentDate")
		}
		fmt.Fprintf(b, "\n// %s reads in a %s what a wait needs.\n", statusObservers[name], name)
		fmt.Fprintf(b, "func %s(st *%s) *observation {\n\tif st == nil {\n\t\treturn nil\n\t}\n", statusObservers[name], name)
		fmt.Fprintf(b, "\treturn &observation{%s}\n}\n", strings.Join(parts, ", "))
	}
	return nil
}
