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

// Early is a supervisor waiting for its handler's Spec on SpecW, started
// at init or, as a spare, by StartWaiting. Closing SpecW without writing
// makes it exit.
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
// Spec, nil if it cannot.
func startEarly() *Early {
	self, err := os.Executable()
	if err != nil {
		return nil
	}
	e, err := StartWaiting(self)
	if err != nil {
		return nil
	}
	return e
}

// StartWaiting starts self as a supervisor waiting for its Spec: its
// lifeline, report and spec pipes on LifelineFD, ReportFD and SpecFD,
// stdout and stderr on pipes of their own, in a process group of its
// own, which the handler joins.
func StartWaiting(self string) (*Early, error) {
	var files []*os.File // every pipe end, for cleanup on failure
	closeAll := func() {
		for _, f := range files {
			f.Close()
		}
	}
	var ends [10]*os.File // lifeline, report, spec, stdout, stderr: r, w each
	for i := 0; i < len(ends); i += 2 {
		r, w, err := os.Pipe()
		if err != nil {
			closeAll()
			return nil, err
		}
		ends[i], ends[i+1] = r, w
		files = append(files, r, w)
	}
	lifeR, lifeW, reportR, reportW, specR, specW := ends[0], ends[1], ends[2], ends[3], ends[4], ends[5]
	stdoutR, stdoutW, stderrR, stderrW := ends[6], ends[7], ends[8], ends[9]
	null, err := os.Open(os.DevNull)
	if err != nil {
		closeAll()
		return nil, err
	}
	defer null.Close()
	proc, err := os.StartProcess(self, []string{self}, &os.ProcAttr{
		Env:   append(os.Environ(), Env+"=1"),
		Files: []*os.File{null, stdoutW, stderrW, lifeR, reportW, specR},
		Sys:   &syscall.SysProcAttr{Setpgid: true},
	})
	if err != nil {
		closeAll()
		return nil, err
	}
	for _, f := range []*os.File{lifeR, reportW, specR, stdoutW, stderrW} {
		f.Close() // the supervisor's ends
	}
	return &Early{Process: proc, LifelineW: lifeW, SpecW: specW, ReportR: reportR, StdoutR: stdoutR, StderrR: stderrR}, nil
}
