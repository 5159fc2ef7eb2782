package app

import (
	"os"
	"path/filepath"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// decodeCustomHandler reads customHandler, or the legacy httpWorker
// section, as the host's HttpWorkerOptionsSetup does.
func decodeCustomHandler(f fields, dir string, cfg Config) (emulator.CustomHandler, []string, error) {
	var ch emulator.CustomHandler
	var warnings []string
	section := "customHandler"
	switch {
	case f.t.has("customHandler") && f.t.has("httpWorker"):
		warnings = append(warnings, "Both httpWorker and customHandler sections are specified in host.json file. customHandler takes precedence.")
	case f.t.has("httpWorker"):
		warnings = append(warnings, "Section httpWorker will be deprecated. Please use customHandler section.")
		section = "httpWorker"
		// httpWorker apps always had plain HTTP functions forwarded.
		ch.EnableForwardingHttpRequest = true
	case !f.t.has("customHandler"):
		return ch, nil, invalid(hostFile, "customHandler", "missing; funcemu runs custom-handler apps: add \"customHandler\": {\"description\": {\"defaultExecutablePath\": \"handler\"}}")
	}
	desc := section + ".description"
	if !f.t.has(desc) {
		return ch, nil, invalid(hostFile, desc, "Missing worker Description.")
	}

	workerDir := dir
	if wd, _ := f.str(desc + ".workerDirectory"); wd != "" {
		workerDir = resolve(dir, cfg.expandEnv(wd))
	}
	exe, _ := f.str(desc + ".defaultExecutablePath")
	exe = cfg.expandEnv(exe)
	if exe == "" {
		return ch, nil, invalid(hostFile, desc+".defaultExecutablePath", "WorkerDescription DefaultExecutablePath cannot be empty")
	}
	// A relative path becomes absolute only if the file exists under the
	// worker directory; otherwise it is a command looked up on PATH.
	if !filepath.IsAbs(exe) {
		if full := filepath.Join(workerDir, exe); isFile(full) {
			exe = full
		}
	}
	ch.ExecutablePath = exe

	ch.WorkingDirectory = dir
	if wd, _ := f.str(desc + ".workingDirectory"); wd != "" {
		ch.WorkingDirectory = resolve(dir, wd)
	}

	// Command line: exe [arguments] [defaultWorkerPath] [workerArguments].
	args, _, err := f.strings(desc + ".arguments")
	if err != nil {
		return ch, nil, err
	}
	workerArgs, _, err := f.strings(desc + ".workerArguments")
	if err != nil {
		return ch, nil, err
	}
	if wp, _ := f.str(desc + ".defaultWorkerPath"); wp != "" {
		args = append(args, wp)
	}
	args = append(args, workerArgs...)
	ch.Arguments = make([]string, len(args))
	for i, a := range args {
		ch.Arguments[i] = cfg.expandEnv(a)
	}

	if section == "customHandler" {
		if ch.EnableForwardingHttpRequest, err = f.boolean(section+".enableForwardingHttpRequest", false); err != nil {
			return ch, nil, err
		}
	}
	if ch.EnableProxyingHttpRequest, err = f.boolean(section+".enableProxyingHttpRequest", false); err != nil {
		return ch, nil, err
	}
	if ch.InitializationTimeout, err = f.duration(section+".initializationTimeout", defaultInitializationTimeout, time.Millisecond); err != nil {
		return ch, nil, err
	}
	return ch, warnings, nil
}

func resolve(dir, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(dir, p)
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}
