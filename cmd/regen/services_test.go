package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// servicesOfRepo generates the service layer from the repository's spec and
// generated client.
func servicesOfRepo(t *testing.T) (*spec, map[string][]byte) {
	t.Helper()
	s, genSrc, taken := serviceInputs(t)
	files, err := generateServices(s, genSrc, taken)
	require.NoError(t, err)
	return s, files
}

// serviceInputs reads what the service layer is generated from: the
// repository's spec, its generated client, and the methods package qovery
// writes by hand.
func serviceInputs(t *testing.T) (*spec, []byte, map[string]bool) {
	t.Helper()
	root := repoRoot(t)
	raw, err := os.ReadFile(filepath.Join(root, "api", "openapi.yaml"))
	require.NoError(t, err)
	s, problems := parseSpec(raw)
	require.Empty(t, problems)
	genSrc, err := os.ReadFile(filepath.Join(root, "gen", "qovery.gen.go"))
	require.NoError(t, err)
	taken, err := handwrittenNames(filepath.Join(root, "qovery"))
	require.NoError(t, err)
	return s, genSrc, taken
}

var operationIDLine = regexp.MustCompile(`(?m)^operationId: (\S+)$`)

// Every operation of the spec has exactly one method (its Iter and Wait
// companions aside), and no two operations share a method.
func TestEveryOperationHasOneMethod(t *testing.T) {
	s, files := servicesOfRepo(t)
	src := files[servicesFile]
	f, err := parser.ParseFile(token.NewFileSet(), servicesFile, src, parser.ParseComments)
	require.NoError(t, err)

	methodsOf := map[string][]string{} // operationId -> Service.Method
	seen := map[string]bool{}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv == nil || !strings.HasSuffix(receiverName(fd.Recv.List[0].Type), "Service") {
			continue
		}
		name := strings.TrimSuffix(receiverName(fd.Recv.List[0].Type), "Service") + "." + fd.Name.Name
		assert.False(t, seen[name], "%s is declared twice", name)
		seen[name] = true
		if fd.Name.Name == "Wait" { // polls its service's GetStatus
			assert.True(t, seen[strings.TrimSuffix(name, "Wait")+"GetStatus"], "%s without a GetStatus", name)
			continue
		}
		m := operationIDLine.FindStringSubmatch(fd.Doc.Text())
		if !assert.NotNil(t, m, "%s has no operationId in its comment", name) {
			continue
		}
		if !strings.HasSuffix(fd.Name.Name, "Iter") {
			methodsOf[m[1]] = append(methodsOf[m[1]], name)
		}
	}
	// The operations package qovery covers by hand: each method of the
	// table is declared there, on its service, and names its operation.
	declared := handwrittenServiceMethods(t)
	for id, hw := range handwrittenMethods {
		name := hw.Service + "." + hw.Method
		doc, ok := declared[name]
		if !assert.True(t, ok, "handwrittenMethods: %s is covered by %s, which package qovery does not declare", id, name) {
			continue
		}
		assert.False(t, seen[name], "%s is both generated and written by hand", name)
		assert.Regexp(t, `(?m)^operationId: `+regexp.QuoteMeta(id)+`\b`, doc, "%s: its comment does not name %s", name, id)
		assert.NotEmpty(t, hw.why, "handwrittenMethods: %s says not why", id)
		methodsOf[id] = append(methodsOf[id], name+" (by hand)")
	}
	require.Len(t, s.ops, declaredOperations(t), "the operations regen reads are those kin-openapi reads")
	for _, op := range s.ops {
		assert.Len(t, methodsOf[op.ID], 1, "%s: methods %v", op, methodsOf[op.ID])
		delete(methodsOf, op.ID)
	}
	assert.Empty(t, methodsOf, "methods for operations the spec does not have")
}

// declaredOperations counts the operations of the repository's spec as
// kin-openapi loads it, independently of regen's own reading.
func declaredOperations(t *testing.T) int {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repoRoot(t), "api", "openapi.yaml"))
	require.NoError(t, err)
	doc, err := loadDoc(raw)
	require.NoError(t, err)
	n := 0
	for _, item := range doc.Paths.Map() {
		n += len(item.Operations())
	}
	require.Positive(t, n)
	return n
}

// handwrittenServiceMethods reads the methods that the non-generated files
// of package qovery declare on the service types, with their comments.
func handwrittenServiceMethods(t *testing.T) map[string]string {
	t.Helper()
	dir := filepath.Join(repoRoot(t), "qovery")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	out := map[string]string{}
	fset := token.NewFileSet()
	for _, e := range entries {
		n := e.Name()
		if !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, ".gen.go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, n), nil, parser.ParseComments|parser.SkipObjectResolution)
		require.NoError(t, err)
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || !strings.HasSuffix(receiverName(fd.Recv.List[0].Type), "Service") {
				continue
			}
			out[strings.TrimSuffix(receiverName(fd.Recv.List[0].Type), "Service")+"."+fd.Name.Name] = fd.Doc.Text()
		}
	}
	return out
}

// The generator refuses a handwritten method it is not told about, and an
// entry of the table whose method is missing, rather than writing a package
// that does not compile or an operation without a method.
func TestHandwrittenMethodsAreChecked(t *testing.T) {
	s, genSrc, taken := serviceInputs(t)
	require.True(t, taken["DatabasesService.Clone"], "handwrittenNames reads the methods on services")

	missing := map[string]bool{}
	for k, v := range taken {
		missing[k] = v
	}
	delete(missing, "DatabasesService.Clone")
	_, err := generateServices(s, genSrc, missing)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cloneDatabase: handwrittenMethods gives it the method Databases.Clone, which package qovery does not declare")

	extra := map[string]bool{"DatabasesService.Get": true}
	for k, v := range taken {
		extra[k] = v
	}
	_, err = generateServices(s, genSrc, extra)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "getDatabase: package qovery declares Databases.Get by hand")
}

// Every exception in the table is still needed: it names an operation of the
// spec, and the rule alone gives that operation another method.
func TestOverridesAreNeeded(t *testing.T) {
	s, _ := servicesOfRepo(t)
	paths := map[string]bool{}
	byID := map[string]operation{}
	for _, op := range s.ops {
		paths[op.Path] = true
		byID[op.ID] = op
	}
	for id, want := range methodOverrides {
		op, ok := byID[id]
		if !assert.True(t, ok, "methodOverrides names %s, which the spec does not have", id) {
			continue
		}
		got := ruleFor(routeInfo{ID: op.ID, Method: op.Method, Path: op.Path}, paths)
		assert.NotEqual(t, want, got, "%s: the rule already gives %s.%s; drop the override", id, got.Service, got.Method)
	}
}

// Two operations the rule names alike each take the words of their
// operationId; when even those are one name, regen says so.
func TestMapOperationsSettlesTwoOperationsWithOneMethod(t *testing.T) {
	got, err := mapOperations([]routeInfo{
		{ID: "getThing", Method: "GET", Path: "/application/{applicationId}"},
		{ID: "readThing", Method: "GET", Path: "/application/{applicationId}"},
		{ID: "listEnvironmentLog", Method: "GET", Path: "/environment/{environmentId}/log", ListAnswer: true},
		{ID: "listEnvironmentLogs", Method: "GET", Path: "/environment/{environmentId}/logs", ListAnswer: true},
	})
	require.NoError(t, err)
	assert.Equal(t, map[string]serviceMethod{
		"getThing":            {"Applications", "GetThing"},
		"readThing":           {"Applications", "ReadThing"},
		"listEnvironmentLog":  {"Environments", "ListLog"},
		"listEnvironmentLogs": {"Environments", "ListLogs"},
	}, got)

	_, err = mapOperations([]routeInfo{
		{ID: "getApplication", Method: "GET", Path: "/application/{applicationId}"},
		{ID: "get", Method: "GET", Path: "/application/{applicationId}"},
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "get becomes Applications.Get, like another operation, and no other name is free")
}

func TestRule(t *testing.T) {
	all := []routeInfo{
		{"getDatabase", "GET", "/database/{databaseId}", false},
		{"editDatabase", "PUT", "/database/{databaseId}", false},
		{"listDatabase", "GET", "/environment/{environmentId}/database", true},
		{"createDatabase", "POST", "/environment/{environmentId}/database", false},
		{"cloneDatabase", "POST", "/database/{databaseId}/clone", false},
		{"getDatabaseStatus", "GET", "/database/{databaseId}/status", false},
		{"addBackupDatabase", "POST", "/database/{databaseId}/backup", false},
		{"removeDatabaseBackup", "DELETE", "/database/{databaseId}/backup/{backupId}", false},
		{"createApplicationEnvironmentVariableAlias", "POST", "/application/{applicationId}/environmentVariable/{environmentVariableId}/alias", false},
		{"getEnvironmentApplicationStatus", "GET", "/environment/{environmentId}/application/status", true},
		{"removeApplicationFromDatabase", "DELETE", "/database/{databaseId}/application/{targetApplicationId}", false},
		{"getOrganizationMembers", "GET", "/organization/{organizationId}/member", true},
		{"deleteMember", "DELETE", "/organization/{organizationId}/member/{userId}", false},
		{"listAWSRegions", "GET", "/aws/region", true},
		{"listCloudProvider", "GET", "/cloudProvider", true},
		{"organizationDownloadAllInvoices", "POST", "/organization/{organizationId}/downloadInvoices", false},
		{"getWidget", "GET", "/widget/{widgetId}", false},
	}
	want := []string{
		"Databases.Get", "Databases.Update", "Databases.List", "Databases.Create", "Databases.Clone",
		"Databases.GetStatus", "Backups.Create", "Backups.Delete", "ApplicationVariables.CreateAlias",
		"Environments.GetApplicationStatus", "Databases.RemoveApplication", "Organizations.ListMembers",
		"Organizations.DeleteMember", "CloudProviders.ListAWSRegions", "CloudProviders.List",
		"Organizations.DownloadAllInvoices", "Widgets.Get",
	}
	paths := map[string]bool{}
	for _, op := range all {
		paths[op.Path] = true
	}
	for i, op := range all {
		sm := ruleFor(op, paths)
		assert.Equal(t, want[i], sm.Service+"."+sm.Method, op.ID)
	}
}

func TestCamelWords(t *testing.T) {
	assert.Equal(t, []string{"list", "AWS", "Regions"}, camelWords("listAWSRegions"))
	assert.Equal(t, []string{"get", "Application", "Metric", "Cpu"}, camelWords("getApplicationMetricCpu"))
	assert.Equal(t, []string{"Stop", "Cluster"}, camelWords("StopCluster"))
}

// The services call the generated client by the names it declares, and the
// aliases never take a name package qovery declares by hand.
func TestAliasesLeaveHandwrittenNames(t *testing.T) {
	_, files := servicesOfRepo(t)
	taken, err := handwrittenNames(filepath.Join(repoRoot(t), "qovery"))
	require.NoError(t, err)
	require.True(t, taken["APIError"] && taken["Client"], "handwrittenNames reads package qovery")
	f, err := parser.ParseFile(token.NewFileSet(), typesFile, files[typesFile], 0)
	require.NoError(t, err)
	n := 0
	for _, d := range f.Decls {
		for _, sp := range d.(*ast.GenDecl).Specs {
			if ts, ok := sp.(*ast.TypeSpec); ok {
				n++
				assert.False(t, taken[ts.Name.Name], "alias %s hides a handwritten name", ts.Name.Name)
				assert.True(t, ts.Assign.IsValid(), "%s is not an alias", ts.Name.Name)
			}
		}
	}
	assert.Greater(t, n, 250, "aliases for the API's types")
	assert.NotContains(t, string(files[typesFile]), "ClientWithResponses")
}

// A method makes its request from the path template when gen's builder
// would put nothing but the path and a JSON body in it; anything more is
// left to gen's builder.
func TestDirectPathFromTemplate(t *testing.T) {
	ids := []svcArg{
		{genName: "orgId", name: "orgID", typ: "string", uuid: true},
		{genName: "tagName", name: "tagName", typ: "string"},
	}
	plain := "func NewGetTagRequest(server string) (*http.Request, error) { return http.NewRequest(\"GET\", server, nil) }"
	formQuery := ` queryValues := queryURL.Query()
	if params.Page != nil {
		if queryFrag, err := runtime.StyleParamWithOptions("form", true, "page", *params.Page, runtime.StyleParamOptions{ParamLocation: runtime.ParamLocationQuery, Type: "integer", Format: "int32"}); err != nil {`
	withParams := []svcArg{ids[0], {genName: "params", name: "opts", typ: "*GetTagParams"}}
	simple := ` runtime.StyleParamWithOptions("simple", false, "p", p, runtime.StyleParamOptions{ParamLocation: runtime.ParamLocationPath, Type: "string"})`
	cases := []struct {
		name, path, build string
		args              []svcArg
		want              string
	}{
		{"an ID and a string", "/org/{orgId}/tag/{tag-name}/x", plain + simple + simple, ids,
			`"/org/" + orgPath + "/tag/" + tagNamePath + "/x"`},
		{"a parameter last", "/org/{orgId}", plain + simple, ids[:1], `"/org/" + orgPath`},
		{"a path parameter in matrix style", "/org/{orgId}", plain + strings.Replace(simple, `"simple", false`, `"matrix", false`, 1), ids[:1], ""},
		{"a query in form style", "/org/{orgId}", plain + simple + formQuery, withParams, `"/org/" + orgPath`},
		{"a query in another style", "/org/{orgId}", plain + simple + strings.Replace(formQuery, `"form", true`, `"spaceDelimited", true`, 1), withParams, ""},
		{"a query as JSON", "/org/{orgId}", plain + simple + formQuery + " queryValues.Add(\"filter\", string(buf))", withParams, ""},
		{"a header", "/org/{orgId}", plain + simple + " req.Header.Set(\"X-Trace\", v)", ids[:1], ""},
		{"a path parameter of another type", "/org/{orgId}/page/{n}", plain + simple + simple, append(ids[:1:1], svcArg{genName: "n", name: "n", typ: "int"}), ""},
		{"a template parameter no argument fills", "/org/{orgId}/tag/{other}", plain + simple + simple, ids, ""},
		{"an argument the template lacks", "/org/{orgId}", plain, ids, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := &genAPI{builds: map[string]string{"NewGetTagRequest": tc.build}}
			m := &svcMethod{op: operation{ID: "getTag", Method: "GET", Path: tc.path}, goName: "GetTag", callArgs: tc.args}
			assert.Equal(t, tc.want, m.directPath(g))
		})
	}

	// A JSON body's builder hands the rest to its WithBody builder, which
	// is read too.
	body := []svcArg{ids[0], {genName: "body", name: "body", typ: "Tag"}}
	jsonBuild := `return NewPutTagRequestWithBody(server, orgId, "application/json", bodyReader)`
	put := &svcMethod{op: operation{ID: "putTag", Method: "PUT", Path: "/org/{orgId}"}, goName: "PutTag", callArgs: body}
	assert.Equal(t, `"/org/" + orgPath`, put.directPath(&genAPI{builds: map[string]string{"NewPutTagRequest": jsonBuild, "NewPutTagRequestWithBody": simple}}))
	assert.Empty(t, put.directPath(&genAPI{builds: map[string]string{"NewPutTagRequest": jsonBuild, "NewPutTagRequestWithBody": simple + ` req.Header.Set("X-Trace", v)`}}))

	// The form query is added by the method, as gen's builder would encode it.
	g := &genAPI{builds: map[string]string{"NewGetTagRequest": plain + simple + formQuery}}
	m := &svcMethod{op: operation{ID: "getTag", Method: "GET", Path: "/org/{orgId}"}, goName: "GetTag", callArgs: withParams}
	require.NotEmpty(t, m.directPath(g))
	assert.Equal(t, []string{
		"if opts != nil {",
		"\tif opts.Page != nil {",
		`		r.addQuery(runtime.StyleParamWithOptions("form", true, "page", *opts.Page, runtime.StyleParamOptions{ParamLocation: runtime.ParamLocationQuery, Type: "integer", Format: "int32"}))`,
		"\t}",
		"}",
	}, m.queryLines("opts", true))

	// A slice is read as it is, and sent only when set, as gen's builder
	// does; a parameter's name may hold "params." without misleading it.
	tricky := ` queryValues := queryURL.Query()
	if params.Ids != nil {
		if queryFrag, err := runtime.StyleParamWithOptions("form", true, "ids", params.Ids, runtime.StyleParamOptions{ParamLocation: runtime.ParamLocationQuery, Type: "array"}); err != nil {
	}
	if queryFrag, err := runtime.StyleParamWithOptions("form", true, "filter.params.x", params.FilterParamsX, runtime.StyleParamOptions{ParamLocation: runtime.ParamLocationQuery, Type: "string"}); err != nil {`
	g = &genAPI{builds: map[string]string{"NewGetTagRequest": plain + simple + tricky}}
	m = &svcMethod{op: operation{ID: "getTag", Method: "GET", Path: "/org/{orgId}"}, goName: "GetTag", callArgs: withParams}
	require.NotEmpty(t, m.directPath(g))
	assert.Equal(t, []string{
		"if p.Ids != nil {",
		`	r.addQuery(runtime.StyleParamWithOptions("form", true, "ids", p.Ids, runtime.StyleParamOptions{ParamLocation: runtime.ParamLocationQuery, Type: "array"}))`,
		"}",
		`r.addQuery(runtime.StyleParamWithOptions("form", true, "filter.params.x", p.FilterParamsX, runtime.StyleParamOptions{ParamLocation: runtime.ParamLocationQuery, Type: "string"}))`,
	}, m.queryLines("p", false))

	// A method left to gen's builder adds no query of its own.
	n := &svcMethod{op: operation{ID: "getTag", Method: "GET", Path: "/org/{orgId}/page/{n}"}, goName: "GetTag",
		callArgs: append(withParams[:2:2], svcArg{genName: "n", name: "n", typ: "int"})}
	require.Empty(t, n.directPath(&genAPI{builds: map[string]string{"NewGetTagRequest": plain + simple + simple + formQuery}}))
	assert.Empty(t, n.queryLines("opts", true))
}
