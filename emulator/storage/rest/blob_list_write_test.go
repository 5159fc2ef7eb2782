package rest

import (
	"encoding/xml"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator/storage"
)

// TestListItemsWriteAsEncodingXMLWould compares the hand-written listing
// items with encoding/xml's marshaling of the same structs, for blobs of
// every type and state and names and headers that need escaping.
func TestListItemsWriteAsEncodingXMLWould(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	base := storage.Blob{Name: `a "quoted" & <odd> 'name'` + "\t\n\r\x01\xff", Type: storage.BlockBlob, Size: 4096,
		Created: now, LastModified: now, ETag: `"0x8D"`,
		Headers: storage.BlobHeaders{ContentType: "text/plain; charset=\"utf-8\"", ContentMD5: []byte{1, 2, 3},
			ContentEncoding: "gzip", ContentLanguage: "en", ContentDisposition: "attachment; filename=\"a&b\"", CacheControl: "no-cache"}}
	base.Lease.Status, base.Lease.State = "unlocked", "available"
	var blobs []storage.Blob
	blobs = append(blobs, base)
	plain := base
	plain.Name, plain.Headers = "plain", storage.BlobHeaders{}
	blobs = append(blobs, plain)
	tiered := plain
	tiered.AccessTier, tiered.AccessTierChanged, tiered.TagCount = storage.TierCool, now, 3
	blobs = append(blobs, tiered)
	appended := plain
	appended.Type, appended.Sealed = storage.AppendBlob, true
	blobs = append(blobs, appended)
	paged := plain
	paged.Type, paged.SequenceNumber = storage.PageBlob, 7
	blobs = append(blobs, paged)
	snap := plain
	snap.Snapshot, snap.Uncommitted = "2026-12-02T12:00:00.0000000Z", true
	blobs = append(blobs, snap)
	copied := plain
	copied.Copy = &storage.CopyInfo{ID: "id", Status: "success", Source: "http://x/a?b&c", Progress: "1/1", Completed: now}
	blobs = append(blobs, copied)
	leased := plain
	leased.Lease.Status, leased.Lease.State, leased.Lease.Duration = "locked", "leased", "infinite"
	blobs = append(blobs, leased)

	var items []storage.BlobListItem
	var want []byte
	for _, b := range blobs {
		items = append(items, storage.BlobListItem{Blob: b})
		raw, err := xml.Marshal(blobItem(b, false))
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, raw...)
	}
	items = append(items, storage.BlobListItem{Prefix: "dir\x01/"})
	raw, err := xml.Marshal(blobPrefixXML{Name: listedName("dir\x01/")})
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, raw...)
	got, err := appendListItems(nil, blobsXML{items: items})
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Fatalf("hand-written listing differs from encoding/xml:\n got %s\nwant %s", got, want)
	}
}
