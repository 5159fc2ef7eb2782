package storage

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/funcemu/funcemu/emulator/clock"
)

// readWhole reads a blob through OpenBlob, the path ReadSmallBlob must
// agree with.
func readWhole(t *testing.T, s *Store, name string, opts ReadOptions) (Blob, []byte) {
	t.Helper()
	rd, err := s.OpenBlob(context.Background(), acct, "small-reads", name, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	data, err := io.ReadAll(rd)
	if err != nil {
		t.Fatal(err)
	}
	return rd.Blob, data
}

func TestReadSmallBlobAgreesWithOpenBlob(t *testing.T) {
	t.Parallel()
	eachBlobStore(t, func(t *testing.T, s *Store, _ *clock.Virtual) {
		ctx := context.Background()
		mustContainer(t, s, "small-reads")
		data := bytes.Repeat([]byte("0123456789abcdef"), 256)
		put := func(name string, body []byte, opts PutBlobOptions) {
			t.Helper()
			if opts.Type == "" {
				opts.Type = BlockBlob
			}
			if _, err := s.PutBlob(ctx, acct, "small-reads", name, bytes.NewReader(body), opts); err != nil {
				t.Fatal(err)
			}
		}
		put("small", data, PutBlobOptions{Headers: BlobHeaders{ContentType: "text/plain", ContentMD5: []byte("0123456789abcdef")},
			Metadata: map[string]string{"k": "v"}, Tags: Tags{"t": "1"}})
		put("empty", nil, PutBlobOptions{})
		put("edge", bytes.Repeat([]byte("x"), smallReadSize), PutBlobOptions{})
		snap, err := s.SnapshotBlob(ctx, acct, "small-reads", "small", nil, Conditions{})
		if err != nil {
			t.Fatal(err)
		}
		put("small", []byte("overwritten"), PutBlobOptions{})
		for _, c := range []struct{ name, snapshot string }{{"small", ""}, {"small", snap.Snapshot}, {"empty", ""}, {"edge", ""}} {
			opts := ReadOptions{Snapshot: c.snapshot}
			got, ok, err := s.ReadSmallBlob(ctx, acct, "small-reads", c.name, opts)
			if err != nil || !ok {
				t.Fatalf("%s@%s: ok=%v err=%v", c.name, c.snapshot, ok, err)
			}
			blob, content := readWhole(t, s, c.name, opts)
			if !bytes.Equal(got.Content, content) {
				t.Errorf("%s@%s: content %q, OpenBlob reads %q", c.name, c.snapshot, got.Content, content)
			}
			if got.Blob.ETag != blob.ETag || got.Blob.Size != blob.Size || got.Blob.TagCount != blob.TagCount ||
				string(got.Blob.Headers.ContentMD5) != string(blob.Headers.ContentMD5) || got.Blob.Metadata["k"] != blob.Metadata["k"] {
				t.Errorf("%s@%s: properties %+v, OpenBlob reads %+v", c.name, c.snapshot, got.Blob, blob)
			}
		}
	})
}

// Whatever ReadSmallBlob does not read at once is left to OpenBlob: a
// range, a larger blob, a missing blob or container.
func TestReadSmallBlobLeavesOthersToOpenBlob(t *testing.T) {
	t.Parallel()
	eachBlobStore(t, func(t *testing.T, s *Store, _ *clock.Virtual) {
		ctx := context.Background()
		mustContainer(t, s, "small-reads")
		for name, size := range map[string]int{"large": smallReadSize + 1, "small": 10} {
			if _, err := s.PutBlob(ctx, acct, "small-reads", name, bytes.NewReader(make([]byte, size)), PutBlobOptions{Type: BlockBlob}); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range []struct {
			container, name string
			opts            ReadOptions
		}{
			{"small-reads", "large", ReadOptions{}},
			{"small-reads", "small", ReadOptions{Range: &ByteRange{Start: 0, End: -1}}},
			{"small-reads", "missing", ReadOptions{}},
			{"no-container", "small", ReadOptions{}},
		} {
			if _, ok, err := s.ReadSmallBlob(ctx, acct, c.container, c.name, c.opts); ok || err != nil {
				t.Errorf("%s/%s %+v: ok=%v err=%v, want it left to OpenBlob", c.container, c.name, c.opts, ok, err)
			}
		}
	})
}

// A blob stored in several chunks is left to OpenBlob.
func TestReadSmallBlobLeavesChunkedBlobs(t *testing.T) {
	t.Parallel()
	eachBlobStoreWith(t, Options{ChunkSize: 1024}, func(t *testing.T, s *Store, _ *clock.Virtual) {
		ctx := context.Background()
		mustContainer(t, s, "small-reads")
		if _, err := s.PutBlob(ctx, acct, "small-reads", "chunked", bytes.NewReader(make([]byte, 4096)), PutBlobOptions{Type: BlockBlob}); err != nil {
			t.Fatal(err)
		}
		if _, ok, err := s.ReadSmallBlob(ctx, acct, "small-reads", "chunked", ReadOptions{}); ok || err != nil {
			t.Errorf("ok=%v err=%v, want it left to OpenBlob", ok, err)
		}
	})
}

// Conditions, leases and the archive tier fail a small read as they fail
// OpenBlob.
func TestReadSmallBlobChecksAsOpenBlob(t *testing.T) {
	t.Parallel()
	eachBlobStore(t, func(t *testing.T, s *Store, _ *clock.Virtual) {
		ctx := context.Background()
		mustContainer(t, s, "small-reads")
		blob, err := s.PutBlob(ctx, acct, "small-reads", "b", bytes.NewReader([]byte("x")), PutBlobOptions{Type: BlockBlob})
		if err != nil {
			t.Fatal(err)
		}
		id := "11111111-1111-1111-1111-111111111111"
		if _, err := s.LeaseBlob(ctx, acct, "small-reads", "b", LeaseRequest{Action: LeaseAcquire, ProposedID: id, Duration: -1}, Conditions{}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			cond Conditions
			want error
		}{
			{Conditions{IfNoneMatch: blob.ETag}, ErrNotModified},
			{Conditions{IfMatch: `"0x0"`}, ErrConditionNotMet},
			{Conditions{LeaseID: "22222222-2222-2222-2222-222222222222"}, ErrBlobLeaseMismatch},
		} {
			_, ok, err := s.ReadSmallBlob(ctx, acct, "small-reads", "b", ReadOptions{Conditions: c.cond})
			if !ok {
				t.Errorf("%+v: not read at once", c.cond)
			}
			wantErr(t, err, c.want)
			_, openErr := s.OpenBlob(ctx, acct, "small-reads", "b", ReadOptions{Conditions: c.cond})
			wantErr(t, openErr, c.want)
		}
		if _, err := s.LeaseBlob(ctx, acct, "small-reads", "b", LeaseRequest{Action: LeaseRelease, ID: id}, Conditions{}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetBlobTier(ctx, acct, "small-reads", "b", "", TierArchive, Conditions{}); err != nil {
			t.Fatal(err)
		}
		_, _, err = s.ReadSmallBlob(ctx, acct, "small-reads", "b", ReadOptions{})
		wantErr(t, err, ErrBlobArchived)
	})
}
