package build

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator"
)

func writeModule(t *testing.T, main string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{"go.mod": "module app\n\ngo 1.22\n", "main.go": main}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestRunBuildsAndReplacesExecutable(t *testing.T) {
	dir := writeModule(t, "package main\n\nfunc main() { println(\"built\") }\n")
	out := filepath.Join(dir, "handler")
	bus := emulator.NewBus()
	events, cancel := bus.Subscribe(8)
	defer cancel()

	b, err := Run(context.Background(), Options{Dir: dir, Output: out, TempDir: filepath.Join(dir, ".funcemu"), Publisher: bus})
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, b.Output)
	}
	if b.State != emulator.BuildSucceeded || len(b.Errors) != 0 {
		t.Fatalf("build = %+v", b)
	}
	got, err := exec.Command(out).CombinedOutput()
	if err != nil || strings.TrimSpace(string(got)) != "built" {
		t.Fatalf("built executable printed %q (%v)", got, err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".funcemu", "*")); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
	for _, want := range []emulator.EventKind{emulator.EventBuildStarted, emulator.EventBuildFinished} {
		if e := <-events; e.Kind != want || e.Build == nil {
			t.Fatalf("event %v, want %v with a build", e.Kind, want)
		}
	}
}

func TestRunFailureKeepsOldExecutable(t *testing.T) {
	dir := writeModule(t, "package main\n\nfunc main() { undefinedThing() }\n")
	out := filepath.Join(dir, "handler")
	if err := os.WriteFile(out, []byte("old"), 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := Run(context.Background(), Options{Dir: dir, Output: out})
	if err == nil || emulator.ErrorCode(err) != emulator.EINVALID {
		t.Fatalf("Run error = %v, want a build failure", err)
	}
	want := []emulator.CompileError{{File: "main.go", Line: 3, Column: 15, Message: "undefined: undefinedThing"}}
	if b.State != emulator.BuildFailed || len(b.Errors) != 1 || b.Errors[0] != want[0] {
		t.Fatalf("build = %+v, want errors %+v", b, want)
	}
	if got, _ := os.ReadFile(out); string(got) != "old" {
		t.Fatalf("executable replaced after a failed build: %q", got)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".funcemu-build-*")); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}

func TestRunCanceled(t *testing.T) {
	dir := writeModule(t, "package main\n\nfunc main() {}\n")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, Options{Dir: dir, Output: filepath.Join(dir, "handler")}); err == nil || !strings.Contains(err.Error(), "canceled") {
		t.Fatalf("Run with a canceled context = %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "handler")); !os.IsNotExist(err) {
		t.Fatalf("executable written by a canceled build")
	}
}
