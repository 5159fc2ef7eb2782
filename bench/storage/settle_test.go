package main

import (
	"os/exec"
	"testing"
	"time"
)

func TestStatCPUTicksReadsUtimePlusStime(t *testing.T) {
	// The command name holds spaces and a parenthesis, as a process may
	// name itself; utime 1234 and stime 56 are fields 14 and 15.
	line := "4242 (node (x) y) S 1 4242 4242 0 -1 4194304 100 0 0 0 1234 56 0 0 20 0 11 0 777 1000 200 18446744073709551615\n"
	got, err := statCPUTicks([]byte(line))
	if err != nil || got != 1290 {
		t.Fatalf("statCPUTicks = %d, %v; want 1290", got, err)
	}
	if _, err := statCPUTicks([]byte("4242 (short) S 1 2")); err == nil {
		t.Error("a truncated stat line was read")
	}
}

func TestWaitIdle(t *testing.T) {
	t.Parallel()
	start := func(t *testing.T, script string) int {
		cmd := exec.Command("sh", "-c", script)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
		return cmd.Process.Pid
	}
	t.Run("idle process", func(t *testing.T) {
		pid := start(t, "exec sleep 30")
		if waited, idle := waitIdle(pid, 100*time.Millisecond, 5*time.Second); !idle {
			t.Errorf("a sleeping process was not idle after %v", waited)
		}
	})
	t.Run("busy process", func(t *testing.T) {
		pid := start(t, "while :; do :; done")
		if waited, idle := waitIdle(pid, 300*time.Millisecond, 1200*time.Millisecond); idle {
			t.Errorf("a process spinning on the CPU was idle after %v", waited)
		}
	})
	t.Run("ended process", func(t *testing.T) {
		if _, idle := waitIdle(1<<30, time.Second, time.Second); !idle {
			t.Error("a process that does not exist was not idle")
		}
	})
}

func TestServerCPUGrowsWithWork(t *testing.T) {
	t.Parallel()
	cmd := exec.Command("sh", "-c", "while :; do :; done")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	before, err := serverCPU(cmd.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		time.Sleep(20 * time.Millisecond)
		now, err := serverCPU(cmd.Process.Pid)
		if err != nil {
			t.Fatal(err)
		}
		if now > before {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("a spinning process's CPU time stayed at %v", now)
		}
	}
}

func TestSchedstatRunNanos(t *testing.T) {
	got, err := schedstatRunNanos([]byte("123456789 4242 17\n"))
	if err != nil || got != 123456789 {
		t.Fatalf("schedstatRunNanos = %v, %v", got, err)
	}
	if _, err := schedstatRunNanos([]byte("\n")); err == nil {
		t.Error("an empty line was read")
	}
}
