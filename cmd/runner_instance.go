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

// announceInstance writes the instance file once every part is serving and
// removes it at close.
func (r *runner) announceInstance() {
	events, unsubscribe := r.bus.Subscribe(64)
	path := instancePath(r.dataDir())
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		for e := range events {
			if e.Kind == emulator.EventReady && e.Ready != nil {
				if err := writeReadyFile(path, e.Ready); err != nil {
					r.log(emulator.LevelWarning, "funcemu replay will not find this instance: %v", err)
				}
			}
		}
	}()
	r.onClose(func() {
		unsubscribe()
		<-watched
		os.Remove(path)
	})
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
