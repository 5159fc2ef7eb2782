package storage

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/funcemu/funcemu/emulator/clock"
)

// TestConcurrentBlobWriters stages blocks, overwrites and reads one blob
// from many goroutines; every read sees one whole version and the commit
// sees every block.
func TestConcurrentBlobWriters(t *testing.T) {
	t.Parallel()
	// Multi-chunk bodies, so staging runs outside the commit.
	eachBlobStoreWith(t, Options{ChunkSize: 64}, func(t *testing.T, s *Store, _ *clock.Virtual) {
		ctx := context.Background()
		mustContainer(t, s, "race")
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		for i := 0; i < 8; i++ {
			wg.Add(2)
			go func(i int) {
				defer wg.Done()
				body := bytes.Repeat([]byte{byte('a' + i)}, 200)
				if _, err := s.PutBlock(ctx, acct, "race", "staged", blockID(i), bytes.NewReader(body), BlockOptions{}); err != nil {
					errs <- err
				}
			}(i)
			go func(i int) {
				defer wg.Done()
				body := bytes.Repeat([]byte{byte('A' + i)}, 300)
				if _, err := s.PutBlob(ctx, acct, "race", "shared", bytes.NewReader(body), PutBlobOptions{}); err != nil {
					errs <- err
					return
				}
				data, _, err := s.ReadBlob(ctx, acct, "race", "shared")
				if err != nil {
					errs <- err
					return
				}
				if len(data) != 300 || !bytes.Equal(data, bytes.Repeat(data[:1], 300)) {
					errs <- fmt.Errorf("read a torn blob: %d bytes starting %q", len(data), data[:min(len(data), 8)])
				}
			}(i)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		refs := make([]BlockRef, 8)
		for i := range refs {
			refs[i] = BlockRef{ID: blockID(i), From: BlockLatest}
		}
		b, err := s.PutBlockList(ctx, acct, "race", "staged", refs, PutBlobOptions{})
		if err != nil || b.Size != 1600 {
			t.Fatalf("commit %+v %v", b, err)
		}
	})
}

// TestReaderKeepsItsVersion opens a multi-chunk blob, overwrites and then
// deletes it, and still reads the old content to the end; the old chunks
// go only when the reader closes.
func TestReaderKeepsItsVersion(t *testing.T) {
	t.Parallel()
	eachBlobStoreWith(t, Options{ChunkSize: 16}, func(t *testing.T, s *Store, _ *clock.Virtual) {
		ctx := context.Background()
		mustContainer(t, s, "keep")
		v1 := bytes.Repeat([]byte("version-one."), 10)
		if _, err := s.PutBlob(ctx, acct, "keep", "b", bytes.NewReader(v1), PutBlobOptions{}); err != nil {
			t.Fatal(err)
		}
		r, err := s.OpenBlob(ctx, acct, "keep", "b", ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.PutBlob(ctx, acct, "keep", "b", bytes.NewReader([]byte("v2")), PutBlobOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteBlob(ctx, acct, "keep", "b", "", "", Conditions{}); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if _, err := got.ReadFrom(r); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), v1) {
			t.Fatalf("reader saw %q", got.Bytes())
		}
		if n := countChunks(t, s); n == 0 {
			t.Fatal("chunks freed while a reader held them")
		}
		r.Close()
		if n := countChunks(t, s); n != 0 {
			t.Fatalf("%d chunks left after the reader closed", n)
		}
	})
}
