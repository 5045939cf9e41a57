package main

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// The service layer gives every operation one method, Service.Method. Which
// service and which method is decided here, by one rule and a short table of
// exceptions; TestEveryOperationHasOneMethod holds the result to "every
// operation a method, no method twice".
//
// The rule, on the operation's path:
//
//  1. Walk the path's segments. A segment names a resource when the resources
//     table knows it under the current service and it is followed by its ID
//     ({applicationId}) or ends the path (a collection). The service is the
//     last resource named; the first segment starts from the root ("").
//     A first segment the table does not know still names a service (its
//     name, plural when an ID follows), so a new part of the API gets one.
//  2. Segments after the last resource (a status, an action, a link to
//     another resource by its {target...Id}) are the rest.
//  3. With no rest, the method is the verb of the shape: Get, Update, Delete
//     on an item; List, Create on a collection (Get when the collection's
//     answer is not a list). A POST on an item, and any other shape, takes
//     its verb from the operationId.
//  4. With a rest, the method is the operationId without the names of the
//     resources the path already identifies (getApplicationStatus on
//     Applications is GetStatus), "edit" read as Update, a leading "post"
//     dropped, and Get read as List when the path is a collection whose
//     items have their own path (getOrganizationMembers is ListMembers).
//     A List names a plural.
//
// Exceptions, where the rule gives a name that collides or misleads, are in
// methodOverrides. The operations whose method is written by hand are in
// handwrittenMethods.

// resources maps "service/segment" to the service that segment names under
// it; "/segment" is a first segment. Segments absent here are not resources
// of their own: they end up in the method name of the service before them.
var resources = map[string]string{
	"/organization":    "Organizations",
	"/project":         "Projects",
	"/environment":     "Environments",
	"/application":     "Applications",
	"/container":       "Containers",
	"/database":        "Databases",
	"/logicalDatabase": "LogicalDatabases",

	"Organizations/project":           "Projects",
	"Organizations/cluster":           "Clusters",
	"Organizations/containerRegistry": "ContainerRegistries",
	"Organizations/webhook":           "Webhooks",
	"Organizations/apiToken":          "APITokens",

	"Projects/environment":         "Environments",
	"Projects/environmentVariable": "ProjectVariables",
	"Projects/secret":              "ProjectSecrets",
	"Projects/deploymentRule":      "ProjectDeploymentRules",

	"Environments/application":         "Applications",
	"Environments/container":           "Containers",
	"Environments/database":            "Databases",
	"Environments/environmentVariable": "EnvironmentVariables",
	"Environments/secret":              "EnvironmentSecrets",
	"Environments/deploymentRule":      "EnvironmentDeploymentRules",

	"Applications/environmentVariable":   "ApplicationVariables",
	"Applications/secret":                "ApplicationSecrets",
	"Applications/customDomain":          "ApplicationCustomDomains",
	"Applications/deploymentRestriction": "ApplicationDeploymentRestrictions",

	"Containers/environmentVariable": "ContainerVariables",
	"Containers/secret":              "ContainerSecrets",
	"Containers/customDomain":        "ContainerCustomDomains",

	"Databases/backup":          "Backups",
	"Databases/logicalDatabase": "LogicalDatabases",
}

// rootServices maps first segments that are not followed by an ID (the
// account of the caller, catalogues of the cloud providers) to a service.
var rootServices = map[string]string{
	"account":                            "Account",
	"admin":                              "Account",
	"aws":                                "CloudProviders",
	"scaleway":                           "CloudProviders",
	"digitalOcean":                       "CloudProviders",
	"cloudProvider":                      "CloudProviders",
	"availableContainerRegistry":         "ContainerRegistries",
	"defaultApplicationAdvancedSettings": "Applications",
}

// methodOverrides are the reviewed exceptions to the rule, by operationId.
// Each says why.
var methodOverrides = map[string]serviceMethod{
	// POST .../update starts an update of the cluster's version; Update is
	// the PUT that edits its settings.
	"UpdateCluster": {"Clusters", "Upgrade"},
	// The operationIds run "Database" and "to" together.
	"attachDatabasetoApplication":        {"Applications", "AttachDatabase"},
	"attachLogicalDatabasetoApplication": {"Applications", "AttachLogicalDatabase"},
	// The verb comes last in these operationIds.
	"organizationGithubAppConnect":    {"Organizations", "ConnectGithubApp"},
	"organizationGithubAppDisconnect": {"Organizations", "DisconnectGithubApp"},
	"postAccountRewardClaim":          {"Account", "ClaimReward"},
	// Actions on a collection of variables or rules belong to that
	// collection's service, not to its owner's.
	"importEnvironmentVariable":          {"ApplicationVariables", "Import"},
	"importContainerEnvironmentVariable": {"ContainerVariables", "Import"},
	"updateDeploymentRulesPriorityOrder": {"ProjectDeploymentRules", "UpdatePriorityOrder"},
	// The account's sign-up lives under /admin.
	"createUserSignUp": {"Account", "CreateSignUp"},
	"getUserSignUp":    {"Account", "GetSignUp"},
}

// handwrittenMethods are the operations whose method package qovery writes
// by hand, on the generated service type, because the job takes more than
// one call or a rule of its own: the generator writes no method for them,
// and fails if the method is not declared in package qovery. It is the
// reviewed list of what a caller gets that the spec alone does not say;
// TestEveryOperationHasOneMethod checks that each entry exists and that
// every operation still has exactly one method. Each says why.
var handwrittenMethods = map[string]handwritten{
	// Clones take the new name and target as arguments, check them, and
	// with WithDeploy deploy the clone and wait for it (clone.go).
	"cloneDatabase":    {serviceMethod{"Databases", "Clone"}, "deploys and waits with WithDeploy"},
	"cloneApplication": {serviceMethod{"Applications", "Clone"}, "deploys at a known commit and waits with WithDeploy"},
	"cloneEnvironment": {serviceMethod{"Environments", "Clone"}, "takes the cluster and mode as options, deploys and waits with WithDeploy"},
	// Backups (backup.go).
	"addBackupDatabase": {serviceMethod{"Backups", "Create"}, "refuses an empty name before sending"},
}

// handwritten is an entry of handwrittenMethods.
type handwritten struct {
	serviceMethod
	why string
}

type serviceMethod struct {
	Service, Method string
}

// routeInfo is what the rule needs to know about an operation.
type routeInfo struct {
	ID     string // operationId
	Method string // HTTP method, upper case
	Path   string
	// ListAnswer reports whether the success body is a list (has results).
	ListAnswer bool
}

// mapOperations applies the rule and the overrides to every operation and
// returns the service and method of each, by operationId. Operations the
// rule names alike are told apart by settleClashes; it fails when even
// that cannot, naming both.
func mapOperations(ops []routeInfo) (map[string]serviceMethod, error) {
	paths := map[string]bool{}
	for _, op := range ops {
		paths[op.Path] = true
	}
	out := make(map[string]serviceMethod, len(ops))
	byMethod := map[serviceMethod]string{}
	var clashes []clash
	for _, op := range ops {
		sm, ok := methodOverrides[op.ID]
		if hw, written := handwrittenMethods[op.ID]; written {
			sm, ok = hw.serviceMethod, true
		}
		if !ok {
			sm = ruleFor(op, paths)
		}
		if _, dup := byMethod[sm]; dup {
			clashes = append(clashes, clash{op, sm})
			continue
		}
		byMethod[sm] = op.ID
		out[op.ID] = sm
	}
	if errs := settleClashes(clashes, ops, out, byMethod); len(errs) > 0 {
		sort.Strings(errs)
		return nil, fmt.Errorf("service layer: %s", strings.Join(errs, "; "))
	}
	return out, nil
}

// ruleFor is the rule described at the top of this file.
func ruleFor(op routeInfo, paths map[string]bool) serviceMethod {
	segs := strings.Split(strings.Trim(op.Path, "/"), "/")
	service, item := "", false
	var named, rest []string // segments naming resources; the rest
	for i := 0; i < len(segs); i++ {
		s := segs[i]
		idNext := i+1 < len(segs) && isParam(segs[i+1]) && !isLink(segs[i+1])
		if len(rest) == 0 && !isParam(s) && (idNext || i == len(segs)-1) {
			if next, ok := resources[service+"/"+s]; ok {
				service, item = next, idNext
				named = append(named, s)
				if idNext {
					i++
				}
				continue
			}
			if i == 0 && idNext {
				service, item = plural(goWord(s)), true
				named = append(named, s)
				i++
				continue
			}
		}
		if i == 0 {
			service = rootServices[s]
			if service == "" {
				service = rootServiceName(s, paths)
			}
			named = append(named, singular(service))
		}
		rest = append(rest, s)
	}
	if len(rest) == 0 {
		if m := shapeVerb(op, item); m != "" {
			return serviceMethod{service, m}
		}
	}
	return serviceMethod{service, nameFromID(op, named, paths)}
}

// shapeVerb is the method of an operation on an item or a collection itself,
// or "" when the shape has no verb of its own.
func shapeVerb(op routeInfo, item bool) string {
	switch {
	case item && op.Method == "GET":
		return "Get"
	case item && op.Method == "PUT":
		return "Update"
	case item && op.Method == "DELETE":
		return "Delete"
	case !item && op.Method == "GET" && op.ListAnswer:
		return "List"
	case !item && op.Method == "GET":
		return "Get"
	case !item && op.Method == "POST":
		return "Create"
	}
	return ""
}

// nameFromID is the operationId less the resources the path names.
func nameFromID(op routeInfo, named []string, paths map[string]bool) string {
	words := camelWords(op.ID)
	switch strings.ToLower(words[0]) {
	case "edit":
		words[0] = "Update"
	case "post":
		if len(words) > 1 {
			words = words[1:]
		}
	}
	for _, n := range named {
		words = append(words[:1], without(words[1:], camelWords(n))...)
		if len(words) > 1 && strings.EqualFold(words[0], n) { // organizationDownloadAllInvoices
			words = words[1:]
		}
	}
	verb, rest := exported(words[0]), words[1:]
	for len(rest) > 0 && prepositions[rest[len(rest)-1]] {
		rest = rest[:len(rest)-1]
	}
	if verb == "Get" && op.Method == "GET" && hasItemPath(op.Path, paths) {
		verb = "List"
	}
	if verb == "List" && len(rest) > 0 {
		rest[len(rest)-1] = plural(rest[len(rest)-1])
	}
	var b strings.Builder
	b.WriteString(verb)
	for _, w := range rest {
		b.WriteString(initialism(exported(w)))
	}
	return b.String()
}

// hasItemPath reports whether path is a collection whose items have a path
// of their own (path/{id}).
func hasItemPath(path string, paths map[string]bool) bool {
	prefix := path + "/{"
	for p := range paths {
		if strings.HasPrefix(p, prefix) && !strings.Contains(p[len(prefix):], "/") {
			return true
		}
	}
	return false
}

func isParam(seg string) bool { return strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") }

// isLink reports whether a path parameter names another resource that the
// operation links to or unlinks from ({targetApplicationId}), rather than
// the item of the collection before it.
func isLink(seg string) bool { return strings.HasPrefix(seg, "{target") }

// without removes the first run of words equal (ignoring case, and a plural
// s) to drop.
func without(words, drop []string) []string {
	n := len(drop)
	for i := 0; i+n <= len(words); i++ {
		match := true
		for j := range drop {
			a, b := strings.ToLower(words[i+j]), strings.ToLower(drop[j])
			if a != b && (j != n-1 || a != b+"s") {
				match = false
				break
			}
		}
		if match {
			return append(append([]string{}, words[:i]...), words[i+n:]...)
		}
	}
	return words
}

// camelWords splits an identifier at its case changes: "listAWSRegions" is
// list, AWS, Regions.
func camelWords(s string) []string {
	var words []string
	r := []rune(s)
	start := 0
	for i := 1; i < len(r); i++ {
		lowerToUpper := unicode.IsLower(r[i-1]) && unicode.IsUpper(r[i])
		acronymEnd := unicode.IsUpper(r[i-1]) && unicode.IsUpper(r[i]) && i+1 < len(r) && unicode.IsLower(r[i+1])
		digit := unicode.IsDigit(r[i]) != unicode.IsDigit(r[i-1])
		if lowerToUpper || acronymEnd || digit || r[i] == '_' || r[i] == '-' {
			if w := strings.Trim(string(r[start:i]), "_-"); w != "" {
				words = append(words, w)
			}
			start = i
		}
	}
	if w := strings.Trim(string(r[start:]), "_-"); w != "" {
		words = append(words, w)
	}
	return words
}

func exported(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

func singular(service string) string {
	switch {
	case strings.HasSuffix(service, "ies"):
		return service[:len(service)-3] + "y"
	case strings.HasSuffix(service, "s"):
		return service[:len(service)-1]
	}
	return service
}

// prepositions end operationIds that name the resource last
// (removeDatabaseFromApplication), which the path already names.
var prepositions = map[string]bool{"From": true, "To": true, "On": true, "For": true}

func plural(w string) string {
	switch {
	case strings.HasSuffix(w, "s"), strings.HasSuffix(w, "able"), w == "History", w == "Information":
		return w
	case strings.HasSuffix(w, "y") && len(w) > 1 && !strings.ContainsRune("aeiou", rune(w[len(w)-2])):
		return w[:len(w)-1] + "ies"
	}
	return w + "s"
}

// initialism writes the initialisms Go names keep in capitals.
func initialism(w string) string {
	switch w {
	case "Api", "Cpu", "Pdf", "Url", "Id", "Aws":
		return strings.ToUpper(w)
	case "Apis", "Urls", "Ids":
		return strings.ToUpper(w[:len(w)-1]) + "s"
	}
	return w
}

// actionOperations are the operations that start a change of a resource's
// deployment state, by operationId, with the kind of change: the generated
// method records each one the API accepts in its Client, so that a Wait on
// the resource that follows waits for that change rather than trusting a
// status read that may still show the state from before it (package
// qovery, wait_status.go). The resource is the last ID of the path, and
// its service must have a Wait; generateServices fails otherwise. An
// operation that moves no status of its own, or one not listed here, is
// not recorded, and a Wait after it keeps its plain meaning.
var actionOperations = map[string]string{
	"deployApplication":  "deploy",
	"stopApplication":    "stop",
	"restartApplication": "restart",
	"deleteApplication":  "delete",

	"deployContainer":  "deploy",
	"stopContainer":    "stop",
	"restartContainer": "restart",
	"deleteContainer":  "delete",

	"deployDatabase":  "deploy",
	"stopDatabase":    "stop",
	"restartDatabase": "restart",
	"deleteDatabase":  "delete",

	"deployEnvironment":  "deploy",
	"stopEnvironment":    "stop",
	"restartEnvironment": "restart",
	"deleteEnvironment":  "delete",
	// These deploy the environment's services, which moves the
	// environment's own status as a deploy of it does.
	"deployAllApplications": "deploy",
	"deployAllServices":     "deploy",

	"deployCluster": "deploy",
	"StopCluster":   "stop",
	"deleteCluster": "delete",
	// POST .../update deploys the cluster at a new version.
	"UpdateCluster": "deploy",
	// cancelEnvironmentDeployment is left out: it ends a deployment rather
	// than starting one, and the state before it is in progress, which no
	// wait takes for an outcome.
}

// statusObservers name, by the type of a status or of an action's answer,
// the function that reads in it what a wait needs, which regen writes from
// the type's fields (see emitObservers). A GetStatus whose answer has one
// gets a Wait.
var statusObservers = map[string]string{
	"Status":                          "observeStatus",
	"ClusterStatusResponse":           "observeClusterStatus",
	"ClusterDeploymentStatusResponse": "observeClusterAction",
}
