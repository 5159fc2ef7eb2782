package worker

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"time"

	"github.com/funcemu/funcemu/emulator/worker/lifeline"
)

// A new supervisor costs the start of funcemu's own executable, tens of
// milliseconds on a busy machine, before the handler even starts. Prewarm
// starts one ahead of need, while funcemu opens its other parts, and the
// next handler start hands that spare its handler over a pipe. Once
// prewarming, every spare taken is replaced in the background, so a
// rebuilt handler's swap does not wait for a supervisor either. A spare
// holds nothing of the app; it exits when funcemu does (its spec pipe
// closes) or when dropped.

var (
	prewarming atomic.Bool
	spares     = make(chan *spare, 1)
)

// spare is a supervisor waiting for its handler's spec.
type spare struct {
	proc             *os.Process
	lifeW, specW     *os.File
	reportR          *os.File
	stdoutR, stderrR *os.File
}

// Prewarm makes the supervisor funcemu started at init (package lifeline)
// the spare for the next handler start, or starts one in the background,
// and keeps one ready from then on.
func Prewarm() {
	prewarming.Store(true)
	if e := lifeline.TakeEarly(); e != nil {
		spares <- spareOf(e)
		return
	}
	go addSpare()
}

// addSpare starts a spare unless one is ready.
func addSpare() {
	if len(spares) > 0 {
		return
	}
	self, err := os.Executable()
	if err != nil {
		return
	}
	sp, err := startSpare(self)
	if err != nil {
		return // the next start starts its own supervisor
	}
	select {
	case spares <- sp:
	default:
		sp.drop()
	}
}

// respareDelay is how long after a spare is taken the next one starts:
// not at once, where its start would compete for the CPU with the handler
// just started and the first requests; a rebuild's swap comes seconds
// later anyway.
const respareDelay = time.Second

// takeSpare returns a ready spare, or nil, and has the next one started.
func takeSpare() *spare {
	select {
	case sp := <-spares:
		if prewarming.Load() {
			time.AfterFunc(respareDelay, addSpare)
		}
		return sp
	default:
		return nil
	}
}

func startSpare(self string) (*spare, error) {
	e, err := lifeline.StartWaiting(self)
	if err != nil {
		return nil, err
	}
	return spareOf(e), nil
}

// spareOf is the spare of a supervisor started ahead of need.
func spareOf(e *lifeline.Early) *spare {
	return &spare{proc: e.Process, lifeW: e.LifelineW, specW: e.SpecW, reportR: e.ReportR,
		stdoutR: e.StdoutR, stderrR: e.StderrR}
}

// drop ends an unused spare: an empty spec makes it exit.
func (sp *spare) drop() {
	for _, f := range []*os.File{sp.specW, sp.lifeW, sp.reportR, sp.stdoutR, sp.stderrR} {
		f.Close()
	}
	go func() { _, _ = sp.proc.Wait() }()
}

// outputGrace is how long the handler's output is still read after the
// supervisor exits, for a grandchild that holds the pipes open (as
// exec.Cmd.WaitDelay does for a new supervisor).
const outputGrace = time.Second

// run hands cmd (the handler command) to the spare and waits for its
// report. The handler's output goes to cmd's Stdout and Stderr. usable is
// false when the spare itself failed (it died meanwhile), so the caller
// can start a new supervisor instead.
func (sp *spare) run(cmd *exec.Cmd) (l launch, usable bool, err error) {
	env := cmd.Env
	if env == nil {
		env = os.Environ()
	}
	spec := lifeline.Spec{Path: cmd.Path, Args: cmd.Args, Env: env, Dir: cmd.Dir}
	_, err = sp.specW.Write(spec.Encode())
	sp.specW.Close()
	if err != nil {
		sp.drop()
		return launch{}, false, err
	}
	pid, err := readReport(sp.reportR)
	if err != nil {
		sp.drop()
		return launch{}, !errors.Is(err, errNoReport), err
	}
	var copied sync.WaitGroup
	for _, c := range []struct {
		from *os.File
		to   io.Writer
	}{{sp.stdoutR, cmd.Stdout}, {sp.stderrR, cmd.Stderr}} {
		copied.Add(1)
		go func() {
			defer copied.Done()
			if c.to == nil {
				c.to = io.Discard
			}
			_, _ = io.Copy(c.to, c.from)
		}()
	}
	wait := func() error {
		err := exitError(sp.proc.Wait())
		done := make(chan struct{})
		go func() { copied.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(outputGrace):
		}
		sp.stdoutR.Close()
		sp.stderrR.Close()
		<-done
		return err
	}
	return launch{proc: sp.proc, pid: pid, cut: sp.lifeW, wait: wait}, true, nil
}

// exitError is what exec.Cmd.Wait would return for the state: an
// *exec.ExitError unless the process exited with status 0.
func exitError(st *os.ProcessState, err error) error {
	if err != nil {
		return err
	}
	if !st.Success() {
		return &exec.ExitError{ProcessState: st}
	}
	return nil
}
