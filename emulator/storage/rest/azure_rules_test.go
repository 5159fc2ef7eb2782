package rest

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blockblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/lease"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azqueue/v2"
)

func TestProposedLeaseIDTakesEveryGUIDForm(t *testing.T) {
	t.Parallel()
	e := newBlobEnv(t, "memory")
	ctx := context.Background()
	cc := e.container(t, "guids")
	bb := cc.NewBlockBlobClient("b")
	if _, err := bb.Upload(ctx, streamOf([]byte("x")), nil); err != nil {
		t.Fatal(err)
	}
	const canonical = "8d3c2f5a-1b2c-4d5e-8f90-a1b2c3d4e5f6"
	for _, form := range []string{"8D3C2F5A1B2C4D5E8F90A1B2C3D4E5F6", "{8d3c2f5a-1b2c-4d5e-8f90-a1b2c3d4e5f6}",
		"(8D3C2F5A-1B2C-4D5E-8F90-A1B2C3D4E5F6)", canonical} {
		lc, err := lease.NewBlobClient(bb, &lease.BlobClientOptions{LeaseID: to.Ptr(form)})
		if err != nil {
			t.Fatal(err)
		}
		got, err := lc.AcquireLease(ctx, 15, nil)
		if err != nil {
			t.Fatalf("acquire with %q: %v", form, err)
		}
		if *got.LeaseID != canonical {
			t.Fatalf("acquire with %q answered lease id %q", form, *got.LeaseID)
		}
		// The lease is held under the GUID, whichever way it is written.
		if _, err := bb.SetMetadata(ctx, map[string]*string{"k": to.Ptr("v")}, &blob.SetMetadataOptions{
			AccessConditions: &blob.AccessConditions{LeaseAccessConditions: &blob.LeaseAccessConditions{LeaseID: to.Ptr(strings.ToUpper(canonical))}}}); err != nil {
			t.Fatalf("write with the lease in another form: %v", err)
		}
		if _, err := lc.ReleaseLease(ctx, nil); err != nil {
			t.Fatal(err)
		}
	}
	for _, bad := range []string{"not-a-guid", "8d3c2f5a1b2c4d5e8f90a1b2c3d4e5f", "{8d3c2f5a-1b2c-4d5e-8f90-a1b2c3d4e5f6)"} {
		lc, _ := lease.NewBlobClient(bb, &lease.BlobClientOptions{LeaseID: to.Ptr(bad)})
		_, err := lc.AcquireLease(ctx, 15, nil)
		wantCode(t, err, 400, "InvalidHeaderValue")
	}
}

func TestSetBlobPropertiesStoresAndClearsAsAzure(t *testing.T) {
	t.Parallel()
	e := newBlobEnv(t, "memory")
	ctx := context.Background()
	cc := e.container(t, "props")
	bb := cc.NewBlockBlobClient("b")
	if _, err := bb.Upload(ctx, streamOf([]byte("x")), nil); err != nil {
		t.Fatal(err)
	}
	props, err := bb.GetProperties(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if *props.ContentType != "application/octet-stream" {
		t.Fatalf("default content type %q", *props.ContentType)
	}
	odd := []byte{1, 2, 3}
	if _, err := bb.SetHTTPHeaders(ctx, blob.HTTPHeaders{BlobContentMD5: odd, BlobContentType: to.Ptr("text/plain"),
		BlobContentDisposition: to.Ptr("inline")}, nil); err != nil {
		t.Fatal(err)
	}
	if props, err = bb.GetProperties(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(props.ContentMD5, odd) || *props.ContentType != "text/plain" {
		t.Fatalf("stored md5 %v type %q", props.ContentMD5, *props.ContentType)
	}
	if _, err := bb.SetHTTPHeaders(ctx, blob.HTTPHeaders{}, nil); err != nil {
		t.Fatal(err)
	}
	if props, err = bb.GetProperties(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if props.ContentType != nil || props.ContentDisposition != nil || props.ContentMD5 != nil {
		t.Fatalf("not cleared: type %v disposition %v md5 %v", props.ContentType, props.ContentDisposition, props.ContentMD5)
	}
}

func TestMD5AndCRC64TogetherAre400(t *testing.T) {
	t.Parallel()
	e := newBlobEnv(t, "memory")
	e.container(t, "sums")
	if _, err := e.client.UploadBuffer(context.Background(), "sums", "app", nil, nil); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/sums/new", "/sums/new?comp=block&blockid=YmxvY2s%3D"} {
		req, _ := http.NewRequest(http.MethodPut, e.url+path, strings.NewReader("body"))
		req.Header.Set("x-ms-blob-type", "BlockBlob")
		req.Header.Set("Content-MD5", "hBotaJrYa9FhFEdFPCLG/A==")
		req.Header.Set("x-ms-content-crc64", "AAAAAAAAAAA=")
		resp := doSigned(t, req)
		checkAzureError(t, resp, 400, "InvalidHeaderValue")
	}
	if _, err := e.client.ServiceClient().NewContainerClient("sums").NewBlobClient("new").GetProperties(context.Background(), nil); err == nil {
		t.Fatal("the blob was written")
	}
}

func TestRangeOnEmptyBlobIs416WithItsSize(t *testing.T) {
	t.Parallel()
	e := newBlobEnv(t, "memory")
	ctx := context.Background()
	cc := e.container(t, "empty")
	bb := cc.NewBlockBlobClient("zero")
	if _, err := bb.Upload(ctx, streamOf(nil), nil); err != nil {
		t.Fatal(err)
	}
	_, err := bb.DownloadStream(ctx, &blob.DownloadStreamOptions{Range: blob.HTTPRange{Offset: 0, Count: 512}})
	wantCode(t, err, 416, "InvalidRange")
	var re *azcore.ResponseError
	if errors.As(err, &re); re.RawResponse.Header.Get("Content-Range") != "bytes */0" {
		t.Fatalf("Content-Range %q", re.RawResponse.Header.Get("Content-Range"))
	}
	if got := download(t, bb.BlobClient()); got != "" {
		t.Fatalf("whole download = %q", got)
	}
	full := cc.NewBlockBlobClient("five")
	if _, err := full.Upload(ctx, streamOf([]byte("12345")), &blockblob.UploadOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err = full.DownloadStream(ctx, &blob.DownloadStreamOptions{Range: blob.HTTPRange{Offset: 5, Count: 1}})
	if errors.As(err, &re); re == nil || re.StatusCode != 416 || re.RawResponse.Header.Get("Content-Range") != "bytes */5" {
		t.Fatalf("range past the end: %v", err)
	}
}

func TestHugeMessageTTLNeverExpiresAtOnce(t *testing.T) {
	t.Parallel()
	env := newQueueEnv(t, "memory")
	ctx := context.Background()
	if _, err := env.client.CreateQueue(ctx, "ttl", nil); err != nil {
		t.Fatal(err)
	}
	for _, ttl := range []string{"2147483647", "99999999999", "9223372036854775807"} {
		req, _ := http.NewRequest(http.MethodPost, env.url+"/ttl/messages?messagettl="+ttl,
			strings.NewReader("<QueueMessage><MessageText>"+ttl+"</MessageText></QueueMessage>"))
		resp := doSigned(t, req)
		resp.Body.Close()
		if resp.StatusCode != 201 {
			t.Fatalf("messagettl=%s: %d", ttl, resp.StatusCode)
		}
	}
	env.clock.Advance(10 * 365 * 24 * time.Hour)
	got, err := env.client.NewQueueClient("ttl").PeekMessages(ctx, &azqueue.PeekMessagesOptions{NumberOfMessages: to.Ptr(int32(32))})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Messages) != 3 {
		t.Fatalf("peek ten years on: %d messages, want 3", len(got.Messages))
	}
	req, _ := http.NewRequest(http.MethodPost, env.url+"/ttl/messages?messagettl=0", strings.NewReader("<QueueMessage><MessageText>x</MessageText></QueueMessage>"))
	checkAzureError(t, doSigned(t, req), 400, "OutOfRangeQueryParameterValue")
}
