//go:build unix

package procgroup

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestKillOnCancelStopsTheGroup(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	pidFile := filepath.Join(t.TempDir(), "child.pid")
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", "sleep 300 & echo $! > "+pidFile+"; wait")
	cmd.WaitDelay = 5 * time.Second
	Isolate(cmd)
	KillOnCancel(cmd)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	var data []byte
	for !strings.HasSuffix(string(data), "\n") {
		data, _ = os.ReadFile(pidFile)
		if time.Now().After(deadline) {
			t.Fatal("the shell never printed its child's pid")
		}
		time.Sleep(10 * time.Millisecond)
	}
	child, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	_ = cmd.Wait()
	for Alive(child) {
		if time.Now().After(deadline) {
			t.Fatalf("child %d still running after cancel", child)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
