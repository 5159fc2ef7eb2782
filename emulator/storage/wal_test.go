package storage

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

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

// TestWALStaysBoundedUnderConcurrentUploads uploads three times the log's
// limit as four concurrent blobs beside a reader: during and after them
// the write-ahead log stays within its limit, not the size of the
// uploads. Deleting the blobs and compacting gives the space back. Large
// bodies now go to chunk files; this holds for content kept inline. The
// limit is a quarter of sqlitedb.WALSizeLimit (64 MiB), so that the test
// writes 48 MiB rather than 192: the bound comes from the forced
// checkpoints every half limit, whatever the limit.
func TestWALStaysBoundedUnderConcurrentUploads(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "storage.db")
	const limit = sqlitedb.WALSizeLimit / 4
	s, err := Open(Options{Path: path, inlineChunks: true, walLimit: limit})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	mustContainer(t, s, "big")
	put(t, s, "big", "small", "read while the uploads run")
	const uploads, each = 4, 3 * limit / 4
	// A reader streams a blob the whole time, as triggers and clients do:
	// its snapshots are what keep SQLite's own checkpoints from resetting
	// the log.
	stopReading := make(chan struct{})
	reading := make(chan error, 1)
	go func() {
		for {
			select {
			case <-stopReading:
				reading <- nil
				return
			default:
			}
			r, err := s.OpenBlob(ctx, acct, "big", "small", ReadOptions{})
			if err == nil {
				_, err = io.Copy(io.Discard, r)
				r.Close()
			}
			if err != nil {
				reading <- err
				return
			}
		}
	}()
	// The log's largest size during the uploads, sampled.
	var peak atomic.Int64
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for {
			if n := fileSize(t, path+"-wal"); n > peak.Load() {
				peak.Store(n)
			}
			select {
			case <-stopReading:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
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
	close(stopReading)
	if err := <-reading; err != nil {
		t.Fatal(err)
	}
	<-sampled
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	wal := fileSize(t, path+"-wal")
	if wal > limit || peak.Load() > limit {
		t.Fatalf("write-ahead log is %d MiB after %d MiB of uploads and reached %d MiB during them, want at most %d MiB",
			wal>>20, uploads*each>>20, peak.Load()>>20, limit>>20)
	}
	t.Logf("write-ahead log after %d MiB of concurrent uploads: %d MiB, at most %d MiB during them", uploads*each>>20, wal>>20, peak.Load()>>20)

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
