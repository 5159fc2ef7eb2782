package rest

import (
	"context"
	"crypto/md5"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/container"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/sas"
)

type copyEnv struct {
	host             string // 127.0.0.1:port
	one, two         *azblob.Client
	credOne, credTwo *azblob.SharedKeyCredential
}

func newCopyEnv(t *testing.T) *copyEnv {
	t.Helper()
	clock := newFakeClock()
	store := openTestStore(t, "memory", clock)
	accounts, err := ParseAccounts("devstoreaccount2:" + DevAccountKey)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(NewServer(NewBlobService(store), accounts, clock, nil))
	t.Cleanup(srv.Close)
	e := &copyEnv{host: strings.TrimPrefix(srv.URL, "http://")}
	for _, a := range []struct {
		name   string
		client **azblob.Client
		cred   **azblob.SharedKeyCredential
	}{{DevAccountName, &e.one, &e.credOne}, {"devstoreaccount2", &e.two, &e.credTwo}} {
		cred, err := azblob.NewSharedKeyCredential(a.name, DevAccountKey)
		if err != nil {
			t.Fatal(err)
		}
		c, err := azblob.NewClientWithSharedKeyCredential(srv.URL+"/"+a.name+"/", cred, &azblob.ClientOptions{ClientOptions: noRetry})
		if err != nil {
			t.Fatal(err)
		}
		*a.client, *a.cred = c, cred
		if _, err := c.CreateContainer(context.Background(), "ccc", nil); err != nil {
			t.Fatal(err)
		}
		if _, err := c.UploadBuffer(context.Background(), "ccc", "src", []byte("source of "+a.name), nil); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

func (e *copyEnv) readSAS(t *testing.T, perms sas.BlobPermissions) string {
	t.Helper()
	q, err := sas.BlobSignatureValues{Protocol: sas.ProtocolHTTPSandHTTP, ExpiryTime: time.Now().Add(time.Hour),
		Permissions: perms.String(), ContainerName: "ccc", BlobName: "src"}.SignWithSharedKey(e.credTwo)
	if err != nil {
		t.Fatal(err)
	}
	return q.Encode()
}

func TestCopyBlobAuthorizesItsSource(t *testing.T) {
	t.Parallel()
	e := newCopyEnv(t)
	ctx := context.Background()
	dst := func(name string) *blob.Client {
		return e.one.ServiceClient().NewContainerClient("ccc").NewBlobClient(name)
	}
	otherAccount := "http://" + e.host + "/devstoreaccount2/ccc/src"
	_, err := dst("d1").StartCopyFromURL(ctx, otherAccount, nil)
	wantCode(t, err, 403, "CannotVerifyCopySource")
	_, err = dst("d1").StartCopyFromURL(ctx, otherAccount+"?"+e.readSAS(t, sas.BlobPermissions{Write: true}), nil)
	wantCode(t, err, 403, "CannotVerifyCopySource")
	if _, err := dst("d1").StartCopyFromURL(ctx, otherAccount+"?"+e.readSAS(t, sas.BlobPermissions{Read: true}), nil); err != nil {
		t.Fatalf("copy with a read SAS: %v", err)
	}
	if got := download(t, dst("d1")); got != "source of devstoreaccount2" {
		t.Fatalf("copied %q", got)
	}
	// The same account reached through another host name is another host.
	port := e.host[strings.LastIndexByte(e.host, ':'):]
	_, err = dst("d2").StartCopyFromURL(ctx, "http://localhost"+port+"/"+DevAccountName+"/ccc/src", nil)
	wantCode(t, err, 403, "CannotVerifyCopySource")
	// A public container needs no signature.
	if _, err := e.two.ServiceClient().NewContainerClient("ccc").SetAccessPolicy(ctx,
		&container.SetAccessPolicyOptions{Access: to.Ptr(container.PublicAccessTypeBlob)}); err != nil {
		t.Fatal(err)
	}
	if _, err := dst("d3").StartCopyFromURL(ctx, otherAccount, nil); err != nil {
		t.Fatalf("copy from a public container: %v", err)
	}
	// A relative source is no URL at all.
	_, err = dst("d4").StartCopyFromURL(ctx, "/"+DevAccountName+"/ccc/src", nil)
	wantCode(t, err, 400, "InvalidHeaderValue")
	if _, err := dst("d4").GetProperties(ctx, nil); err == nil {
		t.Fatal("a refused copy wrote its destination")
	}
}

func TestCopyWithCreateOnlySAS(t *testing.T) {
	t.Parallel()
	e := newCopyEnv(t)
	ctx := context.Background()
	q, err := sas.BlobSignatureValues{Protocol: sas.ProtocolHTTPSandHTTP, ExpiryTime: time.Now().Add(time.Hour),
		Permissions: to.Ptr(sas.ContainerPermissions{Create: true}).String(), ContainerName: "ccc"}.SignWithSharedKey(e.credOne)
	if err != nil {
		t.Fatal(err)
	}
	cc, err := container.NewClientWithNoCredential("http://"+e.host+"/"+DevAccountName+"/ccc?"+q.Encode(), &container.ClientOptions{ClientOptions: noRetry})
	if err != nil {
		t.Fatal(err)
	}
	src := "http://" + e.host + "/" + DevAccountName + "/ccc/src"
	if _, err := cc.NewBlobClient("fresh").StartCopyFromURL(ctx, src, nil); err != nil {
		t.Fatalf("create-only SAS copying to a new blob: %v", err)
	}
	_, err = cc.NewBlobClient("fresh").StartCopyFromURL(ctx, src, nil)
	wantCode(t, err, 403, "AuthorizationPermissionMismatch")
	_, err = cc.NewBlockBlobClient("src").UploadBuffer(ctx, []byte("overwrite"), nil)
	wantCode(t, err, 403, "AuthorizationPermissionMismatch")
}

func TestCopyFromURLEchoesSourceMD5(t *testing.T) {
	t.Parallel()
	e := newCopyEnv(t)
	ctx := context.Background()
	src := "http://" + e.host + "/" + DevAccountName + "/ccc/src"
	sum := md5.Sum([]byte("source of " + DevAccountName))
	dst := e.one.ServiceClient().NewContainerClient("ccc").NewBlockBlobClient("sync")
	res, err := dst.CopyFromURL(ctx, src, &blob.CopyFromURLOptions{SourceContentMD5: sum[:]})
	if err != nil {
		t.Fatal(err)
	}
	if string(res.ContentMD5) != string(sum[:]) {
		t.Fatalf("Content-MD5 %x, want %x", res.ContentMD5, sum)
	}
	bad := md5.Sum([]byte("something else"))
	_, err = e.one.ServiceClient().NewContainerClient("ccc").NewBlockBlobClient("bad").CopyFromURL(ctx, src, &blob.CopyFromURLOptions{SourceContentMD5: bad[:]})
	wantCode(t, err, 400, "Md5Mismatch")
	if _, err := e.one.ServiceClient().NewContainerClient("ccc").NewBlobClient("bad").GetProperties(ctx, nil); err == nil {
		t.Fatal("a copy with a wrong source MD5 was written")
	}
}
