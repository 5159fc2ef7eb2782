package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blockblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/pageblob"
)

// parityMetrics are the rows of the blob features beyond plain block
// blobs: Find Blobs by Tags and page blobs.
var parityMetrics = []struct{ name, unit string }{
	{"find blobs by tags (1 in 10 match)", "queries/s"},
	{"put page (4 KiB)", "ops/s"},
	{"get page ranges", "ops/s"},
}

// parityWorkload tags c.tagged blobs and queries them, then writes c.pages
// scattered 4 KiB pages into a 1 GiB page blob and lists its ranges. A
// server that lacks a feature gets no figure for it rather than failing
// the whole run.
func parityWorkload(ctx context.Context, c config, s *server, bc *azblob.Client, res *result) {
	if err := tagsWorkload(ctx, c, s, bc, res); err != nil {
		fmt.Fprintln(os.Stderr, "storagebench: tags workload:", err)
	}
	if err := pagesWorkload(ctx, c, s, bc, res); err != nil {
		fmt.Fprintln(os.Stderr, "storagebench: page blob workload:", err)
	}
}

func tagsWorkload(ctx context.Context, c config, s *server, bc *azblob.Client, res *result) error {
	if _, err := bc.CreateContainer(ctx, "tagged", nil); err != nil {
		return err
	}
	cc := bc.ServiceClient().NewContainerClient("tagged")
	for i := 0; i < c.tagged; i++ {
		tags := map[string]string{"n": fmt.Sprintf("%06d", i), "mod": fmt.Sprint(i % 10)}
		if _, err := cc.NewBlockBlobClient(fmt.Sprintf("t%06d", i)).Upload(ctx, nopSeeker(nil), &blockblob.UploadOptions{Tags: tags}); err != nil {
			return err
		}
	}
	const queries = 50
	s.settle("find blobs by tags")
	start := time.Now()
	for i := 0; i < queries; i++ {
		r, err := bc.ServiceClient().FilterBlobs(ctx, fmt.Sprintf(`"mod" = '%d'`, i%10), nil)
		if err != nil {
			return err
		}
		if len(r.Blobs) != c.tagged/10 {
			return fmt.Errorf("query %d found %d blobs, want %d", i, len(r.Blobs), c.tagged/10)
		}
	}
	res.values[parityMetrics[0].name] = queries / time.Since(start).Seconds()
	return nil
}

func pagesWorkload(ctx context.Context, c config, s *server, bc *azblob.Client, res *result) error {
	pb := bc.ServiceClient().NewContainerClient("bench").NewPageBlobClient("disk")
	const size = 1 << 30
	if _, err := pb.Create(ctx, size, nil); err != nil {
		return err
	}
	page := make([]byte, 4096)
	stride := int64(size / max(c.pages, 1) / 4096 * 4096)
	s.settle("put page")
	start := time.Now()
	for i := 0; i < c.pages; i++ {
		if _, err := pb.UploadPages(ctx, nopSeeker(page), blob.HTTPRange{Offset: int64(i) * stride, Count: 4096}, nil); err != nil {
			return err
		}
	}
	res.values[parityMetrics[1].name] = float64(c.pages) / time.Since(start).Seconds()
	const lists = 50
	s.settle("get page ranges")
	start = time.Now()
	for i := 0; i < lists; i++ {
		n := 0
		pager := pb.NewGetPageRangesPager(&pageblob.GetPageRangesOptions{})
		for pager.More() {
			p, err := pager.NextPage(ctx)
			if err != nil {
				return err
			}
			n += len(p.PageRange)
		}
		if n != c.pages {
			return fmt.Errorf("listed %d page ranges, want %d", n, c.pages)
		}
	}
	res.values[parityMetrics[2].name] = lists / time.Since(start).Seconds()
	return nil
}

// nopSeeker is a request body for the SDK's upload calls.
func nopSeeker(b []byte) streamBody { return streamBody{bytes.NewReader(b)} }

type streamBody struct{ *bytes.Reader }

func (streamBody) Close() error { return nil }
