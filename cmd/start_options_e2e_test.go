package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestStartFunctionsFilter(t *testing.T) {
	t.Parallel()
	_, app := binaries(t)
	r := startFixture(t, app, "--functions", "hello,forwarded")
	tests := []struct {
		path   string
		status int
	}{
		{"/api/hello/Ada", 200},
		{"/api/forwarded", 200},
		{"/api/greet", 404},
		{"/api/echo/x", 404},
	}
	for _, tc := range tests {
		if resp, _ := do(t, "GET", r.url+tc.path, "", nil); resp.StatusCode != tc.status {
			t.Errorf("GET %s = %d, want %d", tc.path, resp.StatusCode, tc.status)
		}
	}
}

func TestStartJSONOutput(t *testing.T) {
	t.Parallel()
	_, app := binaries(t)
	r := startFixture(t, app, "--json")
	do(t, "GET", r.url+"/api/hello/Ada", "", nil)
	deadline := time.Now().Add(patience)
	for !strings.Contains(r.stdout.String(), "Greeted Ada") {
		if time.Now().After(deadline) {
			t.Fatalf("no log line in:\n%s", r.stdout)
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, line := range strings.Split(strings.TrimSpace(r.stdout.String()), "\n") {
		var obj map[string]any
		if err := json.Unmarshal([]byte(line), &obj); err != nil {
			t.Fatalf("line %q is not JSON: %v", line, err)
		}
	}
}

// appCopy copies the fixture, without its built handler, to a temp folder.
func appCopy(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "app")
	if err := copyDir(filepath.Join("..", "fixtures", "hello"), dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestStartReportsCompileErrors(t *testing.T) {
	t.Parallel()
	dir := appCopy(t)
	if err := os.WriteFile(filepath.Join(dir, "broken.go"), []byte("package main\n\nfunc broken() { undefinedThing() }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Without watching (as exec runs) a failed build ends start.
	code, stderr := runToExit(t, "start", dir, "--no-watch", "--port", "0", "--blob-port", "0", "--queue-port", "0")
	if code != 1 || !strings.Contains(stderr, "the handler did not build; the compiler's errors are above") {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
}
