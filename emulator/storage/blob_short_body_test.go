package storage

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"github.com/funcemu/funcemu/emulator/clock"
)

// shortBody is a request body whose client hung up: some bytes, then the
// error net/http reports for a body shorter than its Content-Length.
func shortBody(n int) io.Reader {
	return io.MultiReader(bytes.NewReader(bytes.Repeat([]byte("x"), n)), errReader{io.ErrUnexpectedEOF})
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// TestShortBodyIsNeverCommitted uses a context that is never canceled: the
// store itself must see the body ended early.
func TestShortBodyIsNeverCommitted(t *testing.T) {
	t.Parallel()
	eachBlobStore(t, func(t *testing.T, s *Store, _ *clock.Virtual) {
		ctx := context.Background()
		mustContainer(t, s, "short")
		if _, err := s.PutBlob(ctx, acct, "short", "kept", bytes.NewReader([]byte("old")), PutBlobOptions{Type: BlockBlob}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PutBlob(ctx, acct, "short", "app", nil, PutBlobOptions{Type: AppendBlob}); err != nil {
			t.Fatal(err)
		}
		before := countChunks(t, s)
		for _, size := range []int{0, 10, s.chunkSize + s.chunkSize/2} {
			for _, name := range []string{"kept", "new"} {
				_, err := s.PutBlob(ctx, acct, "short", name, shortBody(size), PutBlobOptions{Type: BlockBlob})
				if !errors.Is(err, io.ErrUnexpectedEOF) {
					t.Fatalf("put %s with %d of more bytes: err %v", name, size, err)
				}
			}
			if _, err := s.PutBlock(ctx, acct, "short", "new", "YmxvY2s=", shortBody(size), BlockOptions{}); !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Fatalf("put block with %d bytes: err %v", size, err)
			}
			if _, err := s.AppendBlock(ctx, acct, "short", "app", shortBody(size), AppendOptions{}); !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Fatalf("append block with %d bytes: err %v", size, err)
			}
		}
		data, _, err := s.ReadBlob(ctx, acct, "short", "kept")
		if err != nil || string(data) != "old" {
			t.Fatalf("kept = %q, %v", data, err)
		}
		if _, _, err := s.ReadBlob(ctx, acct, "short", "new"); err == nil {
			t.Fatal("a short body created a blob")
		}
		if app, _, _ := s.ReadBlob(ctx, acct, "short", "app"); len(app) != 0 {
			t.Fatalf("a short append block was committed: %d bytes", len(app))
		}
		if bl, err := s.GetBlockList(ctx, acct, "short", "new", "", "all", ""); err == nil && len(bl.Uncommitted) > 0 {
			t.Fatalf("a short block was staged: %+v", bl.Uncommitted)
		}
		if after := countChunks(t, s); after != before {
			t.Fatalf("chunks %d -> %d: a short body left content behind", before, after)
		}
	})
}
