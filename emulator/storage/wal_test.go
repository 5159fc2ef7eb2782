package storage

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/funcemu/funcemu/internal/sqlitedb"
)

// patterned is n bytes of a repeating pattern, produced without holding
// them in memory.
type patterned struct{ left int64 }

func (p *patterned) Read(b []byte) (int, error) {
	if p.left <= 0 {
		return 0, io.EOF
	}
	n := int64(len(b))
	if n > p.left {
		n = p.left
	}
	for i := range b[:n] {
		b[i] = byte(i * 7)
	}
	p.left -= n
	return int(n), nil
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

// TestWALStaysBoundedUnderConcurrentUploads uploads 512 MiB as four
// concurrent 128 MiB blobs: afterwards the write-ahead log is within
// sqlitedb.WALSizeLimit (64 MiB), not the size of the uploads. Deleting
// the blobs and compacting gives the space back.
func TestWALStaysBoundedUnderConcurrentUploads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "storage.db")
	s, err := Open(Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	mustContainer(t, s, "big")
	const uploads, each = 4, 128 << 20
	var wg sync.WaitGroup
	errs := make(chan error, uploads)
	for i := range uploads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.PutBlob(ctx, acct, "big", fmt.Sprintf("blob-%d", i), &patterned{left: each}, PutBlobOptions{})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	wal := fileSize(t, path+"-wal")
	if wal > sqlitedb.WALSizeLimit {
		t.Fatalf("write-ahead log is %d MiB after %d MiB of uploads, want at most %d MiB",
			wal>>20, uploads*each>>20, sqlitedb.WALSizeLimit>>20)
	}
	t.Logf("write-ahead log after %d MiB of concurrent uploads: %d MiB", uploads*each>>20, wal>>20)

	for i := range uploads {
		if err := s.DeleteBlob(ctx, acct, "big", fmt.Sprintf("blob-%d", i), "", "", Conditions{}); err != nil {
			t.Fatal(err)
		}
	}
	before := fileSize(t, path)
	if err := s.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	after := fileSize(t, path)
	if after > before/8 || after > 16<<20 {
		t.Fatalf("database is %d MiB after compacting (was %d MiB): deleted blobs' space not given back", after>>20, before>>20)
	}
	if wal := fileSize(t, path+"-wal"); wal != 0 {
		t.Fatalf("write-ahead log is %d bytes after compacting, want 0", wal)
	}
}
