package worker

import "os/exec"

// setProcAttr does nothing on Windows: there is no process group signal;
// stop kills the handler directly.
func setProcAttr(*exec.Cmd) {}
