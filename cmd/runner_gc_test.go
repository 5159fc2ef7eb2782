package cmd

import (
	"math"
	"runtime/debug"
	"testing"
)

// TestPauseGCNestsAndRestores: the collector is off with a heap limit
// while any runner opens (tests open several at once), and back to its
// setting once the last one is open; resuming twice changes nothing.
// Not parallel: it reads the process's GC settings.
func TestPauseGCNestsAndRestores(t *testing.T) {
	percent := func() int { p := debug.SetGCPercent(-1); debug.SetGCPercent(p); return p }
	limit := func() int64 { return debug.SetMemoryLimit(-1) }
	defer debug.SetGCPercent(debug.SetGCPercent(70))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))

	first := pauseGC()
	second := pauseGC()
	if percent() != -1 || limit() != startHeapLimit {
		t.Fatalf("while opening: GC percent %d, limit %d; want off, %d", percent(), limit(), startHeapLimit)
	}
	first()
	first()
	if percent() != -1 || limit() != startHeapLimit {
		t.Fatalf("with one runner still opening: GC percent %d, limit %d; want off, %d", percent(), limit(), startHeapLimit)
	}
	second()
	if percent() != 70 || limit() != math.MaxInt64 {
		t.Fatalf("once open: GC percent %d, limit %d; want 70, no limit", percent(), limit())
	}
}
