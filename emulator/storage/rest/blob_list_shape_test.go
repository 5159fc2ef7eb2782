package rest

import (
	"context"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/container"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/service"
)

// Listings carry what Azure's do: a blob's ETag without the quotes of its
// ETag header (a container's keeps them), and MaxResults only when the
// request set maxresults.
func TestBlobListingsAsAzureShapesThem(t *testing.T) {
	t.Parallel()
	e := newBlobEnv(t, "memory")
	ctx := context.Background()
	cc := e.container(t, "shape")
	if _, err := cc.NewBlockBlobClient("b").Upload(ctx, streamOf([]byte("x")), nil); err != nil {
		t.Fatal(err)
	}
	props, err := cc.NewBlobClient("b").GetProperties(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	header := string(*props.ETag)
	if !strings.HasPrefix(header, `"0x`) {
		t.Fatalf("ETag header %s, want a quoted 0x value", header)
	}
	page, err := cc.NewListBlobsFlatPager(nil).NextPage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(*page.Segment.BlobItems[0].Properties.ETag); got != strings.Trim(header, `"`) {
		t.Errorf("listed blob ETag %s, want %s unquoted", got, header)
	}
	if page.MaxResults != nil {
		t.Errorf("List Blobs without maxresults answered MaxResults %d", *page.MaxResults)
	}
	// Azure lists content headers never set as empty elements, so code
	// that reads them through the SDK gets "" rather than a nil pointer.
	p := page.Segment.BlobItems[0].Properties
	for name, v := range map[string]*string{"Content-Encoding": p.ContentEncoding, "Content-Language": p.ContentLanguage,
		"Cache-Control": p.CacheControl, "Content-Disposition": p.ContentDisposition} {
		if v == nil || *v != "" {
			t.Errorf("listed %s %v, want an empty string", name, v)
		}
	}
	page, err = cc.NewListBlobsFlatPager(&container.ListBlobsFlatOptions{MaxResults: to.Ptr[int32](7)}).NextPage(ctx)
	if err != nil || page.MaxResults == nil || *page.MaxResults != 7 {
		t.Errorf("List Blobs with maxresults=7: MaxResults %v, %v", page.MaxResults, err)
	}

	cpage, err := e.client.ServiceClient().NewListContainersPager(nil).NextPage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cpage.MaxResults != nil {
		t.Errorf("List Containers without maxresults answered MaxResults %d", *cpage.MaxResults)
	}
	if etag := string(*cpage.ContainerItems[0].Properties.ETag); !strings.HasPrefix(etag, `"0x`) {
		t.Errorf("listed container ETag %s, want it quoted", etag)
	}
	cpage, err = e.client.ServiceClient().NewListContainersPager(&service.ListContainersOptions{MaxResults: to.Ptr[int32](3)}).NextPage(ctx)
	if err != nil || cpage.MaxResults == nil || *cpage.MaxResults != 3 {
		t.Errorf("List Containers with maxresults=3: MaxResults %v, %v", cpage.MaxResults, err)
	}
}
