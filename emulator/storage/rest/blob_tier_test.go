package rest

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/appendblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blockblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/container"
)

func TestBlobSDKAccessTiers(t *testing.T) {
	t.Parallel()
	eachBlobEnv(t, func(t *testing.T, e *blobEnv) {
		ctx := context.Background()
		cc := e.container(t, "tiers")
		bb := cc.NewBlockBlobClient("doc")
		if _, err := bb.Upload(ctx, streamOf([]byte("data")), nil); err != nil {
			t.Fatal(err)
		}
		p, err := bb.GetProperties(ctx, nil)
		if err != nil || *p.AccessTier != "Hot" || p.AccessTierInferred == nil || !*p.AccessTierInferred {
			t.Fatalf("default tier %v inferred %v %v", p.AccessTier, p.AccessTierInferred, err)
		}
		etag := *p.ETag
		e.clock.Advance(time.Minute)
		for _, tier := range []blob.AccessTier{blob.AccessTierCool, blob.AccessTierCold, blob.AccessTierHot} {
			if _, err := bb.SetTier(ctx, tier, nil); err != nil {
				t.Fatalf("set %s: %v", tier, err)
			}
			p, _ = bb.GetProperties(ctx, nil)
			if *p.AccessTier != string(tier) || p.AccessTierInferred != nil || !p.AccessTierChangeTime.Equal(e.clock.Now().Truncate(time.Second)) {
				t.Fatalf("after %s: %v inferred %v changed %v", tier, *p.AccessTier, p.AccessTierInferred, p.AccessTierChangeTime)
			}
		}
		if *p.ETag != etag {
			t.Fatal("Set Blob Tier changed the ETag")
		}

		// Archive refuses reads and property writes until rehydrated.
		if _, err := bb.SetTier(ctx, blob.AccessTierArchive, nil); err != nil {
			t.Fatal(err)
		}
		_, err = bb.DownloadStream(ctx, nil)
		wantCode(t, err, 409, "BlobArchived")
		_, err = bb.SetMetadata(ctx, map[string]*string{"a": to.Ptr("b")}, nil)
		wantCode(t, err, 409, "BlobArchived")
		_, err = bb.CreateSnapshot(ctx, nil)
		wantCode(t, err, 409, "BlobArchived")
		_, err = cc.NewBlockBlobClient("copy").StartCopyFromURL(ctx, bb.URL(), nil)
		wantCode(t, err, 409, "BlobArchived")
		if _, err := bb.GetProperties(ctx, nil); err != nil {
			t.Fatalf("properties of an archived blob: %v", err)
		}
		// Rehydration is immediate; Azure's 202 says it started, 200 a
		// change between online tiers.
		for _, want := range []int{http.StatusAccepted, http.StatusOK} {
			req, _ := http.NewRequest(http.MethodPut, bb.URL()+"?comp=tier", nil)
			req.Header.Set("x-ms-access-tier", "Hot")
			req.Header.Set("x-ms-rehydrate-priority", "High")
			req.Header.Set("x-ms-date", time.Now().UTC().Format(http.TimeFormat)) // SharedKey dates follow the machine clock
			signForTest(t, req, DevAccountName, DevAccountKey)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != want {
				t.Fatalf("Set Blob Tier: %d, want %d", resp.StatusCode, want)
			}
		}
		if got := download(t, bb.BlobClient()); got != "data" {
			t.Fatalf("after rehydration %q", got)
		}

		// x-ms-access-tier on Put Blob and Put Block List; listings show it.
		if _, err := cc.NewBlockBlobClient("cold").Upload(ctx, streamOf([]byte("c")), &blockblob.UploadOptions{Tier: to.Ptr(blob.AccessTierCold)}); err != nil {
			t.Fatal(err)
		}
		bl := cc.NewBlockBlobClient("arch")
		if _, err := bl.StageBlock(ctx, b64("1"), streamOf([]byte("z")), nil); err != nil {
			t.Fatal(err)
		}
		if _, err := bl.CommitBlockList(ctx, []string{b64("1")}, &blockblob.CommitBlockListOptions{Tier: to.Ptr(blob.AccessTierArchive)}); err != nil {
			t.Fatal(err)
		}
		page, err := cc.NewListBlobsFlatPager(nil).NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		tiers := map[string]string{}
		for _, it := range page.Segment.BlobItems {
			tiers[*it.Name] = string(*it.Properties.AccessTier)
			if *it.Name == "cold" && (it.Properties.AccessTierInferred != nil || it.Properties.AccessTierChangeTime == nil) {
				t.Fatalf("cold in listing: inferred %v changed %v", it.Properties.AccessTierInferred, it.Properties.AccessTierChangeTime)
			}
		}
		if tiers["cold"] != "Cold" || tiers["arch"] != "Archive" || tiers["doc"] != "Hot" {
			t.Fatalf("tiers in listing %v", tiers)
		}

		// Errors write nothing.
		_, err = bb.SetTier(ctx, blob.AccessTier("Lukewarm"), nil)
		wantCode(t, err, 400, "InvalidHeaderValue")
		_, err = cc.NewBlockBlobClient("bad").Upload(ctx, streamOf([]byte("x")), &blockblob.UploadOptions{Tier: to.Ptr(blob.AccessTier("P10"))})
		wantCode(t, err, 400, "InvalidHeaderValue")
		_, err = cc.NewBlockBlobClient("bad").GetProperties(ctx, nil)
		wantCode(t, err, 404, "BlobNotFound")
		_, err = cc.NewBlockBlobClient("missing").SetTier(ctx, blob.AccessTierCool, nil)
		wantCode(t, err, 404, "BlobNotFound")
		ab := cc.NewAppendBlobClient("log")
		if _, err := ab.Create(ctx, nil); err != nil {
			t.Fatal(err)
		}
		_, err = cc.NewBlobClient("log").SetTier(ctx, blob.AccessTierCool, nil)
		wantCode(t, err, 400, "InvalidBlobType")
	})
}

func TestBlobSDKAppendSeal(t *testing.T) {
	t.Parallel()
	eachBlobEnv(t, func(t *testing.T, e *blobEnv) {
		ctx := context.Background()
		cc := e.container(t, "seal")
		ab := cc.NewAppendBlobClient("log")
		if _, err := ab.Create(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := ab.AppendBlock(ctx, streamOf([]byte("one")), nil); err != nil {
			t.Fatal(err)
		}
		p, _ := ab.GetProperties(ctx, nil)
		if p.IsSealed == nil || *p.IsSealed {
			t.Fatalf("sealed before Seal: %v", p.IsSealed)
		}
		_, err := ab.Seal(ctx, &appendblob.SealOptions{AppendPositionAccessConditions: &appendblob.AppendPositionAccessConditions{AppendPosition: to.Ptr[int64](1)}})
		wantCode(t, err, 412, "AppendPositionConditionNotMet")
		res, err := ab.Seal(ctx, &appendblob.SealOptions{AppendPositionAccessConditions: &appendblob.AppendPositionAccessConditions{AppendPosition: to.Ptr[int64](3)}})
		if err != nil || res.IsSealed == nil || !*res.IsSealed {
			t.Fatalf("seal %+v %v", res, err)
		}
		_, err = ab.AppendBlock(ctx, streamOf([]byte("two")), nil)
		wantCode(t, err, 409, "BlobIsSealed")
		if got := download(t, ab.BlobClient()); got != "one" {
			t.Fatalf("content after refused append %q", got)
		}
		p, _ = ab.GetProperties(ctx, nil)
		if !*p.IsSealed {
			t.Fatal("x-ms-blob-sealed not true")
		}
		page, err := cc.NewListBlobsFlatPager(&container.ListBlobsFlatOptions{}).NextPage(ctx)
		if err != nil || page.Segment.BlobItems[0].Properties.IsSealed == nil || !*page.Segment.BlobItems[0].Properties.IsSealed {
			t.Fatalf("Sealed in listing: %v", err)
		}
		bb := cc.NewBlockBlobClient("block")
		if _, err := bb.Upload(ctx, streamOf(nil), nil); err != nil {
			t.Fatal(err)
		}
		_, err = cc.NewAppendBlobClient("block").Seal(ctx, nil)
		wantCode(t, err, 409, "InvalidBlobType")
		_, err = cc.NewAppendBlobClient("none").Seal(ctx, nil)
		wantCode(t, err, 404, "BlobNotFound")
		// Overwriting with Create starts an unsealed blob.
		if _, err := ab.Create(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := ab.AppendBlock(ctx, streamOf([]byte("new")), nil); err != nil {
			t.Fatalf("append after re-create: %v", err)
		}
	})
}
