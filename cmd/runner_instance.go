package cmd

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/funcemu/funcemu/emulator"
)

// instanceFileName is where a running funcemu says, in its data folder,
// where it serves, so replay can find it without flags.
const instanceFileName = "instance.json"

func instancePath(dataDir string) string { return filepath.Join(dataDir, instanceFileName) }

// announceInstance writes the instance file, before the ready file and the
// ready event, so whoever sees funcemu ready also finds it; close removes
// it if it is still this process's. With --in-memory this instance owns
// no data folder and writes none.
func (r *runner) announceInstance(ready *emulator.Endpoints) {
	if r.opts.storageOpts.inMemory {
		return
	}
	path := instancePath(r.dataDir())
	if err := writeReadyFile(path, ready); err != nil {
		r.log(emulator.LevelWarning, "funcemu replay will not find this instance: %v", err)
		return
	}
	r.onClose(func() { removeOwnInstance(r.dataDir(), ready.PID) })
}

// removeOwnInstance removes the instance file only when pid wrote it.
func removeOwnInstance(dataDir string, pid int) {
	if e, err := readInstance(dataDir); err == nil && e.PID == pid {
		os.Remove(instancePath(dataDir))
	}
}

// readInstance reads the endpoints a running funcemu wrote in dataDir.
func readInstance(dataDir string) (emulator.Endpoints, error) {
	var e emulator.Endpoints
	path := instancePath(dataDir)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return e, fmt.Errorf("no running funcemu found (%s does not exist): start the app with funcemu start, or pass --url", path)
	}
	if err != nil {
		return e, err
	}
	if err := json.Unmarshal(b, &e); err != nil || e.HTTP == "" {
		return e, fmt.Errorf("%s: not a funcemu instance file", path)
	}
	return e, nil
}
