package rest

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/appendblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blockblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/container"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/lease"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/sas"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/service"

	"github.com/funcemu/funcemu/emulator/clock"
	"github.com/funcemu/funcemu/emulator/storage"
)

type blobEnv struct {
	url    string // service URL with the account, no trailing slash
	clock  *clock.Virtual
	store  *storage.Store
	client *azblob.Client
	cred   *azblob.SharedKeyCredential
}

func newBlobEnv(t testing.TB, kind string) *blobEnv {
	t.Helper()
	clock := newFakeClock()
	path := ""
	if kind == "file" {
		path = filepath.Join(t.TempDir(), "storage.db")
	}
	store, err := storage.Open(storage.Options{Path: path, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	srv := httptest.NewServer(NewServer(NewBlobService(store), nil, clock, nil))
	t.Cleanup(srv.Close)
	cred, err := azblob.NewSharedKeyCredential(DevAccountName, DevAccountKey)
	if err != nil {
		t.Fatal(err)
	}
	url := srv.URL + "/" + DevAccountName
	client, err := azblob.NewClientWithSharedKeyCredential(url+"/", cred, &azblob.ClientOptions{ClientOptions: noRetry})
	if err != nil {
		t.Fatal(err)
	}
	return &blobEnv{url: url, clock: clock, store: store, client: client, cred: cred}
}

func eachBlobEnv(t *testing.T, f func(t *testing.T, e *blobEnv)) {
	for _, kind := range storeKinds {
		t.Run(kind, func(t *testing.T) { f(t, newBlobEnv(t, kind)) })
	}
}

func (e *blobEnv) container(t *testing.T, name string) *container.Client {
	t.Helper()
	if _, err := e.client.CreateContainer(context.Background(), name, nil); err != nil {
		t.Fatal(err)
	}
	return e.client.ServiceClient().NewContainerClient(name)
}

func TestBlobSDKContainers(t *testing.T) {
	t.Parallel()
	eachBlobEnv(t, func(t *testing.T, e *blobEnv) {
		ctx := context.Background()
		_, err := e.client.CreateContainer(ctx, "docs", &azblob.CreateContainerOptions{
			Metadata: map[string]*string{"team": to.Ptr("core")}, Access: to.Ptr(container.PublicAccessTypeBlob)})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.client.CreateContainer(ctx, "docs", nil)
		wantCode(t, err, 409, "ContainerAlreadyExists")
		_, err = e.client.CreateContainer(ctx, "Bad_Name", nil)
		wantCode(t, err, 400, "InvalidResourceName")

		cc := e.client.ServiceClient().NewContainerClient("docs")
		props, err := cc.GetProperties(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if *props.BlobPublicAccess != container.PublicAccessTypeBlob || *props.LeaseState != lease.StateTypeAvailable || props.ETag == nil {
			t.Fatalf("container properties = %+v", props)
		}
		if v := props.Metadata["Team"]; v == nil || *v != "core" {
			t.Fatalf("metadata = %v", props.Metadata)
		}
		if _, err := cc.SetMetadata(ctx, &container.SetMetadataOptions{Metadata: map[string]*string{"a": to.Ptr("1")}}); err != nil {
			t.Fatal(err)
		}
		start := e.clock.Now().Add(-time.Hour).UTC().Truncate(time.Second)
		expiry := e.clock.Now().Add(time.Hour).UTC().Truncate(time.Second)
		_, err = cc.SetAccessPolicy(ctx, &container.SetAccessPolicyOptions{
			Access: to.Ptr(container.PublicAccessTypeContainer),
			ContainerACL: []*container.SignedIdentifier{{ID: to.Ptr("policy1"), AccessPolicy: &container.AccessPolicy{
				Start: &start, Expiry: &expiry, Permission: to.Ptr("rl")}}},
		})
		if err != nil {
			t.Fatal(err)
		}
		acl, err := cc.GetAccessPolicy(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(acl.SignedIdentifiers) != 1 || *acl.SignedIdentifiers[0].ID != "policy1" || *acl.BlobPublicAccess != container.PublicAccessTypeContainer {
			t.Fatalf("acl = %+v", acl)
		}

		for _, n := range []string{"list-a", "list-b", "list-c"} {
			e.container(t, n)
		}
		pager := e.client.NewListContainersPager(&azblob.ListContainersOptions{Prefix: to.Ptr("list-"), MaxResults: to.Ptr(int32(2)),
			Include: azblob.ListContainersInclude{Metadata: true}})
		var names []string
		for pager.More() {
			page, err := pager.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range page.ContainerItems {
				names = append(names, *c.Name)
			}
		}
		if strings.Join(names, ",") != "list-a,list-b,list-c" {
			t.Fatalf("listed containers = %v", names)
		}

		// Container lease guards delete.
		lc, err := lease.NewContainerClient(cc, &lease.ContainerClientOptions{LeaseID: to.Ptr("11111111-2222-4333-8444-555555555555")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := lc.AcquireLease(ctx, -1, nil); err != nil {
			t.Fatal(err)
		}
		_, err = cc.Delete(ctx, nil)
		wantCode(t, err, 412, "LeaseIdMissing")
		if _, err := cc.Delete(ctx, &container.DeleteOptions{AccessConditions: &container.AccessConditions{
			LeaseAccessConditions: &container.LeaseAccessConditions{LeaseID: lc.LeaseID()}}}); err != nil {
			t.Fatal(err)
		}
		_, err = cc.GetProperties(ctx, nil)
		wantCode(t, err, 404, "ContainerNotFound")
	})
}

func TestBlobSDKUploadDownloadRanges(t *testing.T) {
	t.Parallel()
	eachBlobEnv(t, func(t *testing.T, e *blobEnv) {
		ctx := context.Background()
		cc := e.container(t, "data")
		bb := cc.NewBlockBlobClient("dir/hello.txt")
		body := []byte("hello, blob world")
		sum := md5.Sum(body)
		up, err := bb.Upload(ctx, streamOf(body), &blockblob.UploadOptions{
			HTTPHeaders: &blob.HTTPHeaders{BlobContentType: to.Ptr("text/plain"), BlobCacheControl: to.Ptr("no-cache"),
				BlobContentLanguage: to.Ptr("en"), BlobContentDisposition: to.Ptr("inline"), BlobContentEncoding: to.Ptr("identity")},
			Metadata:                map[string]*string{"k": to.Ptr("v")},
			TransactionalValidation: blob.TransferValidationTypeMD5(sum[:]),
		})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(up.ContentMD5, sum[:]) {
			t.Fatalf("upload content md5 = %x", up.ContentMD5)
		}
		dl, err := bb.DownloadStream(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(dl.Body)
		if string(got) != string(body) || *dl.ContentType != "text/plain" || *dl.CacheControl != "no-cache" || *dl.ContentLanguage != "en" {
			t.Fatalf("download %q %+v", got, dl)
		}
		dl, err = bb.DownloadStream(ctx, &blob.DownloadStreamOptions{Range: blob.HTTPRange{Offset: 7, Count: 4}})
		if err != nil {
			t.Fatal(err)
		}
		got, _ = io.ReadAll(dl.Body)
		if string(got) != "blob" || *dl.ContentRange != "bytes 7-10/17" {
			t.Fatalf("range %q %v", got, *dl.ContentRange)
		}
		_, err = bb.DownloadStream(ctx, &blob.DownloadStreamOptions{Range: blob.HTTPRange{Offset: 100, Count: 4}})
		wantCode(t, err, 416, "InvalidRange")

		// A large blob through the SDK's chunked upload and parallel ranged download.
		big := bytes.Repeat([]byte("0123456789abcdef"), 600<<10/16*10) // ~6 MiB
		if _, err := e.client.UploadBuffer(ctx, "data", "big.bin", big, &azblob.UploadBufferOptions{BlockSize: 1 << 20, Concurrency: 3}); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, len(big))
		n, err := e.client.DownloadBuffer(ctx, "data", "big.bin", buf, &azblob.DownloadBufferOptions{BlockSize: 1 << 20, Concurrency: 3})
		if err != nil || n != int64(len(big)) || !bytes.Equal(buf, big) {
			t.Fatalf("download buffer n=%d err=%v equal=%v", n, err, bytes.Equal(buf, big))
		}
		if _, err := e.client.UploadStream(ctx, "data", "stream.bin", bytes.NewReader(big[:3<<20]), &azblob.UploadStreamOptions{BlockSize: 1 << 20}); err != nil {
			t.Fatal(err)
		}
		props, err := cc.NewBlobClient("stream.bin").GetProperties(ctx, nil)
		if err != nil || *props.ContentLength != 3<<20 || *props.BlobType != blob.BlobTypeBlockBlob {
			t.Fatalf("stream.bin properties %+v %v", props, err)
		}

		// Content-MD5 checked on upload.
		bad := md5.Sum([]byte("other"))
		_, err = bb.Upload(ctx, streamOf(body), &blockblob.UploadOptions{TransactionalValidation: blob.TransferValidationTypeMD5(bad[:])})
		wantCode(t, err, 400, "Md5Mismatch")
		_, err = cc.NewBlobClient("missing").DownloadStream(ctx, nil)
		wantCode(t, err, 404, "BlobNotFound")
		_, err = cc.NewBlobClient("missing").GetProperties(ctx, nil)
		wantCode(t, err, 404, "BlobNotFound")
	})
}

type readSeekNopCloser struct{ *bytes.Reader }

func (readSeekNopCloser) Close() error { return nil }

func streamOf(b []byte) readSeekNopCloser { return readSeekNopCloser{bytes.NewReader(b)} }

func TestBlobSDKPropertiesMetadataConditions(t *testing.T) {
	t.Parallel()
	eachBlobEnv(t, func(t *testing.T, e *blobEnv) {
		ctx := context.Background()
		cc := e.container(t, "props")
		bb := cc.NewBlockBlobClient("a.json")
		up, err := bb.Upload(ctx, streamOf([]byte("{}")), nil)
		if err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(2 * time.Second)
		sp, err := bb.SetHTTPHeaders(ctx, blob.HTTPHeaders{BlobContentType: to.Ptr("application/json")}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if *sp.ETag == *up.ETag {
			t.Fatal("set properties kept the ETag")
		}
		md, err := bb.SetMetadata(ctx, map[string]*string{"owner": to.Ptr("x")}, nil)
		if err != nil {
			t.Fatal(err)
		}
		p, err := bb.GetProperties(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if *p.ContentType != "application/json" || *p.Metadata["Owner"] != "x" || *p.ETag != *md.ETag {
			t.Fatalf("properties %+v", p)
		}

		etag := *md.ETag
		other := azETag(`"0x1"`)
		past := e.clock.Now().Add(-time.Hour)
		future := e.clock.Now().Add(time.Hour)
		reads := []struct {
			name   string
			cond   blob.ModifiedAccessConditions
			status int
		}{
			{"if-match ok", blob.ModifiedAccessConditions{IfMatch: &etag}, 200},
			{"if-match fails", blob.ModifiedAccessConditions{IfMatch: &other}, 412},
			{"if-none-match hits", blob.ModifiedAccessConditions{IfNoneMatch: &etag}, 304},
			{"if-modified-since future", blob.ModifiedAccessConditions{IfModifiedSince: &future}, 304},
			{"if-modified-since past", blob.ModifiedAccessConditions{IfModifiedSince: &past}, 200},
			{"if-unmodified-since past", blob.ModifiedAccessConditions{IfUnmodifiedSince: &past}, 412},
		}
		for _, tc := range reads {
			dl, err := bb.DownloadStream(ctx, &blob.DownloadStreamOptions{AccessConditions: &blob.AccessConditions{ModifiedAccessConditions: &tc.cond}})
			if tc.status == 304 && err == nil { // the SDK accepts 304 for downloads: no body, no length
				if dl.Body != nil || (dl.ContentLength != nil && *dl.ContentLength != 0) {
					t.Fatalf("%s: got a body, want 304", tc.name)
				}
				continue
			}
			if tc.status == 200 {
				if err != nil {
					t.Fatalf("%s: %v", tc.name, err)
				}
				continue
			}
			if err == nil {
				t.Fatalf("%s: succeeded, want %d", tc.name, tc.status)
			}
			status, code := azureCode(t, err)
			if status != tc.status || (status == 412 && code != "ConditionNotMet") {
				t.Fatalf("%s: got %d %s, want %d", tc.name, status, code, tc.status)
			}
		}
		_, err = bb.Upload(ctx, streamOf([]byte("x")), &blockblob.UploadOptions{AccessConditions: &blob.AccessConditions{
			ModifiedAccessConditions: &blob.ModifiedAccessConditions{IfNoneMatch: to.Ptr(azETag("*"))}}})
		wantCode(t, err, 409, "BlobAlreadyExists")
		_, err = bb.SetMetadata(ctx, nil, &blob.SetMetadataOptions{AccessConditions: &blob.AccessConditions{
			ModifiedAccessConditions: &blob.ModifiedAccessConditions{IfMatch: &other}}})
		wantCode(t, err, 412, "ConditionNotMet")
	})
}

func TestBlobSDKBlocksSnapshotsCopyDelete(t *testing.T) {
	t.Parallel()
	eachBlobEnv(t, func(t *testing.T, e *blobEnv) {
		ctx := context.Background()
		cc := e.container(t, "blocks")
		bb := cc.NewBlockBlobClient("staged")
		ids := []string{b64("block-0"), b64("block-1")}
		for i, id := range ids {
			if _, err := bb.StageBlock(ctx, id, streamOf([]byte(fmt.Sprint("part", i))), nil); err != nil {
				t.Fatal(err)
			}
		}
		bl, err := bb.GetBlockList(ctx, blockblob.BlockListTypeAll, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(bl.UncommittedBlocks) != 2 || len(bl.CommittedBlocks) != 0 || *bl.UncommittedBlocks[0].Size != 5 {
			t.Fatalf("block list %+v", bl)
		}
		if _, err := bb.StageBlock(ctx, b64("block-2"), streamOf([]byte("checked")), &blockblob.StageBlockOptions{
			TransactionalValidation: blob.TransferValidationTypeComputeCRC64()}); err != nil {
			t.Fatal(err)
		}
		_, err = bb.StageBlock(ctx, b64("block-3"), streamOf([]byte("checked")), &blockblob.StageBlockOptions{
			TransactionalValidation: blob.TransferValidationTypeCRC64(12345)})
		wantCode(t, err, 400, "Crc64Mismatch")
		_, err = bb.StageBlock(ctx, "###", streamOf([]byte("x")), nil)
		wantCode(t, err, 400, "InvalidQueryParameterValue")
		_, err = bb.CommitBlockList(ctx, []string{b64("block-9")}, nil)
		wantCode(t, err, 400, "InvalidBlockList")
		if _, err := bb.CommitBlockList(ctx, []string{ids[1], ids[0]}, nil); err != nil {
			t.Fatal(err)
		}
		bl, _ = bb.GetBlockList(ctx, blockblob.BlockListTypeCommitted, nil)
		if len(bl.CommittedBlocks) != 2 || *bl.CommittedBlocks[0].Name != ids[1] || *bl.BlobContentLength != 10 {
			t.Fatalf("committed list %+v", bl)
		}
		if got := download(t, bb.BlobClient()); got != "part1part0" {
			t.Fatalf("committed content %q", got)
		}

		snap, err := bb.CreateSnapshot(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := bb.Upload(ctx, streamOf([]byte("new")), nil); err != nil {
			t.Fatal(err)
		}
		snapClient, err := bb.WithSnapshot(*snap.Snapshot)
		if err != nil {
			t.Fatal(err)
		}
		if got := download(t, snapClient.BlobClient()); got != "part1part0" {
			t.Fatalf("snapshot content %q", got)
		}

		cp, err := cc.NewBlobClient("copy").CopyFromURL(ctx, bb.URL(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if *cp.CopyStatus != "success" {
			t.Fatalf("copy status %v", *cp.CopyStatus)
		}
		sc, err := cc.NewBlobClient("copy2").StartCopyFromURL(ctx, bb.URL(), nil)
		if err != nil || *sc.CopyStatus != blob.CopyStatusTypeSuccess {
			t.Fatalf("start copy %+v %v", sc, err)
		}
		if got := download(t, cc.NewBlobClient("copy2")); got != "new" {
			t.Fatalf("copied content %q", got)
		}

		_, err = bb.Delete(ctx, nil)
		wantCode(t, err, 409, "SnapshotsPresent")
		if _, err := bb.Delete(ctx, &blob.DeleteOptions{DeleteSnapshots: to.Ptr(blob.DeleteSnapshotsOptionTypeInclude)}); err != nil {
			t.Fatal(err)
		}
		_, err = bb.GetProperties(ctx, nil)
		wantCode(t, err, 404, "BlobNotFound")
	})
}

func download(t *testing.T, c *blob.Client) string {
	t.Helper()
	dl, err := c.DownloadStream(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer dl.Body.Close()
	b, err := io.ReadAll(dl.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func TestBlobSDKAppendAndList(t *testing.T) {
	t.Parallel()
	eachBlobEnv(t, func(t *testing.T, e *blobEnv) {
		ctx := context.Background()
		cc := e.container(t, "logs")
		ab := cc.NewAppendBlobClient("app.log")
		if _, err := ab.Create(ctx, nil); err != nil {
			t.Fatal(err)
		}
		r, err := ab.AppendBlock(ctx, streamOf([]byte("line1\n")), nil)
		if err != nil || *r.BlobAppendOffset != "0" || *r.BlobCommittedBlockCount != 1 {
			t.Fatalf("append %+v %v", r, err)
		}
		_, err = ab.AppendBlock(ctx, streamOf([]byte("x")), &appendblob.AppendBlockOptions{
			AppendPositionAccessConditions: &appendblob.AppendPositionAccessConditions{AppendPosition: to.Ptr(int64(0))}})
		wantCode(t, err, 412, "AppendPositionConditionNotMet")
		_, err = ab.AppendBlock(ctx, streamOf([]byte("x")), &appendblob.AppendBlockOptions{
			AppendPositionAccessConditions: &appendblob.AppendPositionAccessConditions{MaxSize: to.Ptr(int64(6))}})
		wantCode(t, err, 412, "MaxBlobSizeConditionNotMet")
		_, err = cc.NewAppendBlobClient("missing").AppendBlock(ctx, streamOf([]byte("x")), nil)
		wantCode(t, err, 404, "BlobNotFound")

		for _, n := range []string{"a/1", "a/2", "b/1", "top"} {
			if _, err := cc.NewBlockBlobClient(n).Upload(ctx, streamOf([]byte(n)), &blockblob.UploadOptions{Metadata: map[string]*string{"n": to.Ptr("1")}}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := cc.NewBlockBlobClient("pending").StageBlock(ctx, b64("x"), streamOf([]byte("p")), nil); err != nil {
			t.Fatal(err)
		}
		hp := cc.NewListBlobsHierarchyPager("/", nil)
		page, err := hp.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var prefixes, blobs []string
		for _, p := range page.Segment.BlobPrefixes {
			prefixes = append(prefixes, *p.Name)
		}
		for _, b := range page.Segment.BlobItems {
			blobs = append(blobs, *b.Name)
		}
		if strings.Join(prefixes, ",") != "a/,b/" || strings.Join(blobs, ",") != "app.log,top" {
			t.Fatalf("hierarchy prefixes %v blobs %v", prefixes, blobs)
		}
		fp := cc.NewListBlobsFlatPager(&container.ListBlobsFlatOptions{MaxResults: to.Ptr(int32(2)),
			Include: container.ListBlobsInclude{Metadata: true, UncommittedBlobs: true}})
		var all []string
		for fp.More() {
			page, err := fp.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range page.Segment.BlobItems {
				all = append(all, *b.Name)
				if *b.Name == "a/1" && (b.Metadata["n"] == nil && b.Metadata["N"] == nil) {
					t.Fatalf("listing lost metadata: %v", b.Metadata)
				}
			}
		}
		if strings.Join(all, ",") != "a/1,a/2,app.log,b/1,pending,top" {
			t.Fatalf("flat listing %v", all)
		}
	})
}

func TestBlobSDKLeases(t *testing.T) {
	t.Parallel()
	eachBlobEnv(t, func(t *testing.T, e *blobEnv) {
		ctx := context.Background()
		cc := e.container(t, "leases")
		bb := cc.NewBlockBlobClient("host")
		up, err := bb.Upload(ctx, streamOf([]byte("lock")), nil)
		if err != nil {
			t.Fatal(err)
		}
		lc, err := lease.NewBlobClient(bb, &lease.BlobClientOptions{LeaseID: to.Ptr("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee")})
		if err != nil {
			t.Fatal(err)
		}
		acq, err := lc.AcquireLease(ctx, 15, nil)
		if err != nil {
			t.Fatal(err)
		}
		if *acq.ETag != *up.ETag {
			t.Fatal("acquire changed the ETag")
		}
		other, _ := lease.NewBlobClient(bb, &lease.BlobClientOptions{LeaseID: to.Ptr("99999999-bbbb-4ccc-8ddd-eeeeeeeeeeee")})
		_, err = other.AcquireLease(ctx, 15, nil)
		wantCode(t, err, 409, "LeaseAlreadyPresent")
		_, err = bb.Upload(ctx, streamOf([]byte("x")), nil)
		wantCode(t, err, 412, "LeaseIdMissing")
		_, err = bb.SetMetadata(ctx, nil, &blob.SetMetadataOptions{AccessConditions: &blob.AccessConditions{
			LeaseAccessConditions: &blob.LeaseAccessConditions{LeaseID: other.LeaseID()}}})
		wantCode(t, err, 412, "LeaseIdMismatchWithBlobOperation")
		if _, err := bb.SetMetadata(ctx, map[string]*string{"FunctionInstance": to.Ptr("me")}, &blob.SetMetadataOptions{AccessConditions: &blob.AccessConditions{
			LeaseAccessConditions: &blob.LeaseAccessConditions{LeaseID: lc.LeaseID()}}}); err != nil {
			t.Fatal(err)
		}
		p, _ := bb.GetProperties(ctx, nil)
		if *p.LeaseState != lease.StateTypeLeased || *p.LeaseStatus != lease.StatusTypeLocked || *p.LeaseDuration != lease.DurationTypeFixed {
			t.Fatalf("lease props %v %v %v", *p.LeaseState, *p.LeaseStatus, *p.LeaseDuration)
		}
		if _, err := lc.RenewLease(ctx, nil); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(16 * time.Second)
		p, _ = bb.GetProperties(ctx, nil)
		if *p.LeaseState != lease.StateTypeExpired {
			t.Fatalf("lease state after expiry %v", *p.LeaseState)
		}
		if _, err := other.AcquireLease(ctx, -1, nil); err != nil {
			t.Fatal(err)
		}
		br, err := other.BreakLease(ctx, &lease.BlobBreakOptions{BreakPeriod: to.Ptr(int32(10))})
		if err != nil || *br.LeaseTime != 10 {
			t.Fatalf("break %+v %v", br, err)
		}
		_, err = other.RenewLease(ctx, nil)
		wantCode(t, err, 409, "LeaseIsBrokenAndCannotBeRenewed")
		e.clock.Advance(11 * time.Second)
		p, _ = bb.GetProperties(ctx, nil)
		if *p.LeaseState != lease.StateTypeBroken {
			t.Fatalf("lease state after break %v", *p.LeaseState)
		}
		if _, err := lc.AcquireLease(ctx, 20, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := lc.ChangeLease(ctx, "12345678-bbbb-4ccc-8ddd-eeeeeeeeeeee", nil); err != nil {
			t.Fatal(err)
		}
		if _, err := lc.ReleaseLease(ctx, nil); err != nil {
			t.Fatal(err)
		}
		_, err = cc.NewBlobClient("nope").GetProperties(ctx, nil)
		wantCode(t, err, 404, "BlobNotFound")
	})
}

func TestBlobSDKSASAndAnonymous(t *testing.T) {
	t.Parallel()
	eachBlobEnv(t, func(t *testing.T, e *blobEnv) {
		ctx := context.Background()
		cc := e.container(t, "shared")
		if _, err := cc.NewBlockBlobClient("f.txt").Upload(ctx, streamOf([]byte("secret")), nil); err != nil {
			t.Fatal(err)
		}
		now := e.clock.Now().UTC()
		// Service SAS for the blob.
		q, err := sas.BlobSignatureValues{Protocol: sas.ProtocolHTTPSandHTTP, StartTime: now.Add(-time.Minute), ExpiryTime: now.Add(time.Hour),
			Permissions: to.Ptr(sas.BlobPermissions{Read: true}).String(), ContainerName: "shared", BlobName: "f.txt"}.SignWithSharedKey(e.cred)
		if err != nil {
			t.Fatal(err)
		}
		if got := anonGet(t, e.url+"/shared/f.txt?"+q.Encode()); got != 200 {
			t.Fatalf("service SAS read = %d", got)
		}
		// Expired SAS.
		q, _ = sas.BlobSignatureValues{Protocol: sas.ProtocolHTTPSandHTTP, StartTime: now.Add(-2 * time.Hour), ExpiryTime: now.Add(-time.Hour),
			Permissions: to.Ptr(sas.BlobPermissions{Read: true}).String(), ContainerName: "shared", BlobName: "f.txt"}.SignWithSharedKey(e.cred)
		if got := anonGet(t, e.url+"/shared/f.txt?"+q.Encode()); got != 403 {
			t.Fatalf("expired SAS read = %d, want 403", got)
		}
		// Service SAS naming a stored access policy.
		start, expiry := now.Add(-time.Hour).Truncate(time.Second), now.Add(time.Hour).Truncate(time.Second)
		if _, err := cc.SetAccessPolicy(ctx, &container.SetAccessPolicyOptions{ContainerACL: []*container.SignedIdentifier{{
			ID: to.Ptr("readers"), AccessPolicy: &container.AccessPolicy{Start: &start, Expiry: &expiry, Permission: to.Ptr("rl")}}}}); err != nil {
			t.Fatal(err)
		}
		q, err = sas.BlobSignatureValues{Protocol: sas.ProtocolHTTPSandHTTP, Identifier: "readers", ContainerName: "shared"}.SignWithSharedKey(e.cred)
		if err != nil {
			t.Fatal(err)
		}
		sasClient, err := container.NewClientWithNoCredential(e.url+"/shared?"+q.Encode(), &container.ClientOptions{ClientOptions: noRetry})
		if err != nil {
			t.Fatal(err)
		}
		if got := download(t, sasClient.NewBlobClient("f.txt")); got != "secret" {
			t.Fatalf("policy SAS read = %q", got)
		}
		_, err = sasClient.NewBlockBlobClient("w.txt").Upload(ctx, streamOf([]byte("x")), nil)
		wantCode(t, err, 403, "AuthorizationPermissionMismatch")
		// Account SAS through the service client.
		aq, err := sas.AccountSignatureValues{Protocol: sas.ProtocolHTTPSandHTTP, StartTime: now.Add(-time.Minute), ExpiryTime: now.Add(time.Hour),
			Permissions:   to.Ptr(sas.AccountPermissions{Read: true, List: true}).String(),
			ResourceTypes: to.Ptr(sas.AccountResourceTypes{Service: true, Container: true, Object: true}).String()}.SignWithSharedKey(e.cred)
		if err != nil {
			t.Fatal(err)
		}
		svc, err := service.NewClientWithNoCredential(e.url+"/?"+aq.Encode(), &service.ClientOptions{ClientOptions: noRetry})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.NewContainerClient("shared").GetProperties(ctx, nil); err != nil {
			t.Fatal(err)
		}

		// Anonymous reads: refused while private, allowed once public.
		if got := anonGet(t, e.url+"/shared/f.txt"); got == 200 {
			t.Fatal("anonymous read of a private container succeeded")
		}
		if _, err := cc.SetAccessPolicy(ctx, &container.SetAccessPolicyOptions{Access: to.Ptr(container.PublicAccessTypeBlob)}); err != nil {
			t.Fatal(err)
		}
		anon, err := azblob.NewClientWithNoCredential(e.url+"/", &azblob.ClientOptions{ClientOptions: noRetry})
		if err != nil {
			t.Fatal(err)
		}
		if got := download(t, anon.ServiceClient().NewContainerClient("shared").NewBlobClient("f.txt")); got != "secret" {
			t.Fatalf("anonymous read = %q", got)
		}
		_, err = anon.UploadBuffer(ctx, "shared", "w.txt", []byte("x"), nil)
		if err == nil {
			t.Fatal("anonymous write succeeded")
		}
	})
}

func anonGet(t *testing.T, url string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("x-ms-version", "2026-12-06")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestBlobSDKServicePropertiesAndCORS(t *testing.T) {
	t.Parallel()
	eachBlobEnv(t, func(t *testing.T, e *blobEnv) {
		ctx := context.Background()
		svc := e.client.ServiceClient()
		_, err := svc.SetProperties(ctx, &service.SetPropertiesOptions{CORS: []*service.CORSRule{{
			AllowedOrigins: to.Ptr("https://app.example"), AllowedMethods: to.Ptr("GET,PUT"),
			AllowedHeaders: to.Ptr("x-ms-meta-*,content-type"), ExposedHeaders: to.Ptr("x-ms-request-id"), MaxAgeInSeconds: to.Ptr(int32(300)),
		}}})
		if err != nil {
			t.Fatal(err)
		}
		props, err := svc.GetProperties(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(props.CORS) != 1 || *props.CORS[0].AllowedOrigins != "https://app.example" {
			t.Fatalf("cors %+v", props.CORS)
		}
		if _, err := e.client.CreateContainer(ctx, "web", &azblob.CreateContainerOptions{Access: to.Ptr(container.PublicAccessTypeContainer)}); err != nil {
			t.Fatal(err)
		}
		pre := func(origin, method, headers string) *http.Response {
			req, _ := http.NewRequest(http.MethodOptions, e.url+"/web/x.txt", nil)
			req.Header.Set("Origin", origin)
			req.Header.Set("Access-Control-Request-Method", method)
			if headers != "" {
				req.Header.Set("Access-Control-Request-Headers", headers)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp
		}
		resp := pre("https://app.example", "PUT", "x-ms-meta-a,content-type")
		if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "https://app.example" || resp.Header.Get("Access-Control-Max-Age") != "300" {
			t.Fatalf("preflight %d %v", resp.StatusCode, resp.Header)
		}
		if resp := pre("https://evil.example", "GET", ""); resp.StatusCode != 403 || resp.Header.Get("x-ms-error-code") != "CorsPreflightFailure" {
			t.Fatalf("preflight from another origin = %d", resp.StatusCode)
		}
		if resp := pre("https://app.example", "DELETE", ""); resp.StatusCode != 403 {
			t.Fatalf("preflight for a method not allowed = %d", resp.StatusCode)
		}
		// An actual (anonymous, public container) request with Origin gets
		// the CORS answer headers.
		req, _ := http.NewRequest(http.MethodGet, e.url+"/web?restype=container&comp=list", nil)
		req.Header.Set("Origin", "https://app.example")
		resp, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		got := resp.Header
		if resp.StatusCode != 200 || got.Get("Access-Control-Allow-Origin") != "https://app.example" || got.Get("Access-Control-Expose-Headers") != "x-ms-request-id" {
			t.Fatalf("actual request CORS headers %v", got)
		}
	})
}

func azETag(s string) azcore.ETag { return azcore.ETag(s) }
