package storage

import (
	"bytes"
	"context"
	"crypto/md5"
	"io"
	"path/filepath"
	"testing"
)

// TestBodiesAroundTheSmallBufferRoundTrip uploads bodies that end before,
// at and after the small-body buffer and the first chunk, with the default
// chunk size, and reads each back whole and by range: content and MD5 must
// survive whichever buffer staged or served them.
func TestBodiesAroundTheSmallBufferRoundTrip(t *testing.T) {
	t.Parallel()
	s, err := Open(Options{Path: filepath.Join(t.TempDir(), "s.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	mustContainer(t, s, "small")
	sizes := []int{0, 1, 4 << 10, smallBodySize - 1, smallBodySize, smallBodySize + 1,
		s.chunkSize, s.chunkSize + 1, 2*s.chunkSize + smallBodySize}
	for _, size := range sizes {
		body := make([]byte, size)
		for i := range body {
			body[i] = byte(i*7 + size)
		}
		if _, err := s.PutBlob(ctx, acct, "small", "b", bytes.NewReader(body), PutBlobOptions{}); err != nil {
			t.Fatalf("put %d bytes: %v", size, err)
		}
		r, err := s.OpenBlob(ctx, acct, "small", "b", ReadOptions{})
		if err != nil {
			t.Fatalf("open %d bytes: %v", size, err)
		}
		var got bytes.Buffer
		_, err = r.WriteTo(&got)
		r.Close()
		if err != nil || !bytes.Equal(got.Bytes(), body) {
			t.Fatalf("%d bytes: got %d, equal %v, %v", size, got.Len(), bytes.Equal(got.Bytes(), body), err)
		}
		sum := md5.Sum(body)
		if !bytes.Equal(r.Blob.Headers.ContentMD5, sum[:]) {
			t.Fatalf("%d bytes: MD5 %x, want %x", size, r.Blob.Headers.ContentMD5, sum)
		}
		if size < 3 {
			continue
		}
		r, err = s.OpenBlob(ctx, acct, "small", "b", ReadOptions{Range: &ByteRange{Start: 1, End: int64(size) - 2}})
		if err != nil {
			t.Fatalf("open range of %d bytes: %v", size, err)
		}
		part, err := io.ReadAll(r)
		r.Close()
		if err != nil || !bytes.Equal(part, body[1:size-1]) {
			t.Fatalf("range of %d bytes: got %d, %v", size, len(part), err)
		}
	}
}

// TestBodyTooLargeWithinTheSmallBuffer refuses a small body over its limit
// and keeps nothing of it.
func TestBodyTooLargeWithinTheSmallBuffer(t *testing.T) {
	t.Parallel()
	s, err := Open(Options{Path: filepath.Join(t.TempDir(), "s.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.stage(context.Background(), bytes.NewReader(make([]byte, 100)), 99, sums{}); err != ErrBodyTooLarge {
		t.Fatalf("stage 100 bytes with a limit of 99: %v, want ErrBodyTooLarge", err)
	}
}
