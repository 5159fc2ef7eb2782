//go:build !linux

package worker

import (
	"os"
	"os/exec"
)

// startSupervised starts the handler directly: only Linux has the child
// subreaper the supervisor needs (see lifeline_linux.go). On macOS the
// handler's process group is stopped with it on every orderly exit, but
// SIGKILL of funcemu leaves the handler running; on Windows stopping
// funcemu kills the handler process, not the processes it started.
func startSupervised(cmd *exec.Cmd) (pid int, lifeline *os.File, err error) {
	if err := cmd.Start(); err != nil {
		return 0, nil, err
	}
	return cmd.Process.Pid, nil, nil
}
