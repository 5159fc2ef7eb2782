package rest

import (
	"context"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blockblob"
)

// Listed with include=metadata, a blob or container without metadata
// carries <Metadata /> as Azure's answers do (SDKs other than Go's hand
// over an empty map rather than none); listed without it, no Metadata.
func TestListingsWithMetadataShowEmptyMetadata(t *testing.T) {
	t.Parallel()
	e := newBlobEnv(t, "memory")
	ctx := context.Background()
	cc := e.container(t, "bare")
	if _, err := cc.NewBlockBlobClient("plain").Upload(ctx, streamOf([]byte("x")), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := cc.NewBlockBlobClient("meta").Upload(ctx, streamOf([]byte("x")),
		&blockblob.UploadOptions{Metadata: map[string]*string{"k": to.Ptr("v")}}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		path     string
		want     []string
		unwanted string
	}{
		{"/bare?restype=container&comp=list&include=metadata", []string{
			"</Properties><Metadata><k>v</k></Metadata></Blob>",
			"<Name>plain</Name>", "</Properties><Metadata /></Blob>",
		}, ""},
		{"/bare?restype=container&comp=list&include=metadata,uncommittedblobs,tags", []string{
			"</Properties><Metadata><k>v</k></Metadata></Blob>", "</Properties><Metadata /></Blob>",
		}, ""},
		{"/bare?restype=container&comp=list", nil, "<Metadata"},
		{"/?comp=list&include=metadata&prefix=bare", []string{"</Properties><Metadata /></Container>"}, ""},
		{"/?comp=list&prefix=bare", nil, "<Metadata"},
	}
	for _, c := range cases {
		body := string(getSignedOK(t, e.url+c.path))
		for _, w := range c.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: no %s in %s", c.path, w, body)
			}
		}
		if c.unwanted != "" && strings.Contains(body, c.unwanted) {
			t.Errorf("%s: %s in %s", c.path, c.unwanted, body)
		}
	}
}
