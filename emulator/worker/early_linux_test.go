package worker

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// earlyTestEnv, set to 1, makes TestEarlySupervisorIsTheFirstSpare check
// the test binary it runs in, started with "start" on its command line as
// funcemu start is.
const earlyTestEnv = "WORKER_TEST_EARLY"

// TestEarlySupervisorIsTheFirstSpare: an executable run as funcemu start
// has a supervisor running before Prewarm is called (package lifeline
// starts it at init), Prewarm offers that one as the spare, and the first
// handler runs under it.
func TestEarlySupervisorIsTheFirstSpare(t *testing.T) {
	if os.Getenv(earlyTestEnv) != "1" {
		t.Parallel()
		cmd := exec.Command(testExecutable(t), "-test.run=^TestEarlySupervisorIsTheFirstSpare$", "-test.v", "-test.count=1", "start")
		cmd.Env = append(os.Environ(), earlyTestEnv+"=1")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS: TestEarlySupervisorIsTheFirstSpare") {
			t.Fatalf("the run as funcemu start failed: %v\n%s", err, out)
		}
		return
	}
	before := childPIDs(t)
	Prewarm()
	sp := waitSpare(t)
	if !slices.Contains(before, sp) {
		t.Fatalf("the first spare %d was started by Prewarm, not at init (children before it: %v)", sp, before)
	}
	s := mustStart(t, "ok", nil)
	s.mu.Lock()
	running := s.current.proc.Pid
	s.mu.Unlock()
	if running != sp {
		t.Fatalf("the handler runs under supervisor %d, want the one started at init, %d", running, sp)
	}
	if _, err := call(testContext(t), s.Supervisor, "/env"); err != nil {
		t.Fatalf("the handler does not answer: %v", err)
	}
}

// childPIDs lists the processes this one started that are still running.
func childPIDs(t *testing.T) []int {
	t.Helper()
	lists, err := filepath.Glob("/proc/self/task/*/children")
	if err != nil {
		t.Fatal(err)
	}
	var pids []int
	for _, l := range lists {
		b, err := os.ReadFile(l)
		if err != nil {
			continue // a thread that ended
		}
		for _, f := range strings.Fields(string(b)) {
			if pid, err := strconv.Atoi(f); err == nil {
				pids = append(pids, pid)
			}
		}
	}
	return pids
}
