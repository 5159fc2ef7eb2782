package rest

import (
	"context"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blockblob"

	"github.com/funcemu/funcemu/emulator/storage"
)

// TestBlobChangesNameTheirOperation writes through the SDK as clients do
// and checks the account-wide changes Event Grid publishes from: the
// operation, properties and the request's ids.
func TestBlobChangesNameTheirOperation(t *testing.T) {
	t.Parallel()
	env := newBlobEnv(t, "memory")
	changes, stop := env.store.SubscribeAllBlobs()
	defer stop()
	ctx := context.Background()
	if _, err := env.client.CreateContainer(ctx, "box", nil); err != nil {
		t.Fatal(err)
	}
	next := func() storage.BlobChange {
		t.Helper()
		select {
		case c := <-changes:
			return c
		case <-time.After(10 * time.Second):
			t.Fatal("no blob change")
			return storage.BlobChange{}
		}
	}
	c := env.client.ServiceClient().NewContainerClient("box")
	put, err := c.NewBlockBlobClient("a.txt").Upload(ctx, streamOf([]byte("hello")), &blockblob.UploadOptions{
		HTTPHeaders: &blob.HTTPHeaders{BlobContentType: to.Ptr("text/plain")}})
	if err != nil {
		t.Fatal(err)
	}
	got := next()
	if got.API != storage.APIPutBlob || got.Kind != storage.BlobCreated || got.Size != 5 || got.ContentType != "text/plain" ||
		got.BlobType != "BlockBlob" || got.ETag != string(*put.ETag) || got.RequestID != *put.RequestID || got.Container != "box" || got.Name != "a.txt" {
		t.Errorf("Put Blob change = %+v", got)
	}
	// Staged blocks publish nothing until the list commits.
	bb := c.NewBlockBlobClient("big.bin")
	if _, err := bb.StageBlock(ctx, "MDAwMQ==", streamOf([]byte("abc")), nil); err != nil {
		t.Fatal(err)
	}
	committed, err := bb.CommitBlockList(ctx, []string{"MDAwMQ=="}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := next(); got.API != storage.APIPutBlockList || got.Size != 3 || got.RequestID != *committed.RequestID {
		t.Errorf("Put Block List change = %+v", got)
	}
	// Metadata changes publish no event.
	if _, err := c.NewBlobClient("a.txt").SetMetadata(ctx, map[string]*string{"k": to.Ptr("v")}, nil); err != nil {
		t.Fatal(err)
	}
	if got := next(); got.API != "" {
		t.Errorf("Set Blob Metadata change = %+v, want no API", got)
	}
	src := env.url + "/box/a.txt"
	if _, err := c.NewBlobClient("copy.txt").StartCopyFromURL(ctx, src, nil); err != nil {
		t.Fatal(err)
	}
	if got := next(); got.API != storage.APICopyBlob || got.Name != "copy.txt" || got.Kind != storage.BlobCreated {
		t.Errorf("Copy Blob change = %+v", got)
	}
	if _, err := c.NewBlobClient("a.txt").Delete(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if got := next(); got.API != storage.APIDeleteBlob || got.Kind != storage.BlobDeleted || got.Name != "a.txt" {
		t.Errorf("Delete Blob change = %+v", got)
	}
}
