package rest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/service"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azqueue/v2"
)

func TestBlobSDKSecondaryAndStats(t *testing.T) {
	t.Parallel()
	eachBlobEnv(t, func(t *testing.T, e *blobEnv) {
		ctx := context.Background()
		cc := e.container(t, "geo")
		if _, err := cc.NewBlockBlobClient("a").Upload(ctx, streamOf([]byte("hello")), nil); err != nil {
			t.Fatal(err)
		}
		_, err := e.client.ServiceClient().GetStatistics(ctx, nil)
		wantCode(t, err, 400, "InvalidQueryParameterValue")

		sec, err := azblob.NewClientWithSharedKeyCredential(strings.Replace(e.url, DevAccountName, DevAccountName+"-secondary", 1)+"/", e.cred,
			&azblob.ClientOptions{ClientOptions: noRetry})
		if err != nil {
			t.Fatal(err)
		}
		st, err := sec.ServiceClient().GetStatistics(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if st.GeoReplication == nil || *st.GeoReplication.Status != service.BlobGeoReplicationStatusLive ||
			!st.GeoReplication.LastSyncTime.Equal(e.clock.Now().Truncate(time.Second)) {
			t.Fatalf("stats %+v", st.GeoReplication)
		}
		// Reads work at the secondary; writes are refused there.
		if got := download(t, sec.ServiceClient().NewContainerClient("geo").NewBlobClient("a")); got != "hello" {
			t.Fatalf("secondary read %q", got)
		}
		pager := sec.NewListBlobsFlatPager("geo", nil)
		page, err := pager.NextPage(ctx)
		if err != nil || len(page.Segment.BlobItems) != 1 {
			t.Fatalf("secondary listing %v", err)
		}
		_, err = sec.UploadBuffer(ctx, "geo", "b", []byte("x"), nil)
		wantCode(t, err, 403, "AuthorizationFailure")
		_, err = sec.DeleteBlob(ctx, "geo", "a", nil)
		wantCode(t, err, 403, "AuthorizationFailure")
		if got := download(t, cc.NewBlobClient("a")); got != "hello" {
			t.Fatal("refused secondary delete removed the blob")
		}
	})
}

func TestQueueSDKServiceStats(t *testing.T) {
	t.Parallel()
	e := newQueueEnv(t, "memory")
	ctx := context.Background()
	_, err := e.client.GetStatistics(ctx, nil)
	wantCode(t, err, 400, "InvalidQueryParameterValue")
	sec, err := azqueue.NewServiceClientWithSharedKeyCredential(strings.Replace(e.url, DevAccountName, DevAccountName+"-secondary", 1)+"/", e.cred,
		&azqueue.ClientOptions{ClientOptions: noRetry})
	if err != nil {
		t.Fatal(err)
	}
	st, err := sec.GetStatistics(ctx, nil)
	if err != nil || st.GeoReplication == nil || string(*st.GeoReplication.Status) != "live" {
		t.Fatalf("queue stats %+v %v", st, err)
	}
	_, err = sec.CreateQueue(ctx, "q1", nil)
	wantCode(t, err, 403, "AuthorizationFailure")
}
