package storage

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

// A trigger's scan lists a whole container through the adapter, which
// follows NextMarker past the 5,000 blobs of a page.
func TestBlobStoreListsEveryPageInOrder(t *testing.T) {
	t.Parallel()
	s, err := Open(Options{Path: filepath.Join(t.TempDir(), "pages.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const n = 5_003
	seedBlobs(t, s, "many", n)
	ctx := context.Background()
	all, err := s.BlobStore(acct).ListBlobs(ctx, "many", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != n {
		t.Fatalf("listed %d blobs, want %d", len(all), n)
	}
	for i, b := range all {
		if want := fmt.Sprintf("blob-%07d", i); b.Name != want || b.Container != "many" || b.ETag == "" {
			t.Fatalf("blob %d = %+v, want %s in many with an ETag", i, b, want)
		}
	}
	tail, err := s.BlobStore(acct).ListBlobs(ctx, "many", "blob-000500")
	if err != nil {
		t.Fatal(err)
	}
	if len(tail) != 3 || tail[0].Name != "blob-0005000" || tail[2].Name != "blob-0005002" {
		t.Fatalf("prefix blob-000500 listed %d blobs: %v", len(tail), tail)
	}
}
