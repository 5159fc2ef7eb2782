package watcher

import (
	"strings"
	"testing"
)

// FuzzClassify checks that Classify treats every path on its own: the plan
// of a batch is the union of the plans of its paths, and each action comes
// with exactly one reason line.
func FuzzClassify(f *testing.F) {
	f.Add("main.go\nhost.json", true, "handler")
	f.Add("orders/function.json\nlocal.settings.json\norders/", false, "bin/handler")
	f.Add("a_test.go\n.gitignore\nx/.gitignore\n.funcignore", true, "")
	f.Add("handler\n./handler\n/\n\n", false, "./handler")
	f.Fuzz(func(t *testing.T, joined string, builds bool, exe string) {
		paths := strings.Split(joined, "\n")
		opts := ClassifyOptions{Builds: builds, Executable: exe}
		plan := Classify(paths, opts)
		var union Action
		for _, p := range paths {
			union |= Classify([]string{p}, opts).Actions
		}
		if plan.Actions != union {
			t.Fatalf("Classify(%q) = %v, union of single paths = %v", paths, plan.Actions, union)
		}
		lines := 0
		for _, n := range actionNames {
			if plan.Actions&n.action != 0 {
				lines++
			}
		}
		if len(plan.Reasons) != lines {
			t.Fatalf("%d reasons for %v: %q", len(plan.Reasons), plan.Actions, plan.Reasons)
		}
		if plan.Actions&^(Rebuild|ReloadIndex|RestartHandler) != 0 {
			t.Fatalf("unknown action bits in %d", plan.Actions)
		}
	})
}
