package app

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator"
)

// fuzzConfig defines a couple of settings the seeds refer to.
var fuzzConfig = NewConfig(&emulator.App{Settings: emulator.Settings{Values: map[string]string{"Q": "Jobs", "S": "0 * * * * *"}}}, []string{})

// checkFileError demands the error shape every load problem has.
func checkFileError(t *testing.T, err error, file string) {
	t.Helper()
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Fatalf("error %T %q is not a *FileError", err, err)
	}
	if fe.File != file || !strings.HasPrefix(err.Error(), file) {
		t.Fatalf("error %q does not name %s", err, file)
	}
	if emulator.ErrorCode(err) != emulator.EINVALID {
		t.Fatalf("error %q has code %q", err, emulator.ErrorCode(err))
	}
}

func addSeedFiles(f *testing.F, pattern string) {
	paths, _ := filepath.Glob(pattern)
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
}

// FuzzHostJSON feeds arbitrary host.json text through parsing and decoding.
func FuzzHostJSON(f *testing.F) {
	addSeedFiles(f, "testdata/app/host.json")
	for _, s := range []string{
		minimalHost,
		`{}`,
		`{"version": 2.0}`,
		`{"version": "2.0", "httpWorker": {"description": {"defaultExecutablePath": "%Q%", "arguments": "[\"a\"]"}}}`,
		`{"version": "2.0", "functionTimeout": "-1", "retry": {"strategy": "exponentialBackoff", "maxRetryCount": 3, "minimumInterval": "1.00:00", "maximumInterval": "2:00:00:00"}, "customHandler": {"description": {"defaultExecutablePath": "h"}}}`,
		`{"version": "2.0", "extensions": {"queues": {"batchSize": "x"}}}`,
		"{\"version\": \"2.0\" /* unterminated",
	} {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, raw []byte) {
		obj, err := parseHostJSON(raw)
		if err != nil {
			checkFileError(t, err, hostFile)
			return
		}
		tr := tree{}
		tr.flatten("", obj)
		h, _, err := decodeHost(tr, dir, fuzzConfig)
		if err != nil {
			checkFileError(t, err, hostFile)
			return
		}
		if h.Version != "2.0" || h.CustomHandler.ExecutablePath == "" || h.FunctionTimeout < 0 ||
			h.Queues.BatchSize < 1 || h.Queues.BatchSize > 32 || h.Queues.MaxDequeueCount < 1 ||
			h.Blobs.PoisonBlobThreshold < 1 || h.CustomHandler.InitializationTimeout <= 0 {
			t.Fatalf("decoded host breaks its invariants: %+v", h)
		}
		if r := h.Retry; r != nil && (r.MaxRetryCount < -1 || r.MaximumInterval < r.MinimumInterval) {
			t.Fatalf("retry breaks its invariants: %+v", r)
		}
	})
}

// FuzzFunctionJSON feeds arbitrary function.json text through loading.
func FuzzFunctionJSON(f *testing.F) {
	addSeedFiles(f, "testdata/app/*/function.json")
	for _, s := range []string{
		httpFunction,
		`{"bindings": [{"type": "queueTrigger", "direction": "in", "name": "m", "queueName": "%Q%"}], "retry": {"strategy": "fixedDelay", "maxRetryCount": 1, "delayInterval": "00:00:01"}}`,
		`{"bindings": [{"type": "timerTrigger", "direction": "in", "name": "t", "schedule": "%S%"}]}`,
		`{"bindings": [{"type": "blobTrigger", "direction": "in", "name": "b", "path": "c/{{x}}{name}"}]}`,
		`{"bindings": [{"type": "httpTrigger", "direction": "in", "name": "req", "route": "a/{*rest}", "methods": ["get"]}]}`,
	} {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, raw []byte) {
		fn, err := parseFunction(dir, "f", raw, fuzzConfig)
		if err != nil {
			checkFileError(t, err, "f/function.json")
			return
		}
		triggers := 0
		for _, b := range fn.Bindings {
			if !bindingNameRule.MatchString(b.Name) || b.Properties == nil {
				t.Fatalf("binding %+v loaded with a bad name or no properties", b)
			}
			if b.IsTrigger() {
				triggers++
			}
		}
		if triggers != 1 || string(fn.Config) != string(raw) {
			t.Fatalf("loaded function has %d triggers, config kept %v", triggers, string(fn.Config) == string(raw))
		}
	})
}

// FuzzSettingsJSON feeds arbitrary local.settings.json text through parsing.
func FuzzSettingsJSON(f *testing.F) {
	addSeedFiles(f, "testdata/app/local.settings.json")
	for _, s := range []string{`{}`, `{"IsEncrypted": "true", "Values": {"a": 1.5e3, "b": null}}`, `{"Host": {"LocalHttpPort": "7071", "CORS": ",,x,"}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		s, _, err := parseSettings(raw)
		if err != nil {
			checkFileError(t, err, settingsFile)
			return
		}
		if s.LocalHTTPPort < 0 || s.LocalHTTPPort > 65535 {
			t.Fatalf("port %d out of range", s.LocalHTTPPort)
		}
		for _, o := range s.CORS {
			if o == "" || strings.TrimSpace(o) != o {
				t.Fatalf("CORS origin %q not trimmed", o)
			}
		}
	})
}
