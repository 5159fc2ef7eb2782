//go:build unix && !linux

package reload

func isZombie(pid int) bool { return false }
