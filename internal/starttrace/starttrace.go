// Package starttrace prints, when FUNCEMU_START_TRACE is set, when each
// step of a start was reached and how much CPU the process had used by
// then, to standard error: where a start's time goes, step by step.
//
// FUNCEMU_START_TRACE holds the Unix time in nanoseconds at which the
// process was started (a launcher sets it just before it starts funcemu),
// so the figures include the exec and Go's initialization; any other
// value counts from this package's initialization.
package starttrace

import (
	"os"
	"strconv"
	"time"

	"github.com/funcemu/funcemu/internal/cputime"
)

// Env turns the trace on.
const Env = "FUNCEMU_START_TRACE"

var origin time.Time

func init() {
	v := os.Getenv(Env)
	if v == "" {
		return
	}
	if ns, err := strconv.ParseInt(v, 10, 64); err == nil {
		origin = time.Unix(0, ns)
	} else {
		origin = time.Now()
	}
}

// Mark prints "start-trace <ms since start> <CPU ms, 0 where unknown> <what>" when the
// trace is on.
func Mark(what string) {
	if origin.IsZero() {
		return
	}
	os.Stderr.WriteString("start-trace " + ms(time.Since(origin)) + " " + ms(cputime.Process()) + " " + what + "\n")
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 2, 64)
}
