package cmd

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStorageCompactGivesSpaceBack: --compact refuses a data folder a
// funcemu storage serves, and once it stopped, gives deleted blobs' space
// back. Blobs of up to 1 MiB live in storage.db (a larger one's chunk
// file goes with the blob).
func TestStorageCompactGivesSpaceBack(t *testing.T) {
	t.Parallel()
	bin, _ := binaries(t)
	data := filepath.Join(t.TempDir(), "data")
	cmd, ends := startStorage(t, bin, data)
	blobs := blobClient(t, ends)
	ctx := context.Background()
	if _, err := blobs.CreateContainer(ctx, "big", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := blobs.UploadBuffer(ctx, "big", "big", bytes.Repeat([]byte("x"), 4<<20), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := blobs.DeleteBlob(ctx, "big", "big", nil); err != nil {
		t.Fatal(err)
	}
	if files, err := os.ReadDir(filepath.Join(data, storageFileName+"-chunks")); err != nil || len(files) != 0 {
		t.Fatalf("chunk files after deleting the large blob: %v, %v", files, err)
	}
	for i := range 36 {
		if _, err := blobs.UploadBuffer(ctx, "big", fmt.Sprintf("small-%d", i), bytes.Repeat([]byte("x"), 1<<20-1), nil); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 36 {
		if _, err := blobs.DeleteBlob(ctx, "big", fmt.Sprintf("small-%d", i), nil); err != nil {
			t.Fatal(err)
		}
	}
	missing := filepath.Join(t.TempDir(), "missing")
	if _, err := runFuncemu(t, "", "storage", "--compact", "--data-dir", missing); err == nil ||
		err.Error() != "no data folder at "+missing+": pass the folder to compact with --data-dir" {
		t.Fatalf("compact of a missing folder: %v", err)
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Fatal("compact created the missing folder")
	}
	out, err := runFuncemu(t, "", "storage", "--compact", "--data-dir", data)
	if err == nil || !strings.Contains(err.Error(), data+" is in use by funcemu pid ") {
		t.Fatalf("compact beside a running storage: %v\n%s", err, out)
	}
	cmd.Process.Signal(os.Interrupt)
	cmd.Wait()
	before, err := dbSize(filepath.Join(data, storageFileName))
	if err != nil {
		t.Fatal(err)
	}
	out, err = runFuncemu(t, "", "storage", "--compact", "--data-dir", data)
	if err != nil || !strings.Contains(out, filepath.Join(data, storageFileName)+": ") {
		t.Fatalf("compact: %v\n%s", err, out)
	}
	after, err := dbSize(filepath.Join(data, storageFileName))
	if err != nil {
		t.Fatal(err)
	}
	if before < 32<<20 || after > 4<<20 {
		t.Fatalf("storage.db and its log: %s before compacting, %s after; want the 36 MiB of blobs' space back",
			formatMiB(before), formatMiB(after))
	}
}
