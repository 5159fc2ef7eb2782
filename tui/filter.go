package tui

import (
	"strings"

	"github.com/funcemu/funcemu/emulator"
)

// ciVariables are the environment variables that make Core Tools verbose on
// its own, because a CI log is read after the fact.
var ciVariables = []string{"CI", "CONTINUOUS_INTEGRATION", "BUILD_NUMBER", "RUN_ID"}

// CIEnvironment reports whether getenv shows a CI run, in which case the
// caller should set PrinterOptions.Verbose like `func start` does.
func CIEnvironment(getenv func(string) string) bool {
	for _, name := range ciVariables {
		if getenv(name) != "" {
			return true
		}
	}
	return false
}

// alwaysShownPrefixes are host messages Core Tools prints whatever the
// filter, because users wait for them.
var alwaysShownPrefixes = []string{
	"Worker process started and initialized.",
	"Host lock lease acquired by instance ID",
	"Event Grid subscriptions (",
}

// isUserCategory reports whether a log category belongs to the user's code
// (function logs and handler output) rather than to the host.
func isUserCategory(category string) bool {
	return category == emulator.CategoryFunction ||
		strings.HasPrefix(category, emulator.CategoryFunction+".") ||
		category == emulator.CategoryConsole
}

// logVisible applies Core Tools' console filter: user logs at information
// and above, host logs at warning and above unless verbose.
func logVisible(l *emulator.LogEntry, verbose bool) bool {
	if isUserCategory(l.Category) || verbose {
		return l.Level >= emulator.LevelInfo
	}
	if l.Level >= emulator.LevelWarning {
		return true
	}
	for _, p := range alwaysShownPrefixes {
		if strings.HasPrefix(l.Message, p) {
			return true
		}
	}
	return false
}
