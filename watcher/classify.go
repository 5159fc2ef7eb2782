package watcher

import (
	"fmt"
	"path"
	"sort"
	"strings"
)

// Action is what a batch of changes asks of the running app. It is a bit
// set: one batch can ask for several.
type Action int

const (
	// Rebuild builds the handler and swaps the new build in.
	Rebuild Action = 1 << iota
	// ReloadIndex reloads host.json and the function folders and hands the
	// new index to the host, leaving the handler running.
	ReloadIndex
	// RestartHandler restarts the handler process with a fresh environment.
	RestartHandler

	// Nothing is the empty set: the changes need no action.
	Nothing Action = 0
)

// Has reports whether a includes every action of b.
func (a Action) Has(b Action) bool { return a&b == b && b != Nothing }

func (a Action) String() string {
	if a == Nothing {
		return "nothing"
	}
	var names []string
	for _, n := range actionNames {
		if a&n.action != 0 {
			names = append(names, n.name)
		}
	}
	return strings.Join(names, "+")
}

var actionNames = []struct {
	action Action
	name   string
}{{Rebuild, "rebuild"}, {ReloadIndex, "reload index"}, {RestartHandler, "restart handler"}}

// Plan is what to do about one batch, and why.
type Plan struct {
	Actions Action
	// Reasons has one line per action naming the paths that caused it,
	// e.g. "rebuild: main.go, go.mod".
	Reasons []string
}

// ClassifyOptions describe the app whose paths are classified.
type ClassifyOptions struct {
	// Builds is true when the app has a build step: a go.mod at its root,
	// or a custom build command.
	Builds bool
	// Executable is the handler executable, slash-separated and relative to
	// the app root. For apps without a build step a change to it restarts
	// the handler; for apps with one it is a build output and never seen.
	Executable string
}

// Classify decides what a batch of changed paths (slash-separated,
// relative to the app root, folders with a trailing "/") asks for. It is a
// pure function of its arguments.
//
//   - host.json at the root and <function>/function.json reload the index,
//     and so does a function folder that appears, disappears or is renamed.
//   - local.settings.json restarts the handler with its new Values, and
//     reloads the index too, since settings feed %Setting% expressions and
//     AzureWebJobs.<Name>.Disabled.
//   - funcemu.eventgrid.json (the Event Grid subscriptions) reloads the
//     index, which reloads the subscriptions.
//   - In an app with a build step, every other path rebuilds: Go sources,
//     go.mod, go.sum, and any other file, since //go:embed may include it.
//     Only _test.go files and the ignore files themselves, which go build
//     never reads, are left out.
//   - In an app without a build step, a changed executable restarts the
//     handler and other files do nothing: the handler reads them itself.
func Classify(paths []string, opts ClassifyOptions) Plan {
	byAction := map[Action][]string{}
	var plan Plan
	for _, p := range paths {
		a := classifyPath(p, opts)
		for _, n := range actionNames {
			if a&n.action != 0 {
				byAction[n.action] = append(byAction[n.action], p)
			}
		}
		plan.Actions |= a
	}
	for _, n := range actionNames {
		if ps := byAction[n.action]; len(ps) > 0 {
			plan.Reasons = append(plan.Reasons, n.name+": "+listPaths(ps))
		}
	}
	return plan
}

func classifyPath(p string, opts ClassifyOptions) Action {
	isDir := strings.HasSuffix(p, "/")
	p = strings.TrimSuffix(p, "/")
	dir, name := path.Split(p)
	dir = strings.TrimSuffix(dir, "/")
	topLevel := dir == ""
	switch {
	case topLevel && strings.EqualFold(name, "host.json"):
		return ReloadIndex
	case topLevel && strings.EqualFold(name, "local.settings.json"):
		return RestartHandler | ReloadIndex
	case topLevel && strings.EqualFold(name, eventGridFile):
		return ReloadIndex
	case !strings.Contains(dir, "/") && dir != "" && strings.EqualFold(name, "function.json"):
		return ReloadIndex
	case name == gitIgnoreName || (topLevel && name == funcIgnoreName):
		return Nothing
	}
	var a Action
	if isDir && topLevel {
		a |= ReloadIndex
	}
	switch {
	case opts.Builds && !strings.HasSuffix(name, "_test.go"):
		a |= Rebuild
	case !opts.Builds && opts.Executable != "" && p == path.Clean(opts.Executable):
		a |= RestartHandler
	}
	return a
}

// listPaths names up to five paths, sorted, and counts the rest.
func listPaths(ps []string) string {
	ps = append([]string(nil), ps...)
	sort.Strings(ps)
	const shown = 5
	if len(ps) <= shown {
		return strings.Join(ps, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(ps[:shown], ", "), len(ps)-shown)
}

// eventGridFile is the Event Grid subscriptions file (eventgrid.ConfigFile).
const eventGridFile = "funcemu.eventgrid.json"
