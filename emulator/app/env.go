package app

import (
	"os"
	"sort"
	"strings"

	"github.com/funcemu/funcemu/emulator"
)

// HandlerEnv is the environment for the handler process: environ (nil
// means os.Environ()), plus each local.settings.json Values entry that
// environ does not define, plus AZURE_FUNCTIONS_ENVIRONMENT=Development,
// FUNCTIONS_WORKER_RUNTIME (from environ or Values, else "custom") and
// AzureWebJobsScriptRoot=<app dir>, as func start exports them.
func HandlerEnv(a *emulator.App, environ []string) []string {
	if environ == nil {
		environ = os.Environ()
	}
	forced := map[string]string{
		"AZURE_FUNCTIONS_ENVIRONMENT": "Development",
		"AzureWebJobsScriptRoot":      a.Dir,
	}
	defined := map[string]bool{}
	out := make([]string, 0, len(environ)+len(a.Settings.Values)+3)
	for _, kv := range environ {
		k, _, _ := strings.Cut(kv, "=")
		if _, ok := forced[k]; ok {
			continue
		}
		defined[k] = true
		out = append(out, kv)
	}
	for _, k := range sortedKeys(a.Settings.Values) {
		if _, ok := forced[k]; ok || defined[k] {
			continue
		}
		defined[k] = true
		out = append(out, k+"="+a.Settings.Values[k])
	}
	if !defined["FUNCTIONS_WORKER_RUNTIME"] {
		out = append(out, "FUNCTIONS_WORKER_RUNTIME=custom")
	}
	out = append(out, "AZURE_FUNCTIONS_ENVIRONMENT=Development", "AzureWebJobsScriptRoot="+a.Dir)
	return out
}

// skippedSettings lists the warnings func start prints for Values that the
// environment already defines.
func skippedSettings(values map[string]string, environ []string) []string {
	defined := map[string]bool{}
	for _, kv := range environ {
		k, _, _ := strings.Cut(kv, "=")
		defined[k] = true
	}
	var warnings []string
	for _, k := range sortedKeys(values) {
		if defined[k] {
			warnings = append(warnings, "Skipping '"+k+"' from local settings as it's already defined in current environment variables.")
		}
	}
	return warnings
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
