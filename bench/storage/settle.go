package main

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"time"
)

// Before each timed phase the driver waits until the server has stopped
// working (settle): Azurite goes on persisting after a burst of writes and
// funcemu checkpoints its log, and work left over from one phase must not
// be timed as part of the next.
const (
	idleWindow = 150 * time.Millisecond // no CPU time used for this long: idle
	idleLimit  = 5 * time.Second        // never wait longer than this
	idlePoll   = 10 * time.Millisecond  // one clock tick of /proc's CPU times
)

// settle waits until the server is idle before the phase named; a server
// still busy after idleLimit is timed anyway, and said so.
func (s *server) settle(phase string) {
	if waited, idle := waitIdle(s.cmd.Process.Pid, idleWindow, idleLimit); !idle {
		fmt.Fprintf(os.Stderr, "storagebench: server still busy after %v, timing %s anyway\n", waited.Round(time.Millisecond), phase)
	}
}

// waitIdle polls pid's CPU time until it has not changed for window, or
// limit has passed; it reports how long it waited and whether pid went
// idle. A process that cannot be read (it ended) counts as idle.
func waitIdle(pid int, window, limit time.Duration) (time.Duration, bool) {
	start := time.Now()
	last, err := cpuTicks(pid)
	if err != nil {
		return 0, true
	}
	quietSince := start
	for {
		time.Sleep(idlePoll)
		now := time.Now()
		ticks, err := cpuTicks(pid)
		if err != nil {
			return now.Sub(start), true
		}
		if ticks != last {
			last, quietSince = ticks, now
		} else if now.Sub(quietSince) >= window {
			return now.Sub(start), true
		}
		if now.Sub(start) >= limit {
			return now.Sub(start), false
		}
	}
}

// cpuTicks is the user and system CPU time of pid, all its threads, in
// clock ticks.
func cpuTicks(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("read cpu time: %w", err)
	}
	return statCPUTicks(b)
}

// statCPUTicks reads utime + stime from a /proc/<pid>/stat line: fields
// 14 and 15, counted after the command name, which is in parentheses and
// may itself hold spaces and parentheses.
func statCPUTicks(stat []byte) (int64, error) {
	end := bytes.LastIndexByte(stat, ')')
	if end < 0 {
		return 0, fmt.Errorf("stat line without a command name: %q", stat)
	}
	fields := bytes.Fields(stat[end+1:]) // fields[0] is field 3, the state
	if len(fields) < 13 {
		return 0, fmt.Errorf("stat line of %d fields", len(fields)+2)
	}
	utime, err := strconv.ParseInt(string(fields[11]), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("utime: %w", err)
	}
	stime, err := strconv.ParseInt(string(fields[12]), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("stime: %w", err)
	}
	return utime + stime, nil
}
