package rest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"
)

// BenchmarkBlobSDKSmall measures the small operations of the storage
// benchmark through the Go SDK against a file store: a 4 KiB upload, its
// download, and one page listing 200 such blobs.
func BenchmarkBlobSDKSmall(b *testing.B) {
	e := newBlobEnv(b, "file")
	ctx := context.Background()
	if _, err := e.client.CreateContainer(ctx, "small", nil); err != nil {
		b.Fatal(err)
	}
	data := bytes.Repeat([]byte("0123456789abcdef"), 256)
	for i := 0; i < 200; i++ {
		if _, err := e.client.UploadBuffer(ctx, "small", fmt.Sprintf("b%04d", i), data, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("upload", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := e.client.UploadBuffer(ctx, "small", fmt.Sprintf("b%04d", i%200), data, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("download", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			dl, err := e.client.DownloadStream(ctx, "small", fmt.Sprintf("b%04d", i%200), nil)
			if err != nil {
				b.Fatal(err)
			}
			n, err := io.Copy(io.Discard, dl.Body)
			dl.Body.Close()
			if err != nil || n != int64(len(data)) {
				b.Fatalf("downloaded %d bytes: %v", n, err)
			}
		}
	})
	b.Run("list", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			pager := e.client.NewListBlobsFlatPager("small", nil)
			page, err := pager.NextPage(ctx)
			if err != nil || len(page.Segment.BlobItems) != 200 {
				b.Fatalf("listed %d blobs: %v", len(page.Segment.BlobItems), err)
			}
		}
	})
}
