package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/funcemu/funcemu/emulator"
)

const functionFile = "function.json"

// loadFunctions reads every immediate subfolder of dir that holds a
// function.json. Folders that fail go to broken; the rest load.
func loadFunctions(dir string, cfg Config) (fns []*emulator.Function, broken []*emulator.FunctionError, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("read app folder: %w", err)
	}
	for _, e := range entries {
		fdir := filepath.Join(dir, e.Name())
		if st, err := os.Stat(fdir); err != nil || !st.IsDir() {
			continue // files, and links to nowhere
		}
		fn, err := loadFunction(fdir, e.Name(), cfg)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue // not a function folder
		case err != nil:
			broken = append(broken, &emulator.FunctionError{Name: e.Name(), Err: err})
		default:
			fns = append(fns, fn)
		}
	}
	return fns, broken, nil
}

// loadFunction reads one function folder. It returns an error wrapping
// fs.ErrNotExist when the folder has no function.json.
func loadFunction(fdir, name string, cfg Config) (*emulator.Function, error) {
	rel := name + "/" + functionFile
	raw, err := os.ReadFile(filepath.Join(fdir, functionFile))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, &FileError{File: rel, Err: emulator.Errorf(emulator.EINVALID, "%v", err)}
	}
	if !isFunctionName(name) || strings.EqualFold(name, "host") {
		return nil, invalid(rel, "", "'%s' is not a valid function name.", name)
	}
	return parseFunction(fdir, name, raw, cfg)
}

// parseFunction decodes function.json bytes for the function name.
func parseFunction(fdir, name string, raw []byte, cfg Config) (*emulator.Function, error) {
	rel := name + "/" + functionFile
	obj, err := parseJSONObject(rel, raw)
	if err != nil {
		return nil, err
	}
	fn := &emulator.Function{Name: name, Dir: fdir, Config: json.RawMessage(raw)}

	v, _ := lookupFold(obj, "bindings")
	list, isList := v.([]any)
	if v != nil && !isList {
		return nil, invalid(rel, "bindings", "must be an array, found %s", jsonKind(v))
	}
	if len(list) == 0 {
		return nil, invalid(rel, "bindings", "At least one binding must be declared.")
	}
	names := map[string]bool{}
	for i, item := range list {
		b, err := decodeBinding(rel, i, item, name, cfg)
		if err != nil {
			return nil, err
		}
		key := strings.ToLower(b.Name)
		if names[key] {
			return nil, invalid(rel, fmt.Sprintf("bindings[%d].name", i), "Multiple bindings with name '%s' discovered. Binding names must be unique.", b.Name)
		}
		names[key] = true
		fn.Bindings = append(fn.Bindings, b)
	}
	if err := checkTriggers(rel, fn.Bindings); err != nil {
		return nil, err
	}

	if r, ok := lookupFold(obj, "retry"); ok && r != nil {
		if _, isObj := r.(map[string]any); !isObj {
			return nil, invalid(rel, "retry", "must be an object, found %s", jsonKind(r))
		}
		t := tree{}
		t.flatten("retry", r)
		if fn.Retry, err = decodeRetry(fields{file: rel, t: t}, "retry"); err != nil {
			return nil, err
		}
	}
	return fn, nil
}

// checkTriggers demands exactly one trigger binding.
func checkTriggers(rel string, bs []*emulator.Binding) error {
	var idx []int
	for i, b := range bs {
		if b.IsTrigger() {
			idx = append(idx, i)
		}
	}
	switch {
	case len(idx) == 0:
		return invalid(rel, "bindings", "No trigger binding specified. A function must have a trigger input binding.")
	case len(idx) > 1:
		return invalid(rel, fmt.Sprintf("bindings[%d].type", idx[1]), "Multiple trigger bindings defined. A function can only have a single trigger binding.")
	}
	return nil
}
