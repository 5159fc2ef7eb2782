package rest

import (
	"context"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/container"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/service"
)

func TestBlobSDKSnapshotsListingAndUnsupported(t *testing.T) {
	t.Parallel()
	eachBlobEnv(t, func(t *testing.T, e *blobEnv) {
		ctx := context.Background()
		cc := e.container(t, "snaps")
		bb := cc.NewBlockBlobClient("doc")
		if _, err := bb.Upload(ctx, streamOf([]byte("one")), nil); err != nil {
			t.Fatal(err)
		}
		s1, err := bb.CreateSnapshot(ctx, &blob.CreateSnapshotOptions{Metadata: map[string]*string{"v": to.Ptr("1")}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := bb.Upload(ctx, streamOf([]byte("two!")), nil); err != nil {
			t.Fatal(err)
		}
		snapClient, _ := bb.WithSnapshot(*s1.Snapshot)
		p, err := snapClient.GetProperties(ctx, nil)
		if err != nil || *p.ContentLength != 3 || *p.Metadata["V"] != "1" {
			t.Fatalf("snapshot properties %+v %v", p, err)
		}
		pager := cc.NewListBlobsFlatPager(&container.ListBlobsFlatOptions{Include: container.ListBlobsInclude{Snapshots: true}})
		page, err := pager.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(page.Segment.BlobItems); n != 2 {
			t.Fatalf("listing with snapshots has %d items", n)
		}
		if _, err := bb.Delete(ctx, &blob.DeleteOptions{DeleteSnapshots: to.Ptr(blob.DeleteSnapshotsOptionTypeOnly)}); err != nil {
			t.Fatal(err)
		}
		_, err = snapClient.GetProperties(ctx, nil)
		wantCode(t, err, 404, "BlobNotFound")
		if got := download(t, bb.BlobClient()); got != "two!" {
			t.Fatalf("base after deleting snapshots %q", got)
		}

		info, err := e.client.ServiceClient().GetAccountInfo(ctx, nil)
		if err != nil || *info.AccountKind != service.AccountKindStorageV2 {
			t.Fatalf("account info %+v %v", info, err)
		}
	})
}

func TestBlobSDKSpecialNames(t *testing.T) {
	t.Parallel()
	eachBlobEnv(t, func(t *testing.T, e *blobEnv) {
		ctx := context.Background()
		cc := e.container(t, "names")
		names := []string{"sp ace/ü ñ.txt", "a+b=c&d.json", "percent%20literal", "deep/a/b/c/d.bin", "quote'\"<>.xml"}
		for _, n := range names {
			if _, err := cc.NewBlockBlobClient(n).Upload(ctx, streamOf([]byte(n)), nil); err != nil {
				t.Fatalf("upload %q: %v", n, err)
			}
		}
		for _, n := range names {
			if got := download(t, cc.NewBlobClient(n)); got != n {
				t.Fatalf("download %q = %q", n, got)
			}
		}
		pager := cc.NewListBlobsFlatPager(nil)
		page, err := pager.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, b := range page.Segment.BlobItems {
			seen[*b.Name] = true
		}
		for _, n := range names {
			if !seen[n] {
				t.Fatalf("listing lacks %q: %v", n, seen)
			}
		}
	})
}
