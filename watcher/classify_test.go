package watcher

import (
	"reflect"
	"testing"
)

func TestClassify(t *testing.T) {
	goApp := ClassifyOptions{Builds: true, Executable: "handler"}
	scriptApp := ClassifyOptions{Executable: "bin/handler"}
	tests := []struct {
		name    string
		paths   []string
		opts    ClassifyOptions
		want    Action
		reasons []string
	}{
		{"go source rebuilds", []string{"main.go"}, goApp, Rebuild, []string{"rebuild: main.go"}},
		{"nested go source rebuilds", []string{"internal/orders/orders.go"}, goApp, Rebuild, nil},
		{"go.mod and go.sum rebuild", []string{"go.sum", "go.mod"}, goApp, Rebuild, []string{"rebuild: go.mod, go.sum"}},
		{"embedded asset rebuilds", []string{"templates/page.html"}, goApp, Rebuild, nil},
		{"test file does nothing", []string{"main_test.go"}, goApp, Nothing, nil},
		{"ignore files do nothing", []string{".gitignore", ".funcignore", "sub/.gitignore"}, goApp, Nothing, nil},
		{"host.json reloads the index", []string{"host.json"}, goApp, ReloadIndex, []string{"reload index: host.json"}},
		{"function.json reloads the index", []string{"orders/function.json"}, goApp, ReloadIndex, nil},
		{"deep function.json is just a file", []string{"a/b/function.json"}, goApp, Rebuild, nil},
		{"deep host.json is just a file", []string{"x/host.json"}, scriptApp, Nothing, nil},
		{"the Event Grid subscriptions reload the index", []string{"funcemu.eventgrid.json"}, goApp, ReloadIndex,
			[]string{"reload index: funcemu.eventgrid.json"}},
		{"local.settings.json restarts and reloads", []string{"local.settings.json"}, goApp, RestartHandler | ReloadIndex,
			[]string{"reload index: local.settings.json", "restart handler: local.settings.json"}},
		{"function folder appearing reloads and rebuilds", []string{"orders/"}, goApp, ReloadIndex | Rebuild, nil},
		{"function folder in app without build reloads", []string{"orders/"}, scriptApp, ReloadIndex, nil},
		{"nested folder rebuilds only", []string{"internal/x/"}, goApp, Rebuild, nil},
		{"json config is case-insensitive", []string{"Host.JSON", "Orders/Function.json"}, scriptApp, ReloadIndex, nil},
		{"executable restarts an app without build", []string{"bin/handler"}, scriptApp, RestartHandler,
			[]string{"restart handler: bin/handler"}},
		{"other files do nothing without build", []string{"static/index.html", "main.py"}, scriptApp, Nothing, nil},
		{"executable path is cleaned", []string{"handler"}, ClassifyOptions{Executable: "./handler"}, RestartHandler, nil},
		{"no executable named, nothing restarts", []string{"handler"}, ClassifyOptions{}, Nothing, nil},
		{"everything at once", []string{"main.go", "host.json", "local.settings.json"}, goApp, Rebuild | ReloadIndex | RestartHandler,
			[]string{"rebuild: main.go", "reload index: host.json, local.settings.json", "restart handler: local.settings.json"}},
		{"long lists are cut", []string{"f.go", "e.go", "d.go", "c.go", "b.go", "a.go", "g.go"}, goApp, Rebuild,
			[]string{"rebuild: a.go, b.go, c.go, d.go, e.go and 2 more"}},
		{"empty batch", nil, goApp, Nothing, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Classify(tt.paths, tt.opts)
			if got.Actions != tt.want {
				t.Errorf("Actions = %v, want %v", got.Actions, tt.want)
			}
			if tt.reasons != nil && !reflect.DeepEqual(got.Reasons, tt.reasons) {
				t.Errorf("Reasons = %q, want %q", got.Reasons, tt.reasons)
			}
			if (got.Actions == Nothing) != (len(got.Reasons) == 0) {
				t.Errorf("Reasons = %q for actions %v: want one line per action", got.Reasons, got.Actions)
			}
		})
	}
}

func TestActionString(t *testing.T) {
	tests := []struct {
		a    Action
		want string
	}{
		{Nothing, "nothing"},
		{Rebuild, "rebuild"},
		{Rebuild | RestartHandler, "rebuild+restart handler"},
		{Rebuild | ReloadIndex | RestartHandler, "rebuild+reload index+restart handler"},
	}
	for _, tt := range tests {
		if got := tt.a.String(); got != tt.want {
			t.Errorf("%d.String() = %q, want %q", int(tt.a), got, tt.want)
		}
	}
	if !(Rebuild | ReloadIndex).Has(ReloadIndex) || Rebuild.Has(ReloadIndex) || Rebuild.Has(Nothing) {
		t.Error("Has answers wrong")
	}
}
