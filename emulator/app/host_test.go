package app

import (
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

func TestLoadDefaults(t *testing.T) {
	dir := writeApp(t, map[string]string{"f/function.json": httpFunction})
	a, err := Load(dir, Options{Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	h := a.Host
	want := emulator.HostConfig{
		Version:         "2.0",
		FunctionTimeout: 30 * time.Minute,
		CustomHandler: emulator.CustomHandler{
			ExecutablePath:        "handler", // no such file: left for PATH lookup
			WorkingDirectory:      dir,
			Arguments:             []string{},
			InitializationTimeout: 30 * time.Second,
		},
		RoutePrefix: "api",
		Queues: emulator.QueuesOptions{MaxPollingInterval: 2 * time.Second, BatchSize: 16,
			NewBatchThreshold: 8 * runtime.NumCPU(), MaxDequeueCount: 5, MessageEncoding: "base64"},
		Blobs: emulator.BlobsOptions{MaxDegreeOfParallelism: 8 * runtime.NumCPU(), PoisonBlobThreshold: 5},
	}
	if !reflect.DeepEqual(h, want) {
		t.Errorf("host =\n%+v\nwant\n%+v", h, want)
	}
	if len(a.Settings.Values) != 0 || len(a.Warnings) != 0 {
		t.Errorf("no local.settings.json: values %v, warnings %q", a.Settings.Values, a.Warnings)
	}
	b := a.Functions[0].Trigger()
	if b.AuthLevel != "function" || b.Methods != nil || b.Route != "" || !b.UseMonitor {
		t.Errorf("binding defaults = %+v", b)
	}
}

func TestLoadCustomHandlerPaths(t *testing.T) {
	tests := []struct {
		name     string
		host     string
		files    []string // created in the app folder
		exe, cwd string   // "$APP" stands for the app folder
		args     []string
		forward  bool
		warning  string
	}{
		{name: "relative file in app folder",
			host:  `"customHandler": {"description": {"defaultExecutablePath": "bin/handler"}}`,
			files: []string{"bin/handler"}, exe: "$APP/bin/handler", cwd: "$APP", args: []string{}},
		{name: "command on PATH",
			host: `"customHandler": {"description": {"defaultExecutablePath": "node", "arguments": ["server.js"]}}`,
			exe:  "node", cwd: "$APP", args: []string{"server.js"}},
		{name: "directory is not a file",
			host:  `"customHandler": {"description": {"defaultExecutablePath": "bin"}}`,
			files: []string{"bin/x"}, exe: "bin", cwd: "$APP", args: []string{}},
		{name: "working directory relative to app",
			host:  `"customHandler": {"description": {"defaultExecutablePath": "h", "workingDirectory": "run"}}`,
			files: []string{"h"}, exe: "$APP/h", cwd: "$APP/run", args: []string{}},
		{name: "worker directory",
			host:  `"customHandler": {"description": {"defaultExecutablePath": "h", "workerDirectory": "w", "defaultWorkerPath": "main.js", "workerArguments": ["--x"], "arguments": ["--inspect"]}}`,
			files: []string{"w/h"}, exe: "$APP/w/h", cwd: "$APP", args: []string{"--inspect", "main.js", "--x"}},
		{name: "setting in executable path",
			host:  `"customHandler": {"description": {"defaultExecutablePath": "%HANDLER_NAME%"}}`,
			files: []string{"real"}, exe: "$APP/real", cwd: "$APP", args: []string{}},
		{name: "legacy httpWorker forwards",
			host:  `"httpWorker": {"description": {"defaultExecutablePath": "h"}}`,
			files: []string{"h"}, exe: "$APP/h", cwd: "$APP", args: []string{}, forward: true,
			warning: "Section httpWorker will be deprecated. Please use customHandler section."},
		{name: "customHandler wins over httpWorker",
			host:  `"httpWorker": {"description": {"defaultExecutablePath": "old"}}, "customHandler": {"description": {"defaultExecutablePath": "new"}}`,
			files: []string{"new"}, exe: "$APP/new", cwd: "$APP", args: []string{},
			warning: "Both httpWorker and customHandler sections are specified in host.json file. customHandler takes precedence."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"host.json": `{"version": "2.0", ` + tt.host + `}`}
			for _, f := range tt.files {
				files[f] = "#!/bin/sh\n"
			}
			dir := writeApp(t, files)
			a, err := Load(dir, Options{Environ: []string{"HANDLER_NAME=real"}})
			if err != nil {
				t.Fatal(err)
			}
			app := func(s string) string { return filepath.FromSlash(strings.Replace(s, "$APP", dir, 1)) }
			ch := a.Host.CustomHandler
			if ch.ExecutablePath != app(tt.exe) || ch.WorkingDirectory != app(tt.cwd) || !reflect.DeepEqual(ch.Arguments, tt.args) {
				t.Errorf("got exe %q cwd %q args %q; want %q %q %q", ch.ExecutablePath, ch.WorkingDirectory, ch.Arguments, app(tt.exe), app(tt.cwd), tt.args)
			}
			if ch.EnableForwardingHttpRequest != tt.forward {
				t.Errorf("forwarding = %v, want %v", ch.EnableForwardingHttpRequest, tt.forward)
			}
			if tt.warning != "" && !contains(a.Warnings, tt.warning) {
				t.Errorf("warnings = %q, want %q", a.Warnings, tt.warning)
			}
		})
	}
}

func TestLoadHostJSONVariants(t *testing.T) {
	tests := []struct {
		name, host string
		check      func(t *testing.T, h emulator.HostConfig)
	}{
		{"BOM and comments", "\xef\xbb\xbf{ /* block */ \"version\": \"2.0\", // line\n" + `"customHandler": {"description": {"defaultExecutablePath": "h // not a comment"}}}`,
			func(t *testing.T, h emulator.HostConfig) {
				if h.CustomHandler.ExecutablePath != "h // not a comment" {
					t.Errorf("exe = %q", h.CustomHandler.ExecutablePath)
				}
			}},
		{"keys ignore case", `{"version": "2.0", "CUSTOMHANDLER": {"Description": {"DefaultExecutablePath": "h"}}, "Extensions": {"HTTP": {"RoutePrefix": "/x/"}}}`,
			func(t *testing.T, h emulator.HostConfig) {
				if h.CustomHandler.ExecutablePath != "h" || h.RoutePrefix != "x" {
					t.Errorf("exe %q prefix %q", h.CustomHandler.ExecutablePath, h.RoutePrefix)
				}
			}},
		{"empty route prefix", `{"version": "2.0", "extensions": {"http": {"routePrefix": ""}}, "customHandler": {"description": {"defaultExecutablePath": "h"}}}`,
			func(t *testing.T, h emulator.HostConfig) {
				if h.RoutePrefix != "" {
					t.Errorf("prefix %q, want none", h.RoutePrefix)
				}
			}},
		{"numbers as strings and unlimited timeout", `{"version": "2.0", "functionTimeout": "-1", "extensions": {"queues": {"batchSize": "4", "newBatchThreshold": 0, "visibilityTimeout": "00:00:30"}}, "customHandler": {"description": {"defaultExecutablePath": "h"}, "enableProxyingHttpRequest": true, "initializationTimeout": "00:01:00"}}`,
			func(t *testing.T, h emulator.HostConfig) {
				if h.FunctionTimeout != 0 || h.Queues.BatchSize != 4 || h.Queues.NewBatchThreshold != 0 || h.Queues.VisibilityTimeout != 30*time.Second {
					t.Errorf("host = %+v", h)
				}
				if !h.CustomHandler.EnableProxyingHttpRequest || !h.CustomHandler.Forwards() || h.CustomHandler.InitializationTimeout != time.Minute {
					t.Errorf("customHandler = %+v", h.CustomHandler)
				}
			}},
		{"functions allow-list from host.json", `{"version": "2.0", "functions": ["f"], "customHandler": {"description": {"defaultExecutablePath": "h"}}}`,
			func(t *testing.T, h emulator.HostConfig) {
				if !reflect.DeepEqual(h.Functions, []string{"f"}) {
					t.Errorf("functions = %v", h.Functions)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeApp(t, map[string]string{"host.json": tt.host})
			a, err := Load(dir, Options{Environ: []string{}})
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, a.Host)
		})
	}
}

func TestLoadSettingsWarningsAndOverrides(t *testing.T) {
	dir := writeApp(t, map[string]string{
		"local.settings.json": `{"IsEncrypted": true, "Values": {"AzureFunctionsJobHost__extensions__queues__batchSize": "2", "AzureFunctionsJobHost__functions__0": "g", "NULL": null}}`,
		"f/function.json":     httpFunction,
		"g/function.json":     httpFunction,
	})
	a, err := Load(dir, Options{Environ: []string{"AzureFunctionsJobHost__extensions__queues__batchSize=3"}})
	if err != nil {
		t.Fatal(err)
	}
	if w := a.Warnings; len(w) != 2 {
		t.Errorf("warnings = %q", w)
	}
	a, err = Load(dir, Options{Environ: []string{"AzureFunctionsJobHost__extensions__queues__batchSize=3", "FUNCTIONS_WORKER_RUNTIME=node"}})
	if err != nil {
		t.Fatal(err)
	}
	if a.Host.Queues.BatchSize != 3 {
		t.Errorf("batch size %d: the environment should beat Values", a.Host.Queues.BatchSize)
	}
	if got := names(a.Functions); !reflect.DeepEqual(got, []string{"g"}) {
		t.Errorf("functions = %v, want the allow-list from Values", got)
	}
	if v, ok := a.Settings.Values["NULL"]; !ok || v != "" {
		t.Errorf("null value = %q, %v", v, ok)
	}
	if len(a.Warnings) != 3 || !strings.Contains(a.Warnings[2], "FUNCTIONS_WORKER_RUNTIME is 'node'") || !strings.Contains(a.Warnings[0], "IsEncrypted") || !strings.Contains(a.Warnings[1], "Skipping 'AzureFunctionsJobHost__extensions__queues__batchSize'") {
		t.Errorf("warnings = %q", a.Warnings)
	}

	// The command line allow-list replaces host.json's and Values'.
	a, err = Load(dir, Options{Environ: []string{}, Functions: []string{"f"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := names(a.Functions); !reflect.DeepEqual(got, []string{"f"}) {
		t.Errorf("functions = %v, want f", got)
	}
}

func TestLoadSortsOrdinalIgnoreCase(t *testing.T) {
	files := map[string]string{}
	for _, n := range []string{"b", "A", "a_b", "C", "a-b", "a1"} {
		files[n+"/function.json"] = httpFunction
	}
	a, err := Load(writeApp(t, files), Options{Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	// Upper-cased ordinal order: '-' < '1' < 'A' < '_' ('_' sorts after letters).
	if got, want := names(a.Functions), []string{"A", "a-b", "a1", "a_b", "b", "C"}; !reflect.DeepEqual(got, want) {
		t.Errorf("order = %v, want %v", got, want)
	}
}

func TestLoadFolderErrors(t *testing.T) {
	if _, err := Load(filepath.Join(t.TempDir(), "missing"), Options{}); err == nil || !strings.Contains(err.Error(), "app folder") {
		t.Errorf("missing folder: %v", err)
	}
	dir := writeApp(t, map[string]string{"file.txt": "x"})
	if _, err := Load(filepath.Join(dir, "file.txt"), Options{}); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("file as folder: %v", err)
	}
}
