package storage

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestPageBlobIsSparse writes 1 MiB into an 8 GiB page blob and checks
// that the database holds about that much, not 8 GiB.
func TestPageBlobIsSparse(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := Open(Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if _, err := s.CreateContainer(ctx, "a", "disks", ContainerOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PutBlob(ctx, "a", "disks", "d", nil, PutBlobOptions{Type: PageBlob, PageBlobSize: 8 << 30}); err != nil {
		t.Fatal(err)
	}
	data := bytes.Repeat([]byte{7}, 1<<20)
	if _, err := s.PutPages(ctx, "a", "disks", "d", 3<<30, 3<<30+1<<20-1, bytes.NewReader(data), PageOptions{}); err != nil {
		t.Fatal(err)
	}
	// Overwriting the middle of the written MiB keeps the rest of it.
	if _, err := s.PutPages(ctx, "a", "disks", "d", 3<<30+4096, 3<<30+8191, bytes.NewReader(make([]byte, 4096)), PageOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, suffix := range []string{"", "-wal"} {
		if fi, err := os.Stat(path + suffix); err == nil {
			total += fi.Size()
		}
	}
	if total > 4<<20 {
		t.Fatalf("an 8 GiB page blob with 1 MiB written takes %d bytes", total)
	}
	r, err := s.OpenBlob(ctx, "a", "disks", "d", ReadOptions{Range: &ByteRange{Start: 3<<30 - 512, End: 3<<30 + 8192 + 511}})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	want := append(append(append(make([]byte, 512), data[:4096]...), make([]byte, 4096)...), data[:512]...)
	if !bytes.Equal(got, want) {
		t.Fatal("content around the overwritten pages differs")
	}
}
