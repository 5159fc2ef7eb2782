//go:build !linux

package worker

import "os/exec"

// startSupervised starts the handler directly: only Linux has the child
// subreaper the supervisor needs (see lifeline_linux.go). On macOS the
// handler's process group is stopped with it on every orderly exit, but
// SIGKILL of funcemu leaves the handler running; on Windows stopping
// funcemu kills the handler process, not the processes it started.
func startSupervised(cmd *exec.Cmd) (launch, error) {
	if err := cmd.Start(); err != nil {
		return launch{}, err
	}
	return launch{proc: cmd.Process, pid: cmd.Process.Pid, wait: cmd.Wait}, nil
}

// Prewarm does nothing here: there is no supervisor to start ahead.
func Prewarm() {}
