//go:build unix

package build

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/internal/procgroup"
)

func TestCommandBuild(t *testing.T) {
	parse := func(out string) []emulator.CompileError {
		if strings.Contains(out, "main.go:3:1:") {
			return []emulator.CompileError{{File: "main.go", Line: 3, Column: 1, Message: "syntax error"}}
		}
		return nil
	}
	tests := []struct {
		name      string
		line      string
		wantState emulator.BuildState
		wantOut   string
		wantErrs  int
	}{
		{"success", "echo built", emulator.BuildSucceeded, "built\n", 0},
		{"failure with diagnostics", "echo 'main.go:3:1: syntax error' >&2; exit 1", emulator.BuildFailed, "main.go:3:1: syntax error\n", 1},
		{"failure without diagnostics", "exit 3", emulator.BuildFailed, "", 0},
		{"runs in the app folder", "cat marker", emulator.BuildSucceeded, "here", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "marker"), []byte("here"), 0o644); err != nil {
				t.Fatal(err)
			}
			b, err := Command{Line: tt.line, Dir: dir, Parse: parse}.Build(t.Context())
			if (err == nil) != (tt.wantState == emulator.BuildSucceeded) {
				t.Fatalf("err = %v for state %s", err, tt.wantState)
			}
			if b.State != tt.wantState || b.Output != tt.wantOut || len(b.Errors) != tt.wantErrs {
				t.Fatalf("got state %s, output %q, %d errors; want %s, %q, %d",
					b.State, b.Output, len(b.Errors), tt.wantState, tt.wantOut, tt.wantErrs)
			}
		})
	}
}

func TestCommandBuildEmptyLine(t *testing.T) {
	if _, err := (Command{Line: "  "}).Build(t.Context()); err == nil {
		t.Fatal("empty command accepted")
	}
}

func TestCommandBuildCancelStopsTheWholeGroup(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "child.pid")
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		// The shell starts a child that would outlive a plain kill of
		// the shell.
		_, err := Command{Line: "sleep 300 & echo $! > child.pid; wait", Dir: dir}.Build(ctx)
		done <- err
	}()
	pid := waitForPID(t, pidFile)
	cancel()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "canceled") {
			t.Fatalf("err = %v, want a cancellation", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Build did not return after cancel")
	}
	// The child is gone: signal 0 fails once it is reaped or no longer ours.
	deadline := time.Now().Add(20 * time.Second)
	for procgroup.Alive(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("child %d still running after cancel", pid)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func waitForPID(t *testing.T, file string) int {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		data, err := os.ReadFile(file)
		if err == nil && strings.HasSuffix(string(data), "\n") {
			var pid int
			for _, c := range strings.TrimSpace(string(data)) {
				pid = pid*10 + int(c-'0')
			}
			return pid
		}
		if time.Now().After(deadline) {
			t.Fatal("the command never wrote its child's pid")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
