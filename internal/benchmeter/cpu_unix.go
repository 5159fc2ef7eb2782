//go:build unix

package benchmeter

import (
	"syscall"
	"time"
)

// ProcessCPU is the CPU time of this process so far, user and system, all
// threads.
func ProcessCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
