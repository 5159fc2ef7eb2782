package main

import (
	"context"
	"fmt"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
)

// listWarmUp lists run untimed before the listing is timed, the same for
// both servers: Azurite's first lists of a fresh process are up to 2.5x
// slower than later ones (106, 70, 54, 50 then 36-47 ms here, while V8
// compiles its listing code) and funcemu's are flat, so timing them would
// measure Azurite's warm-up rather than its listing.
const listWarmUp = 5

// listBlobs lists the 4 KiB blobs n times, one page each, and checks each
// page holds all of them.
func listBlobs(ctx context.Context, bc *azblob.Client, blobs, n int) error {
	for range n {
		pager := bc.NewListBlobsFlatPager("bench", &azblob.ListBlobsFlatOptions{Prefix: to.Ptr("small/")})
		page, err := pager.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list blobs: %w", err)
		}
		if got := len(page.Segment.BlobItems); got != blobs {
			return fmt.Errorf("list blobs: %d of %d", got, blobs)
		}
	}
	return nil
}
