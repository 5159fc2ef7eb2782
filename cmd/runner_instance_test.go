package cmd

import (
	"errors"
	"os"
	"testing"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/adminclient"
)

// TestInstanceFileRemovedOnlyByItsWriter: an instance stopping removes
// the instance file when it wrote it, and leaves another's alone.
func TestInstanceFileRemovedOnlyByItsWriter(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := writeReadyFile(adminclient.InstancePath(dir), &emulator.Endpoints{HTTP: "http://127.0.0.1:7071", PID: 100}); err != nil {
		t.Fatal(err)
	}
	removeOwnInstance(dir, 200)
	if e, err := adminclient.ReadInstance(dir); err != nil || e.PID != 100 {
		t.Fatalf("another pid removed or changed the instance file: %+v, %v", e, err)
	}
	removeOwnInstance(dir, 100)
	if _, err := os.Stat(adminclient.InstancePath(dir)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the writer did not remove its instance file: %v", err)
	}
}
