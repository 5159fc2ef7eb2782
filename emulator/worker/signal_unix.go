//go:build unix

package worker

import (
	"errors"
	"os"
	"syscall"
)

// interrupt asks the handler's process group to stop.
func interrupt(p *os.Process) error { return signalGroup(p, syscall.SIGINT) }

// kill ends the handler's process group.
func kill(p *os.Process) error { return signalGroup(p, syscall.SIGKILL) }

func signalGroup(p *os.Process, sig syscall.Signal) error {
	err := syscall.Kill(-p.Pid, sig)
	if errors.Is(err, syscall.ESRCH) {
		return nil
	}
	return err
}
