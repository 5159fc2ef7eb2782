//go:build unix

// Package cputime reads the CPU time this process has used: the figure
// benchmarks and the start trace report beside elapsed time, since it
// moves far less on a machine shared with other work.
package cputime

import (
	"syscall"
	"time"
)

// Process is the CPU time of this process so far, user and system, all
// threads.
func Process() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
