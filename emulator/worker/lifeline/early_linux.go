package lifeline

import (
	"os"
	"syscall"
)

// A supervisor costs the start of funcemu's executable, the longest wait
// before a prebuilt handler can start. funcemu start and exec start their
// first one here, in this package's init, before Go has initialized most
// of funcemu's packages, let alone parsed the command line: the spare then
// starts while funcemu does, and is ready when the handler is.

// Early is a supervisor started at init, waiting for its handler's Spec
// on SpecW. Closing SpecW without writing makes it exit.
type Early struct {
	Process          *os.Process
	LifelineW, SpecW *os.File
	ReportR          *os.File
	StdoutR, StderrR *os.File
}

var early *Early

// TakeEarly returns the supervisor started at init, once; nil when none
// was (another command, a test binary, a failed start).
func TakeEarly() *Early {
	e := early
	early = nil
	return e
}

// startsHandler reports whether args (os.Args) run a command that starts
// a handler: funcemu start or funcemu exec.
func startsHandler(args []string) bool {
	for _, a := range args[1:] {
		if len(a) > 0 && a[0] == '-' {
			continue
		}
		return a == "start" || a == "exec"
	}
	return false
}

// startEarly starts funcemu's executable as a supervisor waiting for its
// Spec, with the same descriptors a spare gets from package worker.
func startEarly() *Early {
	self, err := os.Executable()
	if err != nil {
		return nil
	}
	var files []*os.File
	pipe := func() (r, w *os.File) {
		r, w, err := os.Pipe()
		if err != nil {
			return nil, nil
		}
		files = append(files, r, w)
		return r, w
	}
	lifeR, lifeW := pipe()
	reportR, reportW := pipe()
	specR, specW := pipe()
	stdoutR, stdoutW := pipe()
	stderrR, stderrW := pipe()
	null, nullErr := os.Open(os.DevNull)
	closeAll := func() {
		for _, f := range files {
			f.Close()
		}
	}
	if len(files) != 10 || nullErr != nil {
		closeAll()
		return nil
	}
	defer null.Close()
	proc, err := os.StartProcess(self, []string{self}, &os.ProcAttr{
		Env:   append(os.Environ(), Env+"=1"),
		Files: []*os.File{null, stdoutW, stderrW, lifeR, reportW, specR},
		// Its own process group, which the handler joins.
		Sys: &syscall.SysProcAttr{Setpgid: true},
	})
	if err != nil {
		closeAll()
		return nil
	}
	for _, f := range []*os.File{lifeR, reportW, specR, stdoutW, stderrW} {
		f.Close() // the supervisor's ends
	}
	return &Early{Process: proc, LifelineW: lifeW, SpecW: specW, ReportR: reportR, StdoutR: stdoutR, StderrR: stderrR}
}
