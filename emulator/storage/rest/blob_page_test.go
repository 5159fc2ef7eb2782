package rest

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/lease"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/pageblob"
)

func pageRanges(t *testing.T, pb *pageblob.Client, opts *pageblob.GetPageRangesOptions) [][2]int64 {
	t.Helper()
	var out [][2]int64
	pager := pb.NewGetPageRangesPager(opts)
	for pager.More() {
		page, err := pager.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.PageRange {
			out = append(out, [2]int64{*r.Start, *r.End})
		}
	}
	return out
}

func readRange(t *testing.T, pb *pageblob.Client, off, n int64) []byte {
	t.Helper()
	resp, err := pb.DownloadStream(context.Background(), &blob.DownloadStreamOptions{Range: blob.HTTPRange{Offset: off, Count: n}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestBlobSDKPageBlobs(t *testing.T) {
	t.Parallel()
	eachBlobEnv(t, func(t *testing.T, e *blobEnv) {
		ctx := context.Background()
		cc := e.container(t, "disks")
		pb := cc.NewPageBlobClient("disk.vhd")
		const size = 8 << 30
		if _, err := pb.Create(ctx, size, &pageblob.CreateOptions{SequenceNumber: to.Ptr[int64](7), Tags: map[string]string{"os": "linux"}}); err != nil {
			t.Fatal(err)
		}
		p, err := pb.GetProperties(ctx, nil)
		if err != nil || *p.ContentLength != size || *p.BlobSequenceNumber != 7 || *p.BlobType != "PageBlob" || *p.TagCount != 1 {
			t.Fatalf("properties %+v %v", p, err)
		}
		mib := bytes.Repeat([]byte("p"), 1<<20)
		const at = 4 << 30
		if _, err := pb.UploadPages(ctx, streamOf(mib), blob.HTTPRange{Offset: at, Count: 1 << 20}, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := pb.UploadPages(ctx, streamOf(bytes.Repeat([]byte("a"), 1024)), blob.HTTPRange{Offset: 0, Count: 1024}, nil); err != nil {
			t.Fatal(err)
		}
		if got := pageRanges(t, pb, nil); len(got) != 2 || got[0] != [2]int64{0, 1023} || got[1] != [2]int64{at, at + 1<<20 - 1} {
			t.Fatalf("page ranges %v", got)
		}
		// Unwritten pages read as zeros, written ones as written, across
		// the boundary.
		data := readRange(t, pb, 512, 1024)
		if !bytes.Equal(data[:512], bytes.Repeat([]byte("a"), 512)) || !bytes.Equal(data[512:], make([]byte, 512)) {
			t.Fatal("read across written and unwritten pages")
		}
		if data := readRange(t, pb, at-512, 1024); !bytes.Equal(data[:512], make([]byte, 512)) || data[512] != 'p' {
			t.Fatal("read into the written MiB")
		}

		// Snapshot, then overwrite part and clear part: the diff names both.
		snap, err := pb.CreateSnapshot(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pb.UploadPages(ctx, streamOf(bytes.Repeat([]byte("b"), 512)), blob.HTTPRange{Offset: at + 512, Count: 512}, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := pb.ClearPages(ctx, blob.HTTPRange{Offset: 0, Count: 512}, nil); err != nil {
			t.Fatal(err)
		}
		if data := readRange(t, pb, 0, 1024); !bytes.Equal(data[:512], make([]byte, 512)) || data[512] != 'a' {
			t.Fatal("cleared page does not read as zeros")
		}
		if data := readRange(t, pb, at, 2048); data[0] != 'p' || data[512] != 'b' || data[1024] != 'p' {
			t.Fatal("overwritten page")
		}
		diff, err := pb.NewGetPageRangesDiffPager(&pageblob.GetPageRangesDiffOptions{PrevSnapshot: snap.Snapshot}).NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(diff.PageRange) != 1 || *diff.PageRange[0].Start != at+512 || *diff.PageRange[0].End != at+1023 ||
			len(diff.ClearRange) != 1 || *diff.ClearRange[0].Start != 0 || *diff.ClearRange[0].End != 511 {
			t.Fatalf("diff %+v %+v", diff.PageRange, diff.ClearRange)
		}
		snapClient, _ := pb.WithSnapshot(*snap.Snapshot)
		if data := readRange(t, snapClient, 0, 512); data[0] != 'a' {
			t.Fatal("snapshot lost its pages")
		}

		// Paging through ranges with maxresults.
		if got := pageRanges(t, pb, &pageblob.GetPageRangesOptions{MaxResults: to.Ptr[int32](1)}); len(got) != 2 || got[0][0] != 512 {
			t.Fatalf("paged ranges %v", got)
		}

		// Sequence numbers and their conditions.
		if _, err := pb.UpdateSequenceNumber(ctx, &pageblob.UpdateSequenceNumberOptions{ActionType: to.Ptr(pageblob.SequenceNumberActionTypeIncrement)}); err != nil {
			t.Fatal(err)
		}
		if _, err := pb.UpdateSequenceNumber(ctx, &pageblob.UpdateSequenceNumberOptions{ActionType: to.Ptr(pageblob.SequenceNumberActionTypeMax), SequenceNumber: to.Ptr[int64](5)}); err != nil {
			t.Fatal(err)
		}
		p, _ = pb.GetProperties(ctx, nil)
		if *p.BlobSequenceNumber != 8 {
			t.Fatalf("sequence number %d, want 8", *p.BlobSequenceNumber)
		}
		_, err = pb.UploadPages(ctx, streamOf(make([]byte, 512)), blob.HTTPRange{Offset: 0, Count: 512}, &pageblob.UploadPagesOptions{
			SequenceNumberAccessConditions: &pageblob.SequenceNumberAccessConditions{IfSequenceNumberLessThan: to.Ptr[int64](8)}})
		wantCode(t, err, 412, "SequenceNumberConditionNotMet")
		if _, err := pb.UploadPages(ctx, streamOf(make([]byte, 512)), blob.HTTPRange{Offset: 0, Count: 512}, &pageblob.UploadPagesOptions{
			SequenceNumberAccessConditions: &pageblob.SequenceNumberAccessConditions{IfSequenceNumberEqualTo: to.Ptr[int64](8)}}); err != nil {
			t.Fatal(err)
		}

		// Bad input writes nothing.
		_, err = pb.UploadPages(ctx, streamOf(make([]byte, 512)), blob.HTTPRange{Offset: size, Count: 512}, nil)
		wantCode(t, err, 416, "InvalidPageRange")
		_, err = pb.Resize(ctx, 1000, nil)
		wantCode(t, err, 400, "InvalidHeaderValue")
		_, err = cc.NewPageBlobClient("odd").Create(ctx, 1000, nil)
		wantCode(t, err, 400, "InvalidHeaderValue")
		_, err = cc.NewPageBlobClient("odd").GetProperties(ctx, nil)
		wantCode(t, err, 404, "BlobNotFound")

		// Shrinking drops the pages past the end; growing reads zeros.
		if _, err := pb.Resize(ctx, 1<<20, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := pb.Resize(ctx, 8<<30, nil); err != nil {
			t.Fatal(err)
		}
		if got := pageRanges(t, pb, nil); len(got) != 1 || got[0] != [2]int64{0, 1023} {
			t.Fatalf("ranges after shrink and grow %v", got)
		}

		// Leases guard page writes; copies keep the pages.
		lc, err := lease.NewBlobClient(pb, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := lc.AcquireLease(ctx, -1, nil); err != nil {
			t.Fatal(err)
		}
		_, err = pb.UploadPages(ctx, streamOf(make([]byte, 512)), blob.HTTPRange{Offset: 0, Count: 512}, nil)
		wantCode(t, err, 412, "LeaseIdMissing")
		if _, err := pb.UploadPages(ctx, streamOf(bytes.Repeat([]byte("l"), 512)), blob.HTTPRange{Offset: 0, Count: 512}, &pageblob.UploadPagesOptions{
			AccessConditions: &blob.AccessConditions{LeaseAccessConditions: &blob.LeaseAccessConditions{LeaseID: lc.LeaseID()}}}); err != nil {
			t.Fatal(err)
		}
		cp := cc.NewPageBlobClient("copy.vhd")
		if _, err := cp.StartCopyFromURL(ctx, pb.URL(), nil); err != nil {
			t.Fatal(err)
		}
		cpp, _ := cp.GetProperties(ctx, nil)
		if *cpp.BlobType != "PageBlob" || *cpp.ContentLength != 8<<30 {
			t.Fatalf("copy properties %v %v", *cpp.BlobType, *cpp.ContentLength)
		}
		if data := readRange(t, cp, 0, 1024); data[0] != 'l' || data[512] != 'a' {
			t.Fatal("copy content")
		}
		if got := pageRanges(t, cp, nil); len(got) != 1 || got[0] != [2]int64{0, 1023} {
			t.Fatalf("copy ranges %v", got)
		}
	})
}
