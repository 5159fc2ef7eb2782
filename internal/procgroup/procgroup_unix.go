//go:build unix

package procgroup

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
)

// Isolate puts cmd in a process group of its own, keeping any other
// process attributes already set.
func Isolate(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
}

// Interrupt sends SIGINT to p's process group.
func Interrupt(p *os.Process) error { return signal(p, syscall.SIGINT) }

// Kill sends SIGKILL to p's process group.
func Kill(p *os.Process) error { return signal(p, syscall.SIGKILL) }

// signal signals the group p leads; a group already gone is no error.
func signal(p *os.Process, sig syscall.Signal) error {
	err := syscall.Kill(-p.Pid, sig)
	if errors.Is(err, syscall.ESRCH) {
		return nil
	}
	return err
}

// Alive reports whether pid names a live process. A zombie counts as
// gone: it runs nothing.
func Alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	return !zombie(pid)
}
