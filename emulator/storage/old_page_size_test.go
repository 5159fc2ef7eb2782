package storage

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"path/filepath"
	"testing"
)

// TestStoreWithFourKiBPagesKeepsWorking opens a store file created with
// SQLite's default 4 KiB pages, as funcemu created them before new files
// got larger pages, and checks multi-chunk blobs still go in and come back
// out, across a reopen.
func TestStoreWithFourKiBPagesKeepsWorking(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE made_before (x)`); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	ctx := context.Background()
	data := bytes.Repeat([]byte("0123456789abcdef"), 5000) // 80,000 bytes: 5 chunks
	s, err := Open(Options{Path: path, ChunkSize: 16 << 10})
	if err != nil {
		t.Fatal(err)
	}
	mustContainer(t, s, "old")
	if _, err := s.PutBlob(ctx, acct, "old", "b", bytes.NewReader(data), PutBlobOptions{}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s, err = Open(Options{Path: path, ChunkSize: 16 << 10})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var pageSize int
	if err := s.db.QueryRow(`PRAGMA page_size`).Scan(&pageSize); err != nil || pageSize != 4096 {
		t.Fatalf("page_size = %d (%v), want 4096 kept", pageSize, err)
	}
	r, err := s.OpenBlob(ctx, acct, "old", "b", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) {
		t.Fatalf("read back %d bytes, want the %d uploaded", len(got), len(data))
	}
}
