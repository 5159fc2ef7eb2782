package worker

import (
	"os/exec"
	"syscall"

	"github.com/funcemu/funcemu/internal/procgroup"
)

// setProcAttr puts the handler in its own process group, so stopping it
// reaches its children too, and has the kernel kill it when funcemu dies,
// even by SIGKILL.
func setProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	procgroup.Isolate(cmd)
}
