package storage

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator/clock"
)

func put(t *testing.T, s *Store, container, name, body string) Blob {
	t.Helper()
	b, err := s.PutBlob(context.Background(), acct, container, name, strings.NewReader(body), PutBlobOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func read(t *testing.T, s *Store, container, name string, opts ReadOptions) (string, *BlobReader) {
	t.Helper()
	r, err := s.OpenBlob(context.Background(), acct, container, name, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(data), r
}

func TestPutAndReadBlob(t *testing.T) {
	t.Parallel()
	eachBlobStore(t, func(t *testing.T, s *Store, clock *clock.Virtual) {
		ctx := context.Background()
		mustContainer(t, s, "cc1")
		sum := md5.Sum([]byte("hello world"))
		b, err := s.PutBlob(ctx, acct, "cc1", "dir/a.txt", strings.NewReader("hello world"), PutBlobOptions{
			Headers:  BlobHeaders{ContentType: "text/plain", CacheControl: "no-cache"},
			Metadata: map[string]string{"k": "v"}, ContentMD5: sum[:], ParentInvocationID: "inv-1",
		})
		if err != nil {
			t.Fatal(err)
		}
		if b.Size != 11 || b.Type != BlockBlob || !bytes.Equal(b.Headers.ContentMD5, sum[:]) || b.ParentInvocationID != "inv-1" {
			t.Fatalf("put = %+v", b)
		}
		got, r := read(t, s, "cc1", "dir/a.txt", ReadOptions{})
		if got != "hello world" || r.Blob.Headers.ContentType != "text/plain" || r.Blob.Metadata["k"] != "v" {
			t.Fatalf("read %q %+v", got, r.Blob)
		}
		got, r = read(t, s, "cc1", "dir/a.txt", ReadOptions{Range: &ByteRange{Start: 6, End: -1}})
		if got != "world" || !r.Partial || r.Offset != 6 || r.Length != 5 {
			t.Fatalf("range read %q %+v", got, r)
		}
		got, _ = read(t, s, "cc1", "dir/a.txt", ReadOptions{Range: &ByteRange{Start: 0, End: 100}})
		if got != "hello world" {
			t.Fatalf("range past end = %q", got)
		}
		_, err = s.OpenBlob(ctx, acct, "cc1", "dir/a.txt", ReadOptions{Range: &ByteRange{Start: 11, End: -1}})
		wantErr(t, err, ErrRangeNotSatisfiable)

		bad := md5.Sum([]byte("other"))
		_, err = s.PutBlob(ctx, acct, "cc1", "x", strings.NewReader("hello"), PutBlobOptions{ContentMD5: bad[:]})
		wantErr(t, err, ErrMD5Mismatch)
		_, err = s.GetBlobProperties(ctx, acct, "cc1", "x", "", Conditions{})
		wantErr(t, err, ErrBlobNotFound)
		_, err = s.PutBlob(ctx, acct, "nope", "x", strings.NewReader(""), PutBlobOptions{})
		wantErr(t, err, ErrContainerNotFound)
		_, err = s.PutBlob(ctx, acct, "cc1", "x", nil, PutBlobOptions{Type: "PageBlob", PageBlobSize: 100})
		wantErr(t, err, ErrInvalidHeader)

		// Overwrite replaces content and keeps the creation time.
		clock.Advance(3 * time.Second)
		b2 := put(t, s, "cc1", "dir/a.txt", "bye")
		if b2.ETag == b.ETag || !b2.Created.Equal(b.Created) || b2.Size != 3 {
			t.Fatalf("overwrite = %+v", b2)
		}
		if n := countChunks(t, s); n != 1 {
			t.Fatalf("chunks after overwrite = %d, want 1", n)
		}
	})
}

func TestBlobConditions(t *testing.T) {
	t.Parallel()
	eachBlobStore(t, func(t *testing.T, s *Store, clock *clock.Virtual) {
		ctx := context.Background()
		mustContainer(t, s, "cc1")
		b := put(t, s, "cc1", "a", "1")
		before := b.LastModified.Add(-time.Second)
		after := b.LastModified.Add(time.Second)
		reads := []struct {
			cond Conditions
			err  error
		}{
			{Conditions{IfMatch: b.ETag}, nil},
			{Conditions{IfMatch: strings.Trim(b.ETag, `"`)}, nil},
			{Conditions{IfMatch: `"0x1"`}, ErrConditionNotMet},
			{Conditions{IfNoneMatch: b.ETag}, ErrNotModified},
			{Conditions{IfNoneMatch: "*"}, ErrNotModified},
			{Conditions{IfNoneMatch: `"0x1"`}, nil},
			{Conditions{IfModifiedSince: before}, nil},
			{Conditions{IfModifiedSince: after}, ErrNotModified},
			{Conditions{IfModifiedSince: b.LastModified}, ErrNotModified},
			{Conditions{IfUnmodifiedSince: before}, ErrConditionNotMet},
			{Conditions{IfUnmodifiedSince: after}, nil},
		}
		for i, tc := range reads {
			_, err := s.GetBlobProperties(ctx, acct, "cc1", "a", "", tc.cond)
			if tc.err == nil && err != nil {
				t.Fatalf("read %d: %v", i, err)
			}
			if tc.err != nil {
				wantErr(t, err, tc.err)
			}
		}
		_, err := s.PutBlob(ctx, acct, "cc1", "a", strings.NewReader("2"), PutBlobOptions{Conditions: Conditions{IfNoneMatch: "*"}})
		wantErr(t, err, ErrBlobAlreadyExists)
		_, err = s.PutBlob(ctx, acct, "cc1", "a", strings.NewReader("2"), PutBlobOptions{Conditions: Conditions{IfNoneMatch: b.ETag}})
		wantErr(t, err, ErrConditionNotMet)
		_, err = s.PutBlob(ctx, acct, "cc1", "a", strings.NewReader("2"), PutBlobOptions{Conditions: Conditions{IfModifiedSince: after}})
		wantErr(t, err, ErrConditionNotMet)
		_, err = s.PutBlob(ctx, acct, "cc1", "new", strings.NewReader("2"), PutBlobOptions{Conditions: Conditions{IfMatch: b.ETag}})
		wantErr(t, err, ErrConditionNotMet)
		if _, err := s.PutBlob(ctx, acct, "cc1", "new", strings.NewReader("2"), PutBlobOptions{Conditions: Conditions{IfNoneMatch: "*"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetBlobMetadata(ctx, acct, "cc1", "a", map[string]string{"x": "1"}, Conditions{IfMatch: b.ETag}); err != nil {
			t.Fatal(err)
		}
		_, err = s.SetBlobMetadata(ctx, acct, "cc1", "a", nil, Conditions{IfMatch: b.ETag})
		wantErr(t, err, ErrConditionNotMet)
	})
}

func TestBlobLeaseGuardsWritesNotETag(t *testing.T) {
	t.Parallel()
	eachBlobStore(t, func(t *testing.T, s *Store, clock *clock.Virtual) {
		ctx := context.Background()
		mustContainer(t, s, "cc1")
		b := put(t, s, "cc1", "lock", "x")
		res, err := s.LeaseBlob(ctx, acct, "cc1", "lock", LeaseRequest{Action: LeaseAcquire, Duration: 15}, Conditions{})
		if err != nil {
			t.Fatal(err)
		}
		if res.ETag != b.ETag || res.ID == "" {
			t.Fatalf("lease result %+v, blob etag %s", res, b.ETag)
		}
		_, err = s.PutBlob(ctx, acct, "cc1", "lock", strings.NewReader("y"), PutBlobOptions{})
		wantErr(t, err, ErrLeaseIDMissing)
		wantErr(t, s.DeleteBlob(ctx, acct, "cc1", "lock", "", "", Conditions{}), ErrLeaseIDMissing)
		if _, err := s.SetBlobMetadata(ctx, acct, "cc1", "lock", map[string]string{"owner": "me"}, Conditions{LeaseID: res.ID}); err != nil {
			t.Fatal(err)
		}
		// Reads and Put Block need no lease id.
		read(t, s, "cc1", "lock", ReadOptions{})
		if _, err := s.PutBlock(ctx, acct, "cc1", "lock", "QUFB", strings.NewReader("z"), BlockOptions{}); err != nil {
			t.Fatal(err)
		}
		clock.Advance(16 * time.Second)
		p, _ := s.GetBlobProperties(ctx, acct, "cc1", "lock", "", Conditions{})
		if p.Lease.State != LeaseExpired || p.Lease.Status != "unlocked" {
			t.Fatalf("lease after 16s = %+v", p.Lease)
		}
		if _, err := s.PutBlob(ctx, acct, "cc1", "lock", strings.NewReader("y"), PutBlobOptions{}); err != nil {
			t.Fatal(err)
		}
		_, err = s.LeaseBlob(ctx, acct, "cc1", "missing", LeaseRequest{Action: LeaseAcquire, Duration: -1}, Conditions{})
		wantErr(t, err, ErrBlobNotFound)
	})
}

func blockID(i int) string {
	return base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("block-%04d", i)))
}

func TestBlocksCommitAndList(t *testing.T) {
	t.Parallel()
	eachBlobStore(t, func(t *testing.T, s *Store, _ *clock.Virtual) {
		ctx := context.Background()
		mustContainer(t, s, "cc1")
		for i, part := range []string{"aaa", "bb", "cc1"} {
			if _, err := s.PutBlock(ctx, acct, "cc1", "big", blockID(i), strings.NewReader(part), BlockOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		bl, err := s.GetBlockList(ctx, acct, "cc1", "big", "", "all", "")
		if err != nil {
			t.Fatal(err)
		}
		if len(bl.Uncommitted) != 3 || len(bl.Committed) != 0 || bl.Blob != nil || bl.Uncommitted[0].Size != 3 {
			t.Fatalf("block list before commit = %+v", bl)
		}
		if bl, err := s.GetBlockList(ctx, acct, "cc1", "big", "", "committed", ""); err != nil || len(bl.Committed) != 0 {
			t.Fatalf("committed list of an uncommitted blob = %+v, %v", bl, err)
		}
		page, _ := s.ListBlobs(ctx, acct, "cc1", ListBlobsOptions{Uncommitted: true})
		if len(page.Items) != 1 || !page.Items[0].Blob.Uncommitted {
			t.Fatalf("uncommitted listing = %+v", page)
		}
		page, _ = s.ListBlobs(ctx, acct, "cc1", ListBlobsOptions{})
		if len(page.Items) != 0 {
			t.Fatalf("plain listing shows uncommitted blob: %+v", page)
		}

		b, err := s.PutBlockList(ctx, acct, "cc1", "big", []BlockRef{{blockID(2), BlockLatest}, {blockID(0), BlockUncommitted}}, PutBlobOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := read(t, s, "cc1", "big", ReadOptions{}); got != "cc1aaa" || b.Size != 6 {
			t.Fatalf("committed content %q size %d", got, b.Size)
		}
		bl, _ = s.GetBlockList(ctx, acct, "cc1", "big", "", "all", "")
		if len(bl.Committed) != 2 || len(bl.Uncommitted) != 0 || bl.Committed[0].ID != blockID(2) {
			t.Fatalf("block list after commit = %+v", bl)
		}
		if n := countChunks(t, s); n != 2 {
			t.Fatalf("chunks after commit = %d, want 2 (block 1 discarded)", n)
		}
		// Re-commit from the committed list plus a new block.
		if _, err := s.PutBlock(ctx, acct, "cc1", "big", blockID(3), strings.NewReader("dd"), BlockOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PutBlockList(ctx, acct, "cc1", "big", []BlockRef{{blockID(0), BlockCommitted}, {blockID(3), BlockLatest}, {blockID(0), BlockLatest}}, PutBlobOptions{}); err != nil {
			t.Fatal(err)
		}
		if got, _ := read(t, s, "cc1", "big", ReadOptions{Range: &ByteRange{Start: 2, End: 6}}); got != "addaa" {
			t.Fatalf("range over blocks = %q", got)
		}
		_, err = s.PutBlockList(ctx, acct, "cc1", "big", []BlockRef{{blockID(9), BlockLatest}}, PutBlobOptions{})
		wantErr(t, err, ErrInvalidBlockList)
		_, err = s.PutBlockList(ctx, acct, "cc1", "big", []BlockRef{{blockID(3), BlockUncommitted}}, PutBlobOptions{})
		wantErr(t, err, ErrInvalidBlockList)
		_, err = s.PutBlock(ctx, acct, "cc1", "big", "not base64!", strings.NewReader("x"), BlockOptions{})
		wantErr(t, err, ErrInvalidQuery)
		if _, err := s.PutBlock(ctx, acct, "cc1", "other", "QUFB", strings.NewReader("x"), BlockOptions{}); err != nil {
			t.Fatal(err)
		}
		_, err = s.PutBlock(ctx, acct, "cc1", "other", "QUFBQQ==", strings.NewReader("x"), BlockOptions{})
		wantErr(t, err, ErrInvalidBlock)
		_, err = s.GetBlockList(ctx, acct, "cc1", "none", "", "all", "")
		wantErr(t, err, ErrBlobNotFound)

		// Put Blob discards blocks; delete frees every chunk.
		put(t, s, "cc1", "big", "small")
		if err := s.DeleteBlob(ctx, acct, "cc1", "big", "", "", Conditions{}); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteContainer(ctx, acct, "cc1", Conditions{}); err != nil {
			t.Fatal(err)
		}
		if n := countChunks(t, s); n != 0 {
			t.Fatalf("chunks left after deleting everything = %d", n)
		}
	})
}

func TestSnapshotsAndDelete(t *testing.T) {
	t.Parallel()
	eachBlobStore(t, func(t *testing.T, s *Store, clock *clock.Virtual) {
		ctx := context.Background()
		mustContainer(t, s, "cc1")
		put(t, s, "cc1", "a", "v1")
		snap, err := s.SnapshotBlob(ctx, acct, "cc1", "a", nil, Conditions{})
		if err != nil {
			t.Fatal(err)
		}
		if snap.Snapshot != "2026-11-27T03:00:00.0000000Z" {
			t.Fatalf("snapshot id = %q", snap.Snapshot)
		}
		snap2, err := s.SnapshotBlob(ctx, acct, "cc1", "a", map[string]string{"s": "2"}, Conditions{})
		if err != nil || snap2.Snapshot == snap.Snapshot || snap2.Metadata["s"] != "2" {
			t.Fatalf("second snapshot %+v %v", snap2, err)
		}
		put(t, s, "cc1", "a", "v2")
		if got, _ := read(t, s, "cc1", "a", ReadOptions{Snapshot: snap.Snapshot}); got != "v1" {
			t.Fatalf("snapshot content = %q", got)
		}
		page, _ := s.ListBlobs(ctx, acct, "cc1", ListBlobsOptions{Snapshots: true})
		if len(page.Items) != 3 {
			t.Fatalf("listing with snapshots = %d items", len(page.Items))
		}
		wantErr(t, s.DeleteBlob(ctx, acct, "cc1", "a", "", "", Conditions{}), ErrSnapshotsPresent)
		if err := s.DeleteBlob(ctx, acct, "cc1", "a", snap2.Snapshot, "", Conditions{}); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteBlob(ctx, acct, "cc1", "a", "", DeleteSnapshotsOnly, Conditions{}); err != nil {
			t.Fatal(err)
		}
		if got, _ := read(t, s, "cc1", "a", ReadOptions{}); got != "v2" {
			t.Fatalf("base after deleting snapshots = %q", got)
		}
		s.SnapshotBlob(ctx, acct, "cc1", "a", nil, Conditions{})
		if err := s.DeleteBlob(ctx, acct, "cc1", "a", "", DeleteSnapshotsInclude, Conditions{}); err != nil {
			t.Fatal(err)
		}
		if n := countChunks(t, s); n != 0 {
			t.Fatalf("chunks left = %d", n)
		}
		wantErr(t, s.DeleteBlob(ctx, acct, "cc1", "a", "", "", Conditions{}), ErrBlobNotFound)
		wantErr(t, s.DeleteBlob(ctx, acct, "cc1", "a", "", "sometimes", Conditions{}), ErrInvalidHeader)
	})
}

func TestCopyBlobSharesContent(t *testing.T) {
	t.Parallel()
	eachBlobStore(t, func(t *testing.T, s *Store, _ *clock.Virtual) {
		ctx := context.Background()
		mustContainer(t, s, "src")
		mustContainer(t, s, "dst")
		orig, _ := s.PutBlob(ctx, acct, "src", "a", strings.NewReader("payload"), PutBlobOptions{
			Headers: BlobHeaders{ContentType: "text/x"}, Metadata: map[string]string{"m": "1"}})
		b, err := s.CopyBlob(ctx, CopySource{Account: acct, Container: "src", Name: "a", URL: "http://x/src/a"}, acct, "dst", "b", CopyOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if b.Copy == nil || b.Copy.Status != "success" || b.Copy.Source != "http://x/src/a" || b.Headers.ContentType != "text/x" || b.Metadata["m"] != "1" {
			t.Fatalf("copy = %+v", b)
		}
		if got, _ := read(t, s, "dst", "b", ReadOptions{}); got != "payload" {
			t.Fatalf("copied content %q", got)
		}
		if n := countChunks(t, s); n != 1 {
			t.Fatalf("chunks after copy = %d, want 1 shared", n)
		}
		_, err = s.CopyBlob(ctx, CopySource{Account: acct, Container: "src", Name: "missing"}, acct, "dst", "cc1", CopyOptions{})
		wantErr(t, err, ErrCopySourceBlobNotFound)
		_, err = s.CopyBlob(ctx, CopySource{Account: acct, Container: "src", Name: "a", Conditions: Conditions{IfMatch: `"0x1"`}}, acct, "dst", "cc1", CopyOptions{})
		wantErr(t, err, ErrSourceConditionNotMet)
		_, err = s.CopyBlob(ctx, CopySource{Account: acct, Container: "src", Name: "a"}, acct, "dst", "b", CopyOptions{Conditions: Conditions{IfNoneMatch: "*"}})
		wantErr(t, err, ErrBlobAlreadyExists)
		_ = orig
	})
}

func TestAppendBlob(t *testing.T) {
	t.Parallel()
	eachBlobStore(t, func(t *testing.T, s *Store, _ *clock.Virtual) {
		ctx := context.Background()
		mustContainer(t, s, "cc1")
		if _, err := s.PutBlob(ctx, acct, "cc1", "log", nil, PutBlobOptions{Type: AppendBlob}); err != nil {
			t.Fatal(err)
		}
		a, err := s.AppendBlock(ctx, acct, "cc1", "log", strings.NewReader("one\n"), AppendOptions{})
		if err != nil || a.Offset != 0 || a.Blob.CommittedBlocks != 1 {
			t.Fatalf("append 1 %+v %v", a, err)
		}
		pos := int64(4)
		a, err = s.AppendBlock(ctx, acct, "cc1", "log", strings.NewReader("two\n"), AppendOptions{AppendPosition: &pos})
		if err != nil || a.Offset != 4 || a.Blob.Size != 8 {
			t.Fatalf("append 2 %+v %v", a, err)
		}
		_, err = s.AppendBlock(ctx, acct, "cc1", "log", strings.NewReader("x"), AppendOptions{AppendPosition: &pos})
		wantErr(t, err, ErrAppendPositionNotMet)
		maxSize := int64(8)
		_, err = s.AppendBlock(ctx, acct, "cc1", "log", strings.NewReader("x"), AppendOptions{MaxSize: &maxSize})
		wantErr(t, err, ErrMaxSizeConditionNotMet)
		if got, _ := read(t, s, "cc1", "log", ReadOptions{}); got != "one\ntwo\n" {
			t.Fatalf("append blob content %q", got)
		}
		put(t, s, "cc1", "block", "b")
		_, err = s.AppendBlock(ctx, acct, "cc1", "block", strings.NewReader("x"), AppendOptions{})
		wantErr(t, err, ErrWrongBlobType)
		_, err = s.PutBlob(ctx, acct, "cc1", "log2", strings.NewReader("x"), PutBlobOptions{Type: AppendBlob})
		wantErr(t, err, ErrInvalidHeader)
	})
}

func TestListBlobsDelimiterAndMarkers(t *testing.T) {
	t.Parallel()
	eachBlobStore(t, func(t *testing.T, s *Store, _ *clock.Virtual) {
		ctx := context.Background()
		mustContainer(t, s, "cc1")
		for _, n := range []string{"a.txt", "dir/a.txt", "dir/sub/b.txt", "dir/sub/c.txt", "dir/z.txt", "e.txt"} {
			put(t, s, "cc1", n, n)
		}
		names := func(p BlobPage) string {
			var out []string
			for _, it := range p.Items {
				if it.Prefix != "" {
					out = append(out, "P:"+it.Prefix)
				} else {
					out = append(out, it.Blob.Name)
				}
			}
			return strings.Join(out, ",")
		}
		p, _ := s.ListBlobs(ctx, acct, "cc1", ListBlobsOptions{Delimiter: "/"})
		if got := names(p); got != "a.txt,P:dir/,e.txt" {
			t.Fatalf("root listing = %s", got)
		}
		p, _ = s.ListBlobs(ctx, acct, "cc1", ListBlobsOptions{ListOptions: ListOptions{Prefix: "dir/"}, Delimiter: "/"})
		if got := names(p); got != "dir/a.txt,P:dir/sub/,dir/z.txt" {
			t.Fatalf("dir listing = %s", got)
		}
		var all []string
		marker := ""
		for i := 0; i < 10; i++ {
			p, err := s.ListBlobs(ctx, acct, "cc1", ListBlobsOptions{ListOptions: ListOptions{MaxResults: 2, Marker: marker}})
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, names(p))
			if marker = p.NextMarker; marker == "" {
				break
			}
		}
		if got := strings.Join(all, "|"); got != "a.txt,dir/a.txt|dir/sub/b.txt,dir/sub/c.txt|dir/z.txt,e.txt" {
			t.Fatalf("paged listing = %s", got)
		}
		p, _ = s.ListBlobs(ctx, acct, "cc1", ListBlobsOptions{ListOptions: ListOptions{MaxResults: 1, Marker: "dir/"}, Delimiter: "/"})
		if got := names(p); got != "P:dir/" || p.NextMarker != "e.txt" {
			t.Fatalf("delimited page from marker = %s next %q", got, p.NextMarker)
		}
		_, err := s.ListBlobs(ctx, acct, "missing", ListBlobsOptions{})
		wantErr(t, err, ErrContainerNotFound)
	})
}

func TestBlobWritesNotifySubscribers(t *testing.T) {
	t.Parallel()
	eachBlobStore(t, func(t *testing.T, s *Store, _ *clock.Virtual) {
		ctx := context.Background()
		mustContainer(t, s, "cc1")
		ch, stop := s.SubscribeBlobs(acct, "cc1")
		defer stop()
		b := put(t, s, "cc1", "a", "1")
		put(t, s, "cc1", "a", "2")
		if err := s.DeleteBlob(ctx, acct, "cc1", "a", "", "", Conditions{}); err != nil {
			t.Fatal(err)
		}
		want := []BlobChangeKind{BlobChangeCreated, BlobChangeChanged, BlobChangeDeleted}
		for i, k := range want {
			select {
			case c := <-ch:
				if c.Kind != k || c.Name != "a" || c.Container != "cc1" || c.Account != acct {
					t.Fatalf("change %d = %+v, want kind %s", i, c, k)
				}
				if i == 0 && c.ETag != b.ETag {
					t.Fatalf("change etag %s, want %s", c.ETag, b.ETag)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("no change %d", i)
			}
		}
	})
}
