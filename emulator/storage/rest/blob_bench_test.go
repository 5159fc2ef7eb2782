package rest

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
)

// BenchmarkBlobSDK64MiB measures one 64 MiB blob up (one Put Blob) and
// down (one GET; 8 MiB ranges, 4 at a time) through the Go SDK against a
// file store.
func BenchmarkBlobSDK64MiB(b *testing.B) {
	e := newBlobEnv(b, "file")
	ctx := context.Background()
	if _, err := e.client.CreateContainer(ctx, "bench", nil); err != nil {
		b.Fatal(err)
	}
	data := bytes.Repeat([]byte("0123456789abcdef"), 4<<20)
	if _, err := e.client.UploadBuffer(ctx, "bench", "big", data, nil); err != nil {
		b.Fatal(err)
	}
	b.Run("upload", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for i := 0; i < b.N; i++ {
			if _, err := e.client.UploadBuffer(ctx, "bench", "big", data, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("upload-blocks", func(b *testing.B) { // 8 MiB blocks, 4 at a time
		b.SetBytes(int64(len(data)))
		for i := 0; i < b.N; i++ {
			// UploadStream stages blocks; UploadBuffer would send one Put
			// Blob for anything up to 256 MiB.
			if _, err := e.client.UploadStream(ctx, "bench", "big", bytes.NewReader(data), &azblob.UploadStreamOptions{BlockSize: 8 << 20, Concurrency: 4}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("download", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for i := 0; i < b.N; i++ {
			dl, err := e.client.DownloadStream(ctx, "bench", "big", nil)
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
	b.Run("download-ranges", func(b *testing.B) { // 8 MiB ranged GETs, 4 at a time
		buf := make([]byte, len(data))
		b.SetBytes(int64(len(data)))
		for i := 0; i < b.N; i++ {
			if _, err := e.client.DownloadBuffer(ctx, "bench", "big", buf, &azblob.DownloadBufferOptions{BlockSize: 8 << 20, Concurrency: 4}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
