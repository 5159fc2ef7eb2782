package storage

import (
	"bytes"
	"context"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator/clock"
)

// A listing that reads only the listed columns finds the same blobs with
// the same listed properties as a full one; metadata only when asked.
func TestListBlobsListedOnlyAgreesWithFull(t *testing.T) {
	t.Parallel()
	eachBlobStore(t, func(t *testing.T, s *Store, _ *clock.Virtual) {
		ctx := context.Background()
		mustContainer(t, s, "listed")
		opts := PutBlobOptions{Type: BlockBlob, Headers: BlobHeaders{ContentType: "text/plain", ContentMD5: []byte("0123456789abcdef"),
			CacheControl: "no-cache"}, Metadata: map[string]string{"k": "v"}, Tags: Tags{"t": "1"}, AccessTier: TierCool}
		for _, name := range []string{"a", "b/c", "d"} {
			if _, err := s.PutBlob(ctx, acct, "listed", name, bytes.NewReader([]byte(name)), opts); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.SnapshotBlob(ctx, acct, "listed", "a", nil, Conditions{}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.LeaseBlob(ctx, acct, "listed", "d", LeaseRequest{Action: LeaseAcquire, ProposedID: "11111111-1111-1111-1111-111111111111", Duration: 20}, Conditions{}); err != nil {
			t.Fatal(err)
		}
		base := ListBlobsOptions{Snapshots: true, Tags: true}
		full, err := s.ListBlobs(ctx, acct, "listed", base)
		if err != nil {
			t.Fatal(err)
		}
		for _, withMeta := range []bool{false, true} {
			o := base
			o.ListedOnly, o.Metadata = true, withMeta
			listed, err := s.ListBlobs(ctx, acct, "listed", o)
			if err != nil {
				t.Fatal(err)
			}
			if len(listed.Items) != len(full.Items) || len(listed.Items) != 4 {
				t.Fatalf("listed %d items, full %d", len(listed.Items), len(full.Items))
			}
			for i, f := range full.Items {
				want, got := f.Blob, listed.Items[i].Blob
				if withMeta != (got.Metadata["k"] == "v") {
					t.Errorf("%s: metadata %v with include=metadata %v", got.Name, got.Metadata, withMeta)
				}
				want.Account, want.Container, want.CommittedBlocks, want.ParentInvocationID, want.Metadata = "", "", 0, "", got.Metadata
				if got.Name != want.Name || got.Snapshot != want.Snapshot || got.ETag != want.ETag || got.Size != want.Size ||
					got.Created != want.Created || got.LastModified != want.LastModified || got.Lease != want.Lease ||
					got.AccessTier != want.AccessTier || got.AccessTierChanged != want.AccessTierChanged || got.TagCount != want.TagCount ||
					got.Tags["t"] != want.Tags["t"] || got.Headers.ContentType != want.Headers.ContentType ||
					string(got.Headers.ContentMD5) != string(want.Headers.ContentMD5) || got.Headers.CacheControl != want.Headers.CacheControl {
					t.Errorf("listed %+v\nfull   %+v", got, want)
				}
			}
		}
	})
}

// Every property a listing reads (headers most blobs leave empty, copies,
// leases, tiers, seals, sequence numbers) comes back exactly as a full
// read gives it, whatever bytes it holds.
func TestListBlobsListedOnlyReadsEveryListedProperty(t *testing.T) {
	t.Parallel()
	eachBlobStore(t, func(t *testing.T, s *Store, _ *clock.Virtual) {
		ctx := context.Background()
		mustContainer(t, s, "rare")
		odd := []BlobHeaders{
			{ContentEncoding: "12:gzip", ContentLanguage: "0:", ContentDisposition: "a:b\n3:c", CacheControl: "日本:\x01"},
			{ContentEncoding: ":", CacheControl: "max-age=1"},
			{ContentLanguage: "999999999999:x"},
		}
		for i, h := range odd {
			name := "h" + strconv.Itoa(i)
			if _, err := s.PutBlob(ctx, acct, "rare", name, bytes.NewReader([]byte(name)), PutBlobOptions{Headers: h}); err != nil {
				t.Fatal(err)
			}
		}
		mustPut := func(name string, o PutBlobOptions) {
			t.Helper()
			if _, err := s.PutBlob(ctx, acct, "rare", name, bytes.NewReader(nil), o); err != nil {
				t.Fatal(err)
			}
		}
		mustPut("plain", PutBlobOptions{})
		mustPut("cool", PutBlobOptions{AccessTier: TierCool})
		mustPut("paged", PutBlobOptions{Type: PageBlob, PageBlobSize: 512, SequenceNumber: 1<<53 + 1})
		mustPut("sealed", PutBlobOptions{Type: AppendBlob})
		if _, err := s.SealAppendBlob(ctx, acct, "rare", "sealed", Conditions{}, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CopyBlob(ctx, CopySource{Account: acct, Container: "rare", Name: "h0", URL: "http://x/rare/h0?a=1:2"},
			acct, "rare", "copied", CopyOptions{}); err != nil {
			t.Fatal(err)
		}
		for name, d := range map[string]int{"h1": -1, "h2": 30} {
			if _, err := s.LeaseBlob(ctx, acct, "rare", name, LeaseRequest{Action: LeaseAcquire,
				ProposedID: "11111111-1111-1111-1111-11111111111" + strconv.Itoa(d&7), Duration: d}, Conditions{}); err != nil {
				t.Fatal(err)
			}
		}
		full, err := s.ListBlobs(ctx, acct, "rare", ListBlobsOptions{})
		if err != nil {
			t.Fatal(err)
		}
		listed, err := s.ListBlobs(ctx, acct, "rare", ListBlobsOptions{ListedOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(listed.Items) != len(full.Items) || len(full.Items) != 8 {
			t.Fatalf("listed %d items, full %d", len(listed.Items), len(full.Items))
		}
		for i, f := range full.Items {
			want, got := f.Blob, listed.Items[i].Blob
			want.Account, want.Container, want.CommittedBlocks, want.ParentInvocationID, want.Metadata = "", "", 0, "", nil
			if !reflect.DeepEqual(got, want) {
				t.Errorf("listed %+v\nfull   %+v", got, want)
			}
		}
	})
}

// Each listing statement walks the (container, name, snapshot) index from
// the marker in list order: no scan of the table and no sort, so a page
// costs the same in a container of any size.
func TestListBlobsStatementsWalkTheIndex(t *testing.T) {
	t.Parallel()
	s, err := Open(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, q := range []string{listedSQL, listedWithMetaSQL, listFullSQL} {
		all := queryPlan(t, s, q, 1, "a", "", "a\xff", false, 10)
		if !strings.Contains(all, "SEARCH b USING INDEX sqlite_autoindex_blobs_1 (container_id=? AND (name,snapshot)>") ||
			strings.Contains(all, "SCAN b") || strings.Contains(all, "TEMP B-TREE") {
			t.Errorf("plan of\n%s\nis %s", q, all)
		}
	}
}

// queryPlan is SQLite's plan for query with args, its steps' details
// joined by "; ".
func queryPlan(t *testing.T, s *Store, query string, args ...any) string {
	t.Helper()
	rows, err := s.db.Query("EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(plan, "; ")
}
