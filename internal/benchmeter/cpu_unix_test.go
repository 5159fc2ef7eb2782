//go:build unix

package benchmeter

import (
	"testing"
	"time"
)

func TestProcessCPUGrowsWithWork(t *testing.T) {
	before := ProcessCPU()
	deadline := time.Now().Add(2 * time.Second)
	n := 0
	for ProcessCPU()-before < 5*time.Millisecond && time.Now().Before(deadline) {
		n++ // spin: the CPU time is this loop's
	}
	if got := ProcessCPU() - before; got < 5*time.Millisecond {
		t.Fatalf("ProcessCPU grew by %v over 2 s of spinning (%d turns), want at least 5 ms", got, n)
	}
}
