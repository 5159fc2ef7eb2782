package app

import (
	"strings"
)

const overridePrefix = "azurefunctionsjobhost:"

// applyOverrides lays AzureFunctionsJobHost__a__b settings over the
// flattened host.json, local.settings.json Values first and the process
// environment on top, as the host's configuration stack does. "__" and ":"
// both separate levels; array items are __0, __1, ...
func applyOverrides(t tree, values map[string]string, environ []string) {
	for _, k := range sortedKeys(values) {
		applyOverride(t, k, values[k], "local.settings.json Values."+k)
	}
	for _, kv := range environ {
		k, v, ok := strings.Cut(kv, "=")
		if ok {
			applyOverride(t, k, v, "environment variable "+k)
		}
	}
}

func applyOverride(t tree, name, value, source string) {
	path, ok := strings.CutPrefix(normalizeName(name), overridePrefix)
	if !ok || path == "" {
		return
	}
	t[path] = leaf{value: value, source: source}
}
