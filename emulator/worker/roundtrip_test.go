package worker

import (
	"io"
	"strings"
	"testing"
	"time"
)

// Not parallel: the handler's exit must reach the supervisor within
// exitGrace of the dropped connection, which a loaded machine can delay.
func TestCrashDuringRequestNamesTheExit(t *testing.T) {
	s := mustStart(t, "ok", func(o *Options) { o.MinBackoff = time.Second })
	_, err := call(testContext(t), s.Supervisor, "/crash")
	if err == nil || err.Error() != "the handler exited (exit status 2) during the request" {
		t.Fatalf("err = %v, want the handler's exit", err)
	}
	if !strings.Contains(err.Error(), "exit status 2") || strings.Contains(err.Error(), "EOF") {
		t.Errorf("err = %q", err)
	}
}

func TestDroppedConnectionIsNamed(t *testing.T) {
	t.Parallel()
	p := &process{done: make(chan struct{})}
	err := p.explain(io.ErrUnexpectedEOF)
	if err.Error() != "the handler closed the connection without answering" {
		t.Fatalf("err = %q", err)
	}
	if got := p.explain(io.ErrShortWrite); got != io.ErrShortWrite {
		t.Errorf("an unrelated error was reworded: %v", got)
	}
}
