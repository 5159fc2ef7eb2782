package rest

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blockblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/sas"
)

func TestServiceSASOverridesResponseHeaders(t *testing.T) {
	t.Parallel()
	e := newBlobEnv(t, "memory")
	ctx := context.Background()
	cc := e.container(t, "links")
	if _, err := cc.NewBlockBlobClient("report.csv").Upload(ctx, streamOf([]byte("a,b\n")),
		&blockblob.UploadOptions{HTTPHeaders: &blob.HTTPHeaders{BlobContentType: to.Ptr("text/csv")}}); err != nil {
		t.Fatal(err)
	}
	now := e.clock.Now().UTC()
	q, err := sas.BlobSignatureValues{Protocol: sas.ProtocolHTTPSandHTTP, ExpiryTime: now.Add(time.Hour),
		Permissions: to.Ptr(sas.BlobPermissions{Read: true}).String(), ContainerName: "links", BlobName: "report.csv",
		CacheControl: "no-store", ContentDisposition: `attachment; filename="r.csv"`, ContentEncoding: "identity",
		ContentLanguage: "de-CH", ContentType: "application/x-download"}.SignWithSharedKey(e.cred)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"Cache-Control": "no-store", "Content-Disposition": `attachment; filename="r.csv"`,
		"Content-Encoding": "identity", "Content-Language": "de-CH", "Content-Type": "application/x-download"}
	for _, method := range []string{http.MethodGet, http.MethodHead} {
		req, _ := http.NewRequest(method, e.url+"/links/report.csv?"+q.Encode(), nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", method, resp.StatusCode)
		}
		for k, v := range want {
			if got := resp.Header.Get(k); got != v {
				t.Errorf("%s %s = %q, want %q", method, k, got, v)
			}
		}
	}
	// The stored headers are untouched.
	props, err := cc.NewBlobClient("report.csv").GetProperties(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := *props.ContentType; got != "text/csv" || props.ContentDisposition != nil {
		t.Fatalf("stored headers changed: %q %v", got, props.ContentDisposition)
	}
}

func TestContainerSASCannotReadContainerProperties(t *testing.T) {
	t.Parallel()
	e := newBlobEnv(t, "memory")
	e.container(t, "scoped")
	q, err := sas.BlobSignatureValues{Protocol: sas.ProtocolHTTPSandHTTP, ExpiryTime: e.clock.Now().Add(time.Hour),
		Permissions: to.Ptr(sas.ContainerPermissions{Read: true, List: true}).String(), ContainerName: "scoped"}.SignWithSharedKey(e.cred)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/scoped?restype=container&", "/scoped?restype=container&comp=metadata&"} {
		if got := anonGet(t, e.url+path+q.Encode()); got != 403 {
			t.Errorf("container SAS on %s = %d, want 403", path, got)
		}
	}
	if got := anonGet(t, e.url+"/scoped?restype=container&comp=list&"+q.Encode()); got != 200 {
		t.Errorf("container SAS listing = %d, want 200", got)
	}
}
