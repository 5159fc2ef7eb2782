package rest

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"
)

// TestLargeBlobGETWholeAndRanges downloads a blob larger than a chunk
// (kept in a chunk file by a file store and sent with sendfile) whole and
// in ranges, with the headers a GET answers.
func TestLargeBlobGETWholeAndRanges(t *testing.T) {
	t.Parallel()
	eachBlobEnv(t, func(t *testing.T, e *blobEnv) {
		ctx := context.Background()
		e.container(t, "large")
		data := make([]byte, 3<<20+12345)
		for i := range data {
			data[i] = byte(i*7 + i>>12)
		}
		if _, err := e.client.UploadBuffer(ctx, "large", "big", data, &azblob.UploadBufferOptions{BlockSize: 4 << 20}); err != nil {
			t.Fatal(err)
		}
		dl, err := e.client.DownloadStream(ctx, "large", "big", nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(dl.Body)
		dl.Body.Close()
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("whole GET: %d bytes, %v; want the %d uploaded", len(got), err, len(data))
		}
		if dl.ContentLength == nil || *dl.ContentLength != int64(len(data)) || dl.ContentMD5 == nil {
			t.Fatalf("whole GET: Content-Length %v, Content-MD5 %v", dl.ContentLength, dl.ContentMD5)
		}
		for _, rg := range []blob.HTTPRange{{Offset: 0, Count: 1}, {Offset: 1 << 20, Count: 2 << 20}, {Offset: 3 << 20, Count: 0}} {
			dl, err := e.client.DownloadStream(ctx, "large", "big", &azblob.DownloadStreamOptions{Range: rg})
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(dl.Body)
			dl.Body.Close()
			end := int64(len(data))
			if rg.Count > 0 {
				end = rg.Offset + rg.Count
			}
			if err != nil || !bytes.Equal(got, data[rg.Offset:end]) {
				t.Fatalf("range %+v: %d bytes, %v", rg, len(got), err)
			}
		}
		buf := make([]byte, len(data))
		if _, err := e.client.DownloadBuffer(ctx, "large", "big", buf, &azblob.DownloadBufferOptions{BlockSize: 1 << 20, Concurrency: 4}); err != nil || !bytes.Equal(buf, data) {
			t.Fatalf("parallel ranged download differs: %v", err)
		}
	})
}
