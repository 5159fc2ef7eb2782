package cmd

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestProcessNameCallsNodeRunningAzuriteAzurite(t *testing.T) {
	t.Parallel()
	// A process whose command line mentions azurite, as node running
	// azurite.js (or VS Code's extension) does.
	cmd := exec.Command("sh", "-c", "sleep 30; true", "/ext/azurite/dist/src/azurite.js")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	waitExeced(t, cmd.Process.Pid, "sh")
	if got := processName(cmd.Process.Pid); got != "azurite" {
		t.Errorf("processName = %q, want azurite", got)
	}
	plain := exec.Command("sleep", "30")
	if err := plain.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { plain.Process.Kill(); plain.Wait() })
	waitExeced(t, plain.Process.Pid, "sleep")
	if got := processName(plain.Process.Pid); got != "sleep" {
		t.Errorf("processName = %q, want sleep", got)
	}
}

// waitExeced waits until the started process runs its program (comm is
// comm), not the forked test binary that has yet to exec it, and its
// arguments are in place: exec sets comm before the new command line.
func waitExeced(t *testing.T, pid int, comm string) {
	t.Helper()
	proc := "/proc/" + strconv.Itoa(pid) + "/"
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		b, err := os.ReadFile(proc + "comm")
		args, _ := os.ReadFile(proc + "cmdline")
		if err == nil && strings.TrimSpace(string(b)) == comm && len(args) > 0 {
			return
		}
	}
	t.Fatalf("process %d never ran %s", pid, comm)
}
