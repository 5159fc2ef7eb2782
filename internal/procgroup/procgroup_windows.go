package procgroup

import (
	"os"
	"os/exec"
)

// Isolate does nothing on Windows: there is no process group to signal.
// Kill stops the process itself, and its children end when their output
// pipes close.
func Isolate(*exec.Cmd) {}

// Interrupt kills p: Windows cannot deliver SIGINT to a process without a
// console.
func Interrupt(p *os.Process) error { return p.Kill() }

// Kill kills p.
func Kill(p *os.Process) error { return p.Kill() }
