package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// serverCPU is the CPU time pid's threads have run so far, to the
// nanosecond: the sum of the first field of each thread's schedstat.
// /proc/<pid>/stat counts in 10 ms ticks, too coarse for a phase in which
// funcemu runs 30 ms. Threads that have ended are not counted; neither
// server ends its threads while it serves.
func serverCPU(pid int) (time.Duration, error) {
	files, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", pid))
	if err != nil || len(files) == 0 {
		return 0, fmt.Errorf("threads of %d: none readable", pid)
	}
	var total time.Duration
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue // the thread ended meanwhile
		}
		ns, err := schedstatRunNanos(b)
		if err != nil {
			return 0, err
		}
		total += ns
	}
	return total, nil
}

// schedstatRunNanos is the first field of a schedstat line: time spent
// running, in nanoseconds.
func schedstatRunNanos(line []byte) (time.Duration, error) {
	fields := bytes.Fields(line)
	if len(fields) == 0 {
		return 0, fmt.Errorf("empty schedstat line")
	}
	ns, err := strconv.ParseInt(string(fields[0]), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("schedstat: %w", err)
	}
	return time.Duration(ns), nil
}
