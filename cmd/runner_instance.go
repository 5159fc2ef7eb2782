package cmd

import (
	"os"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/adminclient"
)

// announceInstance writes the instance file, before the ready file and the
// ready event, so whoever sees funcemu ready also finds it; close removes
// it if it is still this process's. With --in-memory this instance owns
// no data folder and writes none.
func (r *runner) announceInstance(ready *emulator.Endpoints) {
	if r.opts.storageOpts.inMemory {
		return
	}
	path := adminclient.InstancePath(r.dataDir())
	if err := writeReadyFile(path, ready); err != nil {
		r.log(emulator.LevelWarning, "funcemu replay will not find this instance: %v", err)
		return
	}
	r.onClose(func() { removeOwnInstance(r.dataDir(), ready.PID) })
}

// removeOwnInstance removes the instance file only when pid wrote it.
func removeOwnInstance(dataDir string, pid int) {
	if e, err := adminclient.ReadInstance(dataDir); err == nil && e.PID == pid {
		os.Remove(adminclient.InstancePath(dataDir))
	}
}
