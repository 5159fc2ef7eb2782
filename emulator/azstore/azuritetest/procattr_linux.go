package azuritetest

import "syscall"

// procAttr has the kernel kill Azurite if the test binary dies without
// cleaning up (a test timeout), so no server outlives its tests.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
