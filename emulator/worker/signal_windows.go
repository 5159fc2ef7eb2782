package worker

import (
	"os"
	"os/exec"
)

// setProcAttr does nothing on Windows: there is no process group signal;
// stop kills the handler directly.
func setProcAttr(*exec.Cmd) {}

// interrupt kills the handler: Windows cannot deliver SIGINT to a process
// without a console.
func interrupt(p *os.Process) error { return p.Kill() }

func kill(p *os.Process) error { return p.Kill() }
