package worker

import (
	"os/exec"
	"syscall"
)

// setProcAttr puts the handler in its own process group, so stopping it
// reaches its children too, and has the kernel kill it when funcemu dies,
// even by SIGKILL.
func setProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
