package app

import (
	"strings"
	"testing"
)

func TestNearestBindingType(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"queuTrigger":      "queueTrigger",
		"queu":             "queue",
		"BlobTriger":       "blobTrigger",
		"httptrigger ":     "httpTrigger",
		"servicebustriger": "serviceBusTrigger",
		"foo":              "",
		"x":                "",
		"carrierPigeon":    "",
	}
	for in, want := range tests {
		if got := nearestBindingType(in); got != want {
			t.Errorf("nearestBindingType(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNotEmulatedBindingsLoad(t *testing.T) {
	t.Parallel()
	dir := writeApp(t, map[string]string{
		"bus/function.json": `{"bindings": [{"type": "serviceBusTrigger", "direction": "in", "name": "msg", "queueName": "jobs"},
			{"type": "cosmosDB", "direction": "out", "name": "doc"},
			{"type": "sql", "direction": "in", "name": "rows"}]}`,
		"ok/function.json": httpFunction,
	})
	a, err := Load(dir, Options{Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Broken) != 0 || len(a.Functions) != 2 {
		t.Fatalf("functions %v, broken %v: want both loaded", names(a.Functions), a.Broken)
	}
	bus := a.Function("bus")
	if !bus.Trigger().NotEmulated || !bus.Bindings[1].NotEmulated {
		t.Errorf("bus bindings not marked as not emulated: %+v", bus.Bindings)
	}
	if a.Function("ok").Trigger().NotEmulated {
		t.Error("httpTrigger marked as not emulated")
	}
	all := strings.Join(a.Warnings, "\n")
	for _, want := range []string{
		`bus/function.json: bindings[1]: the cosmosDB output "doc" is not emulated`,
		`bus/function.json: bindings[2]: the sql input "rows" is not emulated`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings:\n%s\nwant %q", all, want)
		}
	}
}

func TestRoutePrefixBreaksOnlyHTTPFunctions(t *testing.T) {
	t.Parallel()
	dir := writeApp(t, map[string]string{
		"host.json":          `{"version": "2.0", "extensions": {"http": {"routePrefix": "t/{id}"}}, "customHandler": {"description": {"defaultExecutablePath": "handler"}}}`,
		"web/function.json":  `{"bindings": [{"type": "httpTrigger", "direction": "in", "name": "req", "route": "items/{id}"}]}`,
		"tick/function.json": `{"bindings": [{"type": "timerTrigger", "direction": "in", "name": "t", "schedule": "0 * * * * *"}]}`,
	})
	a, err := Load(dir, Options{Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Functions) != 1 || a.Functions[0].Name != "tick" {
		t.Errorf("functions = %v, want only tick", names(a.Functions))
	}
	if len(a.Broken) != 1 || !strings.HasPrefix(a.Broken[0].Error(), `web/function.json: bindings[0].route: with routePrefix "t/{id}"`) {
		t.Errorf("broken = %v", a.Broken)
	}
}
