package build

import (
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/funcemu/funcemu/emulator"
)

// diagnostic matches the go tool's "file.go:line:col: message" and
// "file.go:line: message" lines.
var diagnostic = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(\S.*?\.go):(\d+)(?::(\d+))?: (.+)$`) })

// ParseErrors extracts the compiler diagnostics from go build's output.
// Indented lines continue the previous diagnostic; other lines (package
// headers, "too many errors") are skipped.
func ParseErrors(output string) []emulator.CompileError {
	var errs []emulator.CompileError
	for _, line := range strings.Split(output, "\n") {
		line = strings.TrimRight(line, "\r")
		if m := diagnostic().FindStringSubmatch(line); m != nil {
			n, _ := strconv.Atoi(m[2])
			col, _ := strconv.Atoi(m[3])
			errs = append(errs, emulator.CompileError{
				File:    strings.TrimPrefix(m[1], "./"),
				Line:    n,
				Column:  col,
				Message: m[4],
			})
			continue
		}
		if len(errs) > 0 && strings.HasPrefix(line, "\t") {
			last := &errs[len(errs)-1]
			last.Message += "\n" + strings.TrimSpace(line)
		}
	}
	return errs
}
