//go:build unix

package cputime

import (
	"testing"
	"time"
)

func TestProcessGrowsWithWork(t *testing.T) {
	before := Process()
	deadline := time.Now().Add(2 * time.Second)
	n := 0
	for Process()-before < 5*time.Millisecond && time.Now().Before(deadline) {
		n++ // spin: the CPU time is this loop's
	}
	if got := Process() - before; got < 5*time.Millisecond {
		t.Fatalf("Process grew by %v over 2 s of spinning (%d turns), want at least 5 ms", got, n)
	}
}
