// Package app loads a function app folder (host.json, local.settings.json
// and one folder per function) into an *emulator.App, validating it the
// way the Functions host and func start do, with every error naming the
// file and field at fault.
package app

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/funcemu/funcemu/emulator"
)

// Options tune Load.
type Options struct {
	Environ   []string // the process environment as KEY=VALUE; nil means os.Environ()
	Functions []string // --functions allow-list from the command line; overrides host.json "functions"
}

// Load reads the app folder dir. A broken host.json or local.settings.json
// is an error; a broken function goes into App.Broken and the rest load.
// Functions are sorted by name, case-insensitively, which is the order the
// host matches HTTP routes in.
func Load(dir string, opts Options) (*emulator.App, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("app folder %s: %w", dir, err)
	}
	if st, err := os.Stat(abs); err != nil {
		return nil, fmt.Errorf("app folder: %w", err)
	} else if !st.IsDir() {
		return nil, fmt.Errorf("app folder %s: not a directory", abs)
	}
	environ := opts.Environ
	if environ == nil {
		environ = os.Environ()
	}
	a := &emulator.App{Dir: abs}

	settings, warnings, err := readSettings(abs)
	if err != nil {
		return nil, err
	}
	a.Settings = settings
	a.Warnings = append(a.Warnings, warnings...)
	a.Warnings = append(a.Warnings, skippedSettings(settings.Values, environ)...)
	cfg := NewConfig(a, environ)
	if rt, ok := cfg.Lookup("FUNCTIONS_WORKER_RUNTIME"); ok && rt != "" && !strings.EqualFold(rt, "custom") {
		a.Warnings = append(a.Warnings, fmt.Sprintf("FUNCTIONS_WORKER_RUNTIME is '%s'; funcemu runs the app as a custom handler.", rt))
	}

	hostJSON, err := readHostJSON(abs)
	if nap, ok := err.(*NotAppError); ok {
		nap.Dir = dir // as the user wrote it
	}
	if err != nil {
		return nil, err
	}
	t := tree{}
	t.flatten("", hostJSON)
	applyOverrides(t, settings.Values, environ)
	if len(opts.Functions) > 0 {
		t.setList("functions", opts.Functions, "the --functions option")
	}
	host, warnings, err := decodeHost(t, abs, cfg)
	if err != nil {
		return nil, err
	}
	a.Host = host
	a.Warnings = append(a.Warnings, warnings...)

	fns, broken, err := loadFunctions(abs, cfg)
	if err != nil {
		return nil, err
	}
	fns, broken = checkRoutes(host, fns, broken)
	if len(host.Functions) > 0 {
		var missing []string
		fns, broken, missing = allowOnly(host.Functions, fns, broken)
		for _, name := range missing {
			a.Warnings = append(a.Warnings, fmt.Sprintf("The functions allow-list names '%s', which is not a function in this app.", name))
		}
	}
	for _, fn := range fns {
		fn.Disabled = cfg.disabled(fn.Name)
	}
	a.Warnings = append(a.Warnings, notEmulatedWarnings(fns)...)
	sort.SliceStable(fns, func(i, j int) bool { return lessFold(fns[i].Name, fns[j].Name) })
	sort.SliceStable(broken, func(i, j int) bool { return lessFold(broken[i].Name, broken[j].Name) })
	a.Functions, a.Broken = fns, broken
	return a, nil
}

// allowOnly keeps the functions (and broken ones) named in allow, any case,
// and returns the names that match nothing.
func allowOnly(allow []string, fns []*emulator.Function, broken []*emulator.FunctionError) ([]*emulator.Function, []*emulator.FunctionError, []string) {
	wanted := map[string]bool{}
	for _, n := range allow {
		wanted[strings.ToLower(n)] = false
	}
	var keptFns []*emulator.Function
	for _, f := range fns {
		if _, ok := wanted[strings.ToLower(f.Name)]; ok {
			wanted[strings.ToLower(f.Name)] = true
			keptFns = append(keptFns, f)
		}
	}
	var keptBroken []*emulator.FunctionError
	for _, b := range broken {
		if _, ok := wanted[strings.ToLower(b.Name)]; ok {
			wanted[strings.ToLower(b.Name)] = true
			keptBroken = append(keptBroken, b)
		}
	}
	var missing []string
	for _, n := range allow {
		if !wanted[strings.ToLower(n)] {
			missing = append(missing, n)
			wanted[strings.ToLower(n)] = true // report once
		}
	}
	return keptFns, keptBroken, missing
}

// lessFold is OrdinalIgnoreCase ordering: compare upper-cased runes.
func lessFold(a, b string) bool {
	ua, ub := strings.ToUpper(a), strings.ToUpper(b)
	if ua != ub {
		return ua < ub
	}
	return a < b
}
