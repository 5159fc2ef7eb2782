package cmd

import (
	"runtime/debug"
	"sync"
)

// A start allocates a few megabytes (the app, the bus, SQLite's Go side,
// the HTTP server) and keeps most of them: a garbage collection in the
// middle, the runtime's first at 4 MB of heap, frees little and, with its
// stop-the-world phases and mark assists, delays the handler's start and
// the first request on a small machine. So the collector is off while a
// runner opens, bounded by startHeapLimit should anything allocate more
// (a client uploading to storage while a broken build waits for a fix),
// and back to its setting once the runner is open or has failed.
const startHeapLimit = 64 << 20

var gcPause struct {
	mu      sync.Mutex
	n       int // runners opening (tests open several in one process)
	percent int
	limit   int64
}

// pauseGC turns the collector off until the returned func is called.
func pauseGC() (resume func()) {
	gcPause.mu.Lock()
	if gcPause.n++; gcPause.n == 1 {
		gcPause.percent = debug.SetGCPercent(-1)
		gcPause.limit = debug.SetMemoryLimit(min(startHeapLimit, debug.SetMemoryLimit(-1)))
	}
	gcPause.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			gcPause.mu.Lock()
			if gcPause.n--; gcPause.n == 0 {
				debug.SetMemoryLimit(gcPause.limit)
				debug.SetGCPercent(gcPause.percent)
			}
			gcPause.mu.Unlock()
		})
	}
}
