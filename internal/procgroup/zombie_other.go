//go:build unix && !linux

package procgroup

// zombie cannot tell a zombie from a live process here without ps.
func zombie(int) bool { return false }
