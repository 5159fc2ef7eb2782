package rest

import (
	"bytes"
	"context"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/appendblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blockblob"
)

func TestBlobSDKFromURL(t *testing.T) {
	t.Parallel()
	eachBlobEnv(t, func(t *testing.T, e *blobEnv) {
		ctx := context.Background()
		cc := e.container(t, "fromurl")
		src := cc.NewBlockBlobClient("src")
		content := bytes.Repeat([]byte("0123456789"), 103) // 1030 bytes
		if _, err := src.Upload(ctx, streamOf(content), nil); err != nil {
			t.Fatal(err)
		}

		// Put Blob From URL, taking the source's tags.
		if _, err := src.SetTags(ctx, map[string]string{"origin": "src"}, nil); err != nil {
			t.Fatal(err)
		}
		whole := cc.NewBlockBlobClient("whole")
		if _, err := whole.UploadBlobFromURL(ctx, src.URL(), &blockblob.UploadBlobFromURLOptions{
			CopySourceTags: to.Ptr(blockblob.BlobCopySourceTagsCopy)}); err != nil {
			t.Fatal(err)
		}
		if tags, err := whole.GetTags(ctx, nil); err != nil || len(tags.BlobTagSet) != 1 || *tags.BlobTagSet[0].Value != "src" {
			t.Fatalf("tags copied from the source: %+v %v", tags.BlobTagSet, err)
		}
		_, err := whole.UploadBlobFromURL(ctx, src.URL(), &blockblob.UploadBlobFromURLOptions{
			CopySourceTags: to.Ptr(blockblob.BlobCopySourceTagsCopy), Tags: map[string]string{"a": "b"}})
		wantCode(t, err, 400, "InvalidHeaderValue")
		if got := download(t, whole.BlobClient()); got != string(content) {
			t.Fatalf("put blob from url: %d bytes", len(got))
		}

		// Put Block From URL with a source range, then commit.
		dst := cc.NewBlockBlobClient("blocks")
		if _, err := dst.StageBlockFromURL(ctx, b64("1"), src.URL(), &blockblob.StageBlockFromURLOptions{Range: blob.HTTPRange{Offset: 10, Count: 5}}); err != nil {
			t.Fatal(err)
		}
		if _, err := dst.StageBlockFromURL(ctx, b64("2"), src.URL(), nil); err != nil {
			t.Fatal(err)
		}
		if _, err := dst.CommitBlockList(ctx, []string{b64("1"), b64("2")}, nil); err != nil {
			t.Fatal(err)
		}
		if got := download(t, dst.BlobClient()); got != "01234"+string(content) {
			t.Fatalf("blocks from url: %q...", got[:10])
		}

		// Append Block From URL.
		ab := cc.NewAppendBlobClient("log")
		if _, err := ab.Create(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := ab.AppendBlockFromURL(ctx, src.URL(), &appendblob.AppendBlockFromURLOptions{Range: blob.HTTPRange{Offset: 0, Count: 3}}); err != nil {
			t.Fatal(err)
		}
		if got := download(t, ab.BlobClient()); got != "012" {
			t.Fatalf("append from url %q", got)
		}

		// Put Page From URL.
		pb := cc.NewPageBlobClient("disk")
		if _, err := pb.Create(ctx, 4096, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := pb.UploadPagesFromURL(ctx, src.URL(), 0, 1024, 512, nil); err != nil {
			t.Fatal(err)
		}
		if data := readRange(t, pb, 1024, 512); !bytes.Equal(data, content[:512]) {
			t.Fatal("pages from url")
		}

		// Missing sources, and copies that cannot be aborted.
		_, err = dst.StageBlockFromURL(ctx, b64("3"), cc.NewBlobClient("none").URL(), nil)
		wantCode(t, err, 404, "CannotVerifyCopySource")
		_, err = pb.UploadPagesFromURL(ctx, src.URL(), 0, 0, 1000, nil)
		wantCode(t, err, 416, "InvalidPageRange")
		cp, err := cc.NewBlobClient("copy").StartCopyFromURL(ctx, src.URL(), nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = cc.NewBlobClient("copy").AbortCopyFromURL(ctx, *cp.CopyID, nil)
		wantCode(t, err, 409, "NoPendingCopyOperation")
	})
}
