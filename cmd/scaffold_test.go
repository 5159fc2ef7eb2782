package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	return runFuncemu(t, "", args...)
}

func TestInitAndNewCommands(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "app")
	out, err := runCmd(t, "init", dir)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "created host.json") {
		t.Fatalf("init output = %q", out)
	}
	out, err = runCmd(t, "new", "--app", dir, "--template", "queue", "--name", "Orders", "--queue", "orders-in")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "created Orders/function.json") {
		t.Fatalf("new output = %q", out)
	}
	b, err := os.ReadFile(filepath.Join(dir, "Orders", "function.json"))
	if err != nil || !strings.Contains(string(b), `"queueName": "orders-in"`) {
		t.Fatalf("function.json = %s (%v)", b, err)
	}
	if _, err := runCmd(t, "new", "--app", dir, "--name", "X"); err == nil || !strings.Contains(err.Error(), `"template" not set`) {
		t.Fatalf("new without --template: err = %v", err)
	}
}
