// Package jsconformance runs the JavaScript conformance batteries (one
// folder each, such as storage/) against funcemu's services started in
// process, with the pinned Azure SDKs .ci/jsdeps installs.
package jsconformance

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator/storage"
	"github.com/funcemu/funcemu/emulator/storage/rest"
)

// nodeModules installs the pinned packages (a no-op when cached) and
// returns their folder.
func nodeModules(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("../../.ci/jsdeps").Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf(".ci/jsdeps: %v\n%s", err, stderr)
	}
	return strings.TrimSpace(string(out))
}

// startStorage serves Blob, Queue and Table over a fresh store on free loopback
// ports and returns the environment the batteries read.
func startStorage(t *testing.T) []string {
	t.Helper()
	store, err := storage.Open(storage.Options{Path: filepath.Join(t.TempDir(), "storage.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	srv, err := rest.Start(rest.Config{Blob: rest.NewBlobService(store), Queue: rest.NewQueueService(store),
		Table: rest.NewTableService(store)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Close(ctx)
	})
	return []string{
		"FUNCEMU_ACCOUNT=" + rest.DevAccountName,
		"FUNCEMU_ACCOUNT_KEY=" + rest.DevAccountKey,
		"FUNCEMU_BLOB_URL=" + srv.BlobURL,
		"FUNCEMU_QUEUE_URL=" + srv.QueueURL,
		"FUNCEMU_TABLE_URL=" + srv.TableURL,
	}
}

// runBattery runs every *.test.js of one folder with node's test runner,
// in one node process (lib/run.js), and fails with its report when any
// case fails.
func runBattery(t *testing.T, dir string, modules string, env []string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.test.js"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no *.test.js in %s (%v)", dir, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", append([]string{"--test-reporter=spec", filepath.Join("lib", "run.js")}, files...)...)
	cmd.Env = append(append(os.Environ(), "NODE_PATH="+modules), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node lib/run.js %s: %v\n%s", dir, err, out)
	}
	t.Logf("%s", out)
}

func TestStorageBattery(t *testing.T) {
	t.Parallel() // each battery has a store and servers of its own
	modules := nodeModules(t)
	runBattery(t, "storage", modules, startStorage(t))
}

func TestTablesBattery(t *testing.T) {
	t.Parallel()
	modules := nodeModules(t)
	runBattery(t, "tables", modules, startStorage(t))
}
