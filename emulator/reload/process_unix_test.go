//go:build unix

package reload

import "syscall"

// processAlive reports whether pid names a live process. A zombie counts
// as gone: it runs nothing.
func processAlive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	return !isZombie(pid)
}
