//go:build unix && !linux

package worker

import (
	"os/exec"

	"github.com/funcemu/funcemu/internal/procgroup"
)

// setProcAttr puts the handler in its own process group, so stopping it
// reaches its children too. These systems have no parent-death signal: a
// handler outlives funcemu only when funcemu is killed with SIGKILL, and
// the next start on the same port reports the port as in use.
func setProcAttr(cmd *exec.Cmd) { procgroup.Isolate(cmd) }
