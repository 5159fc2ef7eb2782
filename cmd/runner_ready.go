package cmd

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/funcemu/funcemu/emulator"
)

// announceReady tells the console and the ready file that every part is
// serving.
func (r *runner) announceReady(context.Context) error {
	r.endpoints.PID = os.Getpid()
	ready := r.endpoints
	if r.journal != nil {
		r.announceInstance(&ready)
	}
	r.publish(emulator.Event{Kind: emulator.EventReady, Ready: &ready})
	if r.opts.readyFile == "" {
		return nil
	}
	if err := writeReadyFile(r.opts.readyFile, &ready); err != nil {
		return err
	}
	r.onClose(func() { os.Remove(r.opts.readyFile) })
	return nil
}

// writeReadyFile writes the endpoints atomically, so a reader never sees
// half a file.
func writeReadyFile(path string, e *emulator.Endpoints) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write ready file: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write ready file: %w", err)
	}
	return nil
}
