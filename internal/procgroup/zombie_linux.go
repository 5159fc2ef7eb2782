package procgroup

import (
	"os"
	"strconv"
	"strings"
)

// zombie reports whether pid has exited but is not yet reaped; an
// unreadable entry counts as gone.
func zombie(pid int) bool {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	s := string(data)
	i := strings.LastIndexByte(s, ')') // the command name may hold ')'
	return i >= 0 && i+2 < len(s) && s[i+2] == 'Z'
}
