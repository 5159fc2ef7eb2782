//go:build unix

package build

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/funcemu/funcemu/internal/procgroup"
)

// TestRunCancelStopsGoChildren cancels a go build whose go, like the real
// one, starts children (compile, link) that a kill of go alone would leave
// running.
func TestRunCancelStopsGoChildren(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fakeGo := filepath.Join(dir, "go")
	script := "#!/bin/sh\nsleep 300 & echo $! > child.pid\nwait\n"
	if err := os.WriteFile(fakeGo, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := Run(ctx, Options{Dir: dir, Output: filepath.Join(dir, "handler"), Go: fakeGo})
		done <- err
	}()
	pid := waitForPID(t, filepath.Join(dir, "child.pid"))
	cancel()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "canceled") {
			t.Fatalf("err = %v, want a cancellation", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	deadline := time.Now().Add(20 * time.Second)
	for procgroup.Alive(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("go's child %d still running after cancel", pid)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := os.Stat(filepath.Join(dir, "handler")); !os.IsNotExist(err) {
		t.Fatalf("a canceled build left an executable: %v", err)
	}
}
