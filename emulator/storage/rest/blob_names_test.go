package rest

import (
	"context"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/container"
)

func TestBlobNamesAzureRefuses(t *testing.T) {
	t.Parallel()
	e := newBlobEnv(t, "memory")
	ctx := context.Background()
	cc := e.container(t, "names")
	for _, name := range []string{"nul\x00byte", "bell\x07", "tab\tname", "line\nbreak", "del\x7f", "bad\xffutf8", "half\xe2\x82",
		strings.Repeat("s/", 254) + "leaf"} {
		_, err := cc.NewBlockBlobClient(name).Upload(ctx, streamOf([]byte("x")), nil)
		wantCode(t, err, 400, "InvalidResourceName")
	}
	if _, err := cc.NewBlockBlobClient(strings.Repeat("s/", 253)+"leaf").Upload(ctx, streamOf([]byte("x")), nil); err != nil {
		t.Fatalf("254 segments: %v", err)
	}
	pager := cc.NewListBlobsFlatPager(nil)
	var listed []string
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range page.Segment.BlobItems {
			listed = append(listed, *b.Name)
		}
	}
	if len(listed) != 1 {
		t.Fatalf("refused names were stored: %q", listed)
	}
}

func TestBlobNamesXMLCannotCarryAreListedEncoded(t *testing.T) {
	t.Parallel()
	e := newBlobEnv(t, "memory")
	ctx := context.Background()
	cc := e.container(t, "odd")
	names := []string{"dir\uFFFE/non\uFFFFchar+plus %25.txt", "plain/name.txt"}
	for _, n := range names {
		if _, err := cc.NewBlockBlobClient(n).Upload(ctx, streamOf([]byte(n)), nil); err != nil {
			t.Fatal(err)
		}
	}
	page, err := cc.NewListBlobsFlatPager(nil).NextPage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := []string{*page.Segment.BlobItems[0].Name, *page.Segment.BlobItems[1].Name}; got[0] != names[0] || got[1] != names[1] {
		t.Fatalf("listed %q, want %q", got, names)
	}
	if got := download(t, cc.NewBlobClient(*page.Segment.BlobItems[0].Name)); got != names[0] {
		t.Fatalf("read by listed name: %q", got)
	}
	hier, err := cc.NewListBlobsHierarchyPager("/", &container.ListBlobsHierarchyOptions{Prefix: to.Ptr("")}).NextPage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if p := hier.Segment.BlobPrefixes; len(p) != 2 || *p[0].Name != "dir\uFFFE/" {
		t.Fatalf("prefixes %v", p)
	}
	if got := listedName("a\uFFFEb/c+d e"); !got.Encoded || got.Text != "a%EF%BF%BEb/c%2Bd%20e" {
		t.Fatalf("listedName = %+v", got)
	}
	if got := listedName(`quote"s & <ok>`); got.Encoded {
		t.Fatalf("a name XML can carry was encoded: %+v", got)
	}
}
