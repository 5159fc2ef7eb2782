package cmd

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStorageCompactGivesSpaceBack: --compact refuses a data folder a
// funcemu storage serves, and once it stopped, gives a deleted blob's
// space back.
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
	if _, err := blobs.UploadBuffer(ctx, "big", "big", bytes.Repeat([]byte("x"), 32<<20), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := blobs.DeleteBlob(ctx, "big", "big", nil); err != nil {
		t.Fatal(err)
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
		t.Fatalf("storage.db and its log: %s before compacting, %s after; want the 32 MiB blob's space back",
			formatMiB(before), formatMiB(after))
	}
}
