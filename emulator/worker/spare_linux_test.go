package worker

import (
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// prewarmTestsEnv, set to 1, makes the test binary prewarm supervisors
// before running its tests, so every handler start takes a spare.
const prewarmTestsEnv = "WORKER_TEST_PREWARM"

// TestSpareSupervisorsPassTheSuite runs the supervisor's tests again with
// spare supervisors started ahead (Prewarm): the handler gets the same
// environment, arguments and folder, its output, its restarts and swaps,
// and the kill of its whole tree work the same.
func TestSpareSupervisorsPassTheSuite(t *testing.T) {
	if os.Getenv(prewarmTestsEnv) == "1" {
		return // this is the run with spares
	}
	t.Parallel()
	run := "^(TestHandlerGetsCustomHandlerEnvironment|TestHandlerOutputBecomesLogs|TestStartFailures|TestCrashedHandlerIsRestarted|" +
		"TestCloseStopsHandlerWithSIGINT|TestSwapUnderLoadFailsNoRequest|TestRestartUsesNewEnvironment|TestCloseKillsEveryProcessTheHandlerStarted|TestSpareIsTaken|TestDeadSpareIsReplaced)$"
	cmd := exec.Command(testExecutable(t), "-test.run", run, "-test.v", "-test.count", "1")
	cmd.Env = append(os.Environ(), prewarmTestsEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the suite with spare supervisors failed: %v\n%s", err, out)
	}
	for _, name := range []string{"TestSpareIsTaken", "TestDeadSpareIsReplaced"} {
		if !strings.Contains(string(out), "--- PASS: "+name) {
			t.Fatalf("the run with spares did not pass %s:\n%s", name, out)
		}
	}
}

// TestSpareIsTaken: with prewarming on, a handler start runs in the
// spare supervisor and another spare is started for the next start;
// without it, no spare is ever started.
func TestSpareIsTaken(t *testing.T) {
	if os.Getenv(prewarmTestsEnv) != "1" {
		mustStart(t, "ok", nil)
		if len(spares) != 0 {
			t.Fatal("a spare supervisor was started without Prewarm")
		}
		return
	}
	sp := waitSpare(t)
	s := mustStart(t, "ok", nil)
	s.mu.Lock()
	running := s.current.proc.Pid
	s.mu.Unlock()
	if running != sp {
		t.Fatalf("the handler runs under supervisor %d, want the spare %d", running, sp)
	}
	if next := waitSpare(t); next == sp {
		t.Fatal("the spare taken is still offered")
	}
}

// waitSpare waits until a spare supervisor is ready and returns its pid,
// leaving it ready.
func waitSpare(t *testing.T) int {
	t.Helper()
	ctx := testContext(t)
	for {
		select {
		case sp := <-spares:
			spares <- sp
			return sp.proc.Pid
		case <-ctx.Done():
			t.Fatal("no spare supervisor")
		case <-time.After(time.Millisecond):
		}
	}
}

// TestDeadSpareIsReplaced: a spare that died before it was needed is not
// used; the handler starts under a new supervisor.
func TestDeadSpareIsReplaced(t *testing.T) {
	if os.Getenv(prewarmTestsEnv) != "1" {
		return // it runs, and is checked, inside TestSpareSupervisorsPassTheSuite
	}
	dead := waitSpare(t)
	if err := syscall.Kill(dead, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	s := mustStart(t, "ok", nil)
	s.mu.Lock()
	running := s.current.proc.Pid
	s.mu.Unlock()
	if running == dead {
		t.Fatal("the handler was handed to a dead spare")
	}
	if _, err := call(testContext(t), s.Supervisor, "/env"); err != nil {
		t.Fatalf("the handler does not answer: %v", err)
	}
}
