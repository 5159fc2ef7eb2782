//go:build linux

package cmd

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSIGKILLedFuncemuTakesTheHandlersProcessesWithIt runs the funcemu
// binary on an app whose handler starts a child, and a daemon that leaves
// its process group and is orphaned, then kills funcemu with SIGKILL:
// nothing the handler started may survive it.
func TestSIGKILLedFuncemuTakesTheHandlersProcessesWithIt(t *testing.T) {
	t.Parallel()
	_, hello := binaries(t)
	app := t.TempDir()
	if err := os.CopyFS(app, os.DirFS(hello)); err != nil {
		t.Fatal(err)
	}
	script := `#!/bin/sh
sleep 600 &
echo $! > "` + app + `/child.pid"
setsid sh -c 'sleep 600 & echo $! > "` + app + `/daemon.pid"' &
echo $$ > "` + app + `/handler.pid"
exec ./handler
`
	if err := os.WriteFile(filepath.Join(app, "start.sh"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	host := `{"version":"2.0","customHandler":{"description":{"defaultExecutablePath":"start.sh"},"enableForwardingHttpRequest":true}}`
	if err := os.WriteFile(filepath.Join(app, "host.json"), []byte(host), 0o644); err != nil {
		t.Fatal(err)
	}
	r := startFixtureProcess(t, app)

	var pids []int
	for _, name := range []string{"handler.pid", "child.pid", "daemon.pid"} {
		pid := readPID(t, filepath.Join(app, name))
		if processGone(pid) {
			t.Fatalf("%s: process %d is not running before the kill", name, pid)
		}
		pids = append(pids, pid)
	}
	if err := r.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-r.exited
	for i, pid := range pids {
		waitGone(t, pid)
		t.Logf("process %d (%d of %d) ended with funcemu", pid, i+1, len(pids))
	}
}

// readPID waits for a pid file the handler's script writes.
func readPID(t *testing.T, path string) int {
	t.Helper()
	deadline := time.Now().Add(patience)
	for {
		b, err := os.ReadFile(path)
		if pid, perr := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && perr == nil && pid > 0 {
			return pid
		}
		if time.Now().After(deadline) {
			t.Fatalf("no pid in %s", path)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
