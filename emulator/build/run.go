package build

import (
	"bytes"
	"os/exec"
	"time"

	"github.com/funcemu/funcemu/internal/procgroup"
)

// run runs a build command, go build or a --build line, in a process
// group of its own and returns its combined output. Canceling the
// command's context kills the whole group: a build canceled by a newer
// save must not leave the compiler, linker or tools it started running.
func run(cmd *exec.Cmd) ([]byte, error) {
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	procgroup.Isolate(cmd)
	procgroup.KillOnCancel(cmd)
	// A grandchild holding the output pipe open must not keep us waiting.
	cmd.WaitDelay = 2 * time.Second
	err := cmd.Run()
	return out.Bytes(), err
}
