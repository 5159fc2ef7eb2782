package cmd

import (
	"fmt"
	"os/exec"
	"path/filepath"
)

// checkExecutable explains a handler executable that is not there, naming
// the host.json field that points at it, instead of exec's "no such file".
func (r *runner) checkExecutable() error {
	exe := r.exe
	if !filepath.IsAbs(exe) {
		if _, err := exec.LookPath(exe); err == nil {
			return nil
		}
	} else if fileExists(exe) {
		return nil
	}
	field := "host.json: customHandler.description.defaultExecutablePath"
	hint := "build the handler there"
	switch {
	case r.opts.noBuild:
		hint = "build it, or start without --no-build to let funcemu run go build"
	case r.opts.buildCmd != "":
		hint = "the --build command did not produce it"
	case !fileExists(filepath.Join(r.app.Dir, "go.mod")):
		hint = "the app has no go.mod for funcemu to build; build the handler there, or use --build"
	}
	return fmt.Errorf("%s: %q: no such executable (%s): %s", field, r.app.Host.CustomHandler.ExecutablePath, exe, hint)
}
