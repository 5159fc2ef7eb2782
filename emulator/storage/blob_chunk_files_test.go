package storage

import (
	"bytes"
	"context"
	"crypto/md5"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/funcemu/funcemu/internal/sqlitedb"
)

// chunkFileStore opens a file store whose chunks are 64 KiB, so a body of
// a few hundred KiB is "large".
func chunkFileStore(t *testing.T, path string, opts Options) *Store {
	t.Helper()
	opts.Path = path
	if opts.ChunkSize == 0 {
		opts.ChunkSize = 64 << 10
	}
	s, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// chunkFileNames lists the chunk files of the store at path.
func chunkFileNames(t *testing.T, path string) []string {
	t.Helper()
	entries, err := os.ReadDir(chunkDir(path))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

func pattern(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*31>>3) + seed
	}
	return b
}

func readAll(t *testing.T, s *Store, container, name string, opts ReadOptions) []byte {
	t.Helper()
	r, err := s.OpenBlob(context.Background(), acct, container, name, opts)
	if err != nil {
		t.Fatalf("open %s: %v", name, err)
	}
	defer r.Close()
	var got bytes.Buffer
	// WriteTo with a ReaderFrom (bytes.Buffer), as a GET hands the body
	// to net/http.
	if _, err := io.Copy(&got, r); err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return got.Bytes()
}

func TestLargeBodyIsOneChunkFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "store.db")
	s := chunkFileStore(t, path, Options{})
	ctx := context.Background()
	mustContainer(t, s, "files")
	body := pattern(300<<10, 1)
	b, err := s.PutBlob(ctx, acct, "files", "big", bytes.NewReader(body), PutBlobOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if sum := md5.Sum(body); !bytes.Equal(b.Headers.ContentMD5, sum[:]) {
		t.Fatalf("Content-MD5 = %x, want %x", b.Headers.ContentMD5, sum)
	}
	files := chunkFileNames(t, path)
	if len(files) != 1 {
		t.Fatalf("chunk files = %v, want one", files)
	}
	if st, err := os.Stat(filepath.Join(chunkDir(path), files[0])); err != nil || st.Size() != int64(len(body)) {
		t.Fatalf("chunk file: %v, %v; want %d bytes", st, err, len(body))
	}
	var inline int64
	if err := s.db.QueryRow(`SELECT COALESCE(SUM(length(data)), 0) FROM blob_chunks`).Scan(&inline); err != nil || inline != 0 {
		t.Fatalf("bytes inline in the database = %d, %v; want 0", inline, err)
	}
	if got := readAll(t, s, "files", "big", ReadOptions{}); !bytes.Equal(got, body) {
		t.Fatal("whole read differs from the upload")
	}
	// Read (not WriteTo) a buffer at a time.
	data, _, err := s.ReadBlob(ctx, acct, "files", "big")
	if err != nil || !bytes.Equal(data, body) {
		t.Fatalf("ReadBlob: %d bytes, %v", len(data), err)
	}
	for _, rg := range []ByteRange{{0, 0}, {1, 70 << 10}, {65 << 10, 200 << 10}, {299 << 10, -1}} {
		end := rg.End
		if end < 0 {
			end = int64(len(body)) - 1
		}
		if got := readAll(t, s, "files", "big", ReadOptions{Range: &rg}); !bytes.Equal(got, body[rg.Start:end+1]) {
			t.Fatalf("range %d-%d: %d bytes, differ from the upload", rg.Start, rg.End, len(got))
		}
	}
	// A body that ends within one chunk buffer stays inline.
	if _, err := s.PutBlob(ctx, acct, "files", "small", bytes.NewReader(pattern(64<<10-1, 2)), PutBlobOptions{}); err != nil {
		t.Fatal(err)
	}
	if files := chunkFileNames(t, path); len(files) != 1 {
		t.Fatalf("chunk files after a small upload = %v, want still one", files)
	}
}

func TestChunkFilesAreSharedAndRemovedWithTheLastReference(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "store.db")
	s := chunkFileStore(t, path, Options{})
	ctx := context.Background()
	mustContainer(t, s, "files")
	old := pattern(200<<10, 3)
	if _, err := s.PutBlob(ctx, acct, "files", "b", bytes.NewReader(old), PutBlobOptions{}); err != nil {
		t.Fatal(err)
	}
	snap, err := s.SnapshotBlob(ctx, acct, "files", "b", nil, Conditions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CopyBlob(ctx, CopySource{Account: acct, Container: "files", Name: "b"}, acct, "files", "copy", CopyOptions{}); err != nil {
		t.Fatal(err)
	}
	// A reader streams the old version while everything else goes.
	r, err := s.OpenBlob(ctx, acct, "files", "b", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	fresh := pattern(250<<10, 4)
	if _, err := s.PutBlob(ctx, acct, "files", "b", bytes.NewReader(fresh), PutBlobOptions{}); err != nil {
		t.Fatal(err)
	}
	if files := chunkFileNames(t, path); len(files) != 2 {
		t.Fatalf("chunk files = %v, want the old one (snapshot, copy) and the new one", files)
	}
	if got := readAll(t, s, "files", "b", ReadOptions{Snapshot: snap.Snapshot}); !bytes.Equal(got, old) {
		t.Fatal("snapshot differs from the old content")
	}
	if got := readAll(t, s, "files", "copy", ReadOptions{}); !bytes.Equal(got, old) {
		t.Fatal("copy differs from the old content")
	}
	if got := readAll(t, s, "files", "b", ReadOptions{}); !bytes.Equal(got, fresh) {
		t.Fatal("base blob differs from the new content")
	}
	if err := s.DeleteBlob(ctx, acct, "files", "b", snap.Snapshot, DeleteSnapshotsNone, Conditions{}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteBlob(ctx, acct, "files", "copy", "", DeleteSnapshotsNone, Conditions{}); err != nil {
		t.Fatal(err)
	}
	if files := chunkFileNames(t, path); len(files) != 2 {
		t.Fatalf("chunk files while a reader streams the old content = %v, want 2", files)
	}
	got, err := io.ReadAll(r)
	if err != nil || !bytes.Equal(got, old) {
		t.Fatalf("reader of the old version: %d bytes, %v", len(got), err)
	}
	r.Close()
	if files := chunkFileNames(t, path); len(files) != 1 {
		t.Fatalf("chunk files after the last reference to the old content went = %v, want 1", files)
	}
	if err := s.DeleteBlob(ctx, acct, "files", "b", "", DeleteSnapshotsNone, Conditions{}); err != nil {
		t.Fatal(err)
	}
	if files := chunkFileNames(t, path); len(files) != 0 {
		t.Fatalf("chunk files after deleting every blob = %v, want none", files)
	}
	var rows int
	if err := s.db.QueryRow(`SELECT (SELECT COUNT(*) FROM blob_chunks) + (SELECT COUNT(*) FROM blob_chunk_files)`).Scan(&rows); err != nil || rows != 0 {
		t.Fatalf("chunk rows left = %d, %v", rows, err)
	}
}

func TestBlocksInChunkFilesCommitAndShare(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "store.db")
	s := chunkFileStore(t, path, Options{})
	ctx := context.Background()
	mustContainer(t, s, "files")
	a, b := pattern(150<<10, 5), pattern(10<<10, 6)
	for id, body := range map[string][]byte{"YQ==": a, "Yg==": b} {
		if _, err := s.PutBlock(ctx, acct, "files", "blocks", id, bytes.NewReader(body), BlockOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	list := []BlockRef{{ID: "YQ==", From: BlockLatest}, {ID: "Yg==", From: BlockLatest}, {ID: "YQ==", From: BlockLatest}}
	if _, err := s.PutBlockList(ctx, acct, "files", "blocks", list, PutBlobOptions{}); err != nil {
		t.Fatal(err)
	}
	want := append(append(append([]byte(nil), a...), b...), a...)
	if got := readAll(t, s, "files", "blocks", ReadOptions{}); !bytes.Equal(got, want) {
		t.Fatal("committed blocks read back differently")
	}
	rg := ByteRange{Start: 100 << 10, End: 170 << 10} // across the file, the inline block and the file again
	if got := readAll(t, s, "files", "blocks", ReadOptions{Range: &rg}); !bytes.Equal(got, want[rg.Start:rg.End+1]) {
		t.Fatal("range across blocks read back differently")
	}
	if files := chunkFileNames(t, path); len(files) != 1 {
		t.Fatalf("chunk files = %v, want one (block a, used twice)", files)
	}
}

func TestFailedLargeUploadLeavesNoChunkFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "store.db")
	s := chunkFileStore(t, path, Options{})
	ctx := context.Background()
	mustContainer(t, s, "files")
	body := pattern(300<<10, 7)
	if _, err := s.PutBlob(ctx, acct, "files", "keep", bytes.NewReader(body), PutBlobOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err := s.PutBlob(ctx, acct, "files", "keep", bytes.NewReader(pattern(300<<10, 8)), PutBlobOptions{ContentMD5: make([]byte, 16)})
	wantErr(t, err, ErrMD5Mismatch)
	_, err = s.PutBlob(ctx, acct, "files", "keep", io.MultiReader(bytes.NewReader(pattern(200<<10, 9)), errReader{io.ErrUnexpectedEOF}), PutBlobOptions{})
	if err == nil || !strings.Contains(err.Error(), "read request body") {
		t.Fatalf("upload cut off: %v, want a read error", err)
	}
	if _, err := s.PutBlob(ctx, acct, "files", "pages", nil, PutBlobOptions{Type: PageBlob, PageBlobSize: 1 << 20}); err != nil {
		t.Fatal(err)
	}
	_, err = s.PutPages(ctx, acct, "files", "pages", 0, 128<<10-1, bytes.NewReader(pattern(256<<10, 1)), PageOptions{})
	wantErr(t, err, ErrBodyTooLarge)
	if files := chunkFileNames(t, path); len(files) != 1 {
		t.Fatalf("chunk files after failed uploads = %v, want only the stored blob's", files)
	}
	if got := readAll(t, s, "files", "keep", ReadOptions{}); !bytes.Equal(got, body) {
		t.Fatal("stored blob changed by failed uploads")
	}
}

// TestOrphanChunkFilesAreSwept: a file written by an upload that never
// committed (kill -9 between the file and its row) is removed on the next
// run's first write; the files of stored blobs and files of other names
// stay.
func TestOrphanChunkFilesAreSwept(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "store.db")
	ctx := context.Background()
	s, err := Open(Options{Path: path, ChunkSize: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	mustContainer(t, s, "files")
	body := pattern(300<<10, 10)
	if _, err := s.PutBlob(ctx, acct, "files", "kept", bytes.NewReader(body), PutBlobOptions{}); err != nil {
		t.Fatal(err)
	}
	kept := chunkFileNames(t, path)
	s.Close()
	orphan := filepath.Join(chunkDir(path), "00000000000abcde")
	other := filepath.Join(chunkDir(path), "notes.txt")
	for _, p := range []string{orphan, other} {
		if err := os.WriteFile(p, []byte("left behind"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s = chunkFileStore(t, path, Options{})
	if _, err := s.PutBlob(ctx, acct, "files", "next", strings.NewReader("first write"), PutBlobOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(orphan); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("orphan chunk file after the first write: %v, want removed", err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Fatalf("file of another name: %v, want kept", err)
	}
	if got := chunkFileNames(t, path); len(got) != 2 || got[0] != kept[0] && got[1] != kept[0] {
		t.Fatalf("chunk files = %v, want %v and notes.txt", got, kept)
	}
	if got := readAll(t, s, "files", "kept", ReadOptions{}); !bytes.Equal(got, body) {
		t.Fatal("stored blob differs after the sweep")
	}
}

// TestInlineChunksOfOlderStoresStillRead opens a store whose large blob
// was written inline, as before chunk files, with this version.
func TestInlineChunksOfOlderStoresStillRead(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "store.db")
	ctx := context.Background()
	old, err := Open(Options{Path: path, ChunkSize: 64 << 10, inlineChunks: true})
	if err != nil {
		t.Fatal(err)
	}
	mustContainer(t, old, "files")
	body := pattern(300<<10, 11)
	if _, err := old.PutBlob(ctx, acct, "files", "old", bytes.NewReader(body), PutBlobOptions{}); err != nil {
		t.Fatal(err)
	}
	old.Close()
	if files := chunkFileNames(t, path); len(files) != 0 {
		t.Fatalf("inline store made chunk files %v", files)
	}
	s := chunkFileStore(t, path, Options{})
	if got := readAll(t, s, "files", "old", ReadOptions{}); !bytes.Equal(got, body) {
		t.Fatal("inline blob differs")
	}
	rg := ByteRange{Start: 100 << 10, End: 200 << 10}
	if got := readAll(t, s, "files", "old", ReadOptions{Range: &rg}); !bytes.Equal(got, body[rg.Start:rg.End+1]) {
		t.Fatal("range of the inline blob differs")
	}
	// Append the old blob's content after new file-backed blocks.
	if _, err := s.PutBlock(ctx, acct, "files", "old", "YQ==", bytes.NewReader(pattern(100<<10, 12)), BlockOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PutBlockList(ctx, acct, "files", "old", []BlockRef{{ID: "YQ==", From: BlockLatest}}, PutBlobOptions{}); err != nil {
		t.Fatal(err)
	}
	var inline int
	if err := s.db.QueryRow(`SELECT COUNT(*) FROM blob_chunks WHERE length(data) > 0`).Scan(&inline); err != nil || inline != 0 {
		t.Fatalf("inline chunks left after the overwrite = %d, %v; want 0", inline, err)
	}
	if got := readAll(t, s, "files", "old", ReadOptions{}); !bytes.Equal(got, pattern(100<<10, 12)) {
		t.Fatal("overwritten blob differs")
	}
}

func TestChunkFilesWithFullDurability(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "store.db")
	s := chunkFileStore(t, path, Options{Durability: sqlitedb.DurabilityFull})
	ctx := context.Background()
	mustContainer(t, s, "files")
	body := pattern(300<<10, 13)
	if _, err := s.PutBlob(ctx, acct, "files", "b", bytes.NewReader(body), PutBlobOptions{}); err != nil {
		t.Fatal(err)
	}
	if !s.files.sync {
		t.Fatal("DurabilityFull store does not sync its chunk files")
	}
	if got := readAll(t, s, "files", "b", ReadOptions{}); !bytes.Equal(got, body) {
		t.Fatal("read differs")
	}
}
