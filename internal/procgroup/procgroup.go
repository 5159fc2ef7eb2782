// Package procgroup runs child processes in their own process group, so
// that stopping one also stops every process it started: the compiler and
// linker under go build, the tools a --build shell line runs, the
// processes a custom handler spawns. The worker and the build runner share
// it.
package procgroup

import "os/exec"

// KillOnCancel makes canceling cmd's context kill cmd's whole process
// group rather than only cmd. Call Isolate too, before cmd starts.
func KillOnCancel(cmd *exec.Cmd) {
	cmd.Cancel = func() error {
		if cmd.Process == nil {
			return nil
		}
		return Kill(cmd.Process)
	}
}
