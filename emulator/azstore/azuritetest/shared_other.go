//go:build !linux

package azuritetest

// keeperEnv is never set here: only Linux shares a server between test
// binaries (see shared_linux.go).
const keeperEnv = "FUNCEMU_AZURITE_KEEPER"

func keep() int { return 1 }

// acquire starts a server of the test binary's own.
func acquire(entry string) (*Server, error) { return startNode(entry) }
