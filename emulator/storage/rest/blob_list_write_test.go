package rest

import (
	"bytes"
	"encoding/xml"
	"math/rand/v2"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/funcemu/funcemu/emulator/storage"
)

// blobListXML is the listing as encoding/xml marshals it, the reference
// the hand-written document is checked against.
type blobListXML struct {
	XMLName         xml.Name      `xml:"EnumerationResults"`
	ServiceEndpoint string        `xml:"ServiceEndpoint,attr"`
	ContainerName   string        `xml:"ContainerName,attr"`
	Prefix          string        `xml:"Prefix,omitempty"`
	Marker          string        `xml:"Marker,omitempty"`
	MaxResults      int           `xml:"MaxResults,omitempty"`
	Delimiter       string        `xml:"Delimiter,omitempty"`
	Blobs           blobsInnerXML `xml:"Blobs"`
	NextMarker      string        `xml:"NextMarker"`
}

type blobsInnerXML struct {
	Inner []byte `xml:",innerxml"`
}

// listedPage is a whole List Blobs answer: its envelope, entries and
// NextMarker.
type listedPage struct {
	doc            blobListDoc
	items          []storage.BlobListItem
	metadata, tags bool
	next           string
}

// appendListedPage writes p as the listing handler writes a page.
func appendListedPage(b *bytes.Buffer, p *listedPage) error {
	appendBlobListHead(b, &p.doc)
	for i := range p.items {
		if err := appendListItem(b, &p.items[i], p.metadata, p.tags); err != nil {
			return err
		}
	}
	appendBlobListTail(b, p.next)
	return nil
}

// marshaledBlobList is the whole answer the way it was written before it
// was written by hand: each item through encoding/xml, the document
// marshaled around them, its escaping rewritten as Azure's and its empty
// elements closed as Azure closes them.
func marshaledBlobList(t *testing.T, p *listedPage) []byte {
	t.Helper()
	var inner []byte
	for _, it := range p.items {
		var v any = blobPrefixXML{Name: listedName(it.Prefix)}
		if it.Prefix == "" {
			x := blobItem(it.Blob, p.metadata)
			if p.tags && len(it.Blob.Tags) > 0 {
				x.Tags = tagSetXML(it.Blob.Tags)
			}
			v = x
		}
		raw, err := xml.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		inner = append(inner, raw...)
	}
	doc := &p.doc
	out, err := marshalAzureXML(blobListXML{ServiceEndpoint: doc.ServiceEndpoint, ContainerName: doc.ContainerName,
		Prefix: doc.Prefix, Marker: doc.Marker, MaxResults: doc.MaxResults, Delimiter: doc.Delimiter,
		Blobs: blobsInnerXML{Inner: inner}, NextMarker: p.next})
	if err != nil {
		t.Fatal(err)
	}
	return append([]byte(xmlProlog), closeEmptyElements(out)...)
}

func listTestBlobs() []storage.BlobListItem {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	base := storage.Blob{Name: `a "quoted" & <odd> 'name'` + "\t\n\r\x01\xff", Type: storage.BlockBlob, Size: 4096,
		Created: now, LastModified: now, ETag: `"0x8D"`,
		Headers: storage.BlobHeaders{ContentType: "text/plain; charset=\"utf-8\"", ContentMD5: []byte{1, 2, 3},
			ContentEncoding: "gzip", ContentLanguage: "en", ContentDisposition: "attachment; filename=\"a&b\"\n", CacheControl: "no-cache"}}
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
	withMeta := plain
	withMeta.Name, withMeta.Metadata = "meta", map[string]string{"b": `x "y"` + "\n", "a": "1 & 2"}
	blobs = append(blobs, withMeta)
	tagged := plain
	tagged.Name, tagged.TagCount, tagged.Tags = "tagged", 1, storage.Tags{"k": `v'"<`}
	blobs = append(blobs, tagged)
	unicode := plain
	unicode.Name = "ünïcødé/日本\u2028\uFFFE"
	blobs = append(blobs, unicode)

	var items []storage.BlobListItem
	for _, b := range blobs {
		items = append(items, storage.BlobListItem{Blob: b})
	}
	return append(items, storage.BlobListItem{Prefix: "dir\x01/"}, storage.BlobListItem{Prefix: `d"ir&/`})
}

// TestBlobListWritesAsMarshalWould compares the hand-written listing with
// what encoding/xml and marshalAzureXML wrote before, for blobs of every
// type and state, names, headers, metadata and tags that need escaping,
// and envelopes with and without their optional elements.
func TestBlobListWritesAsMarshalWould(t *testing.T) {
	t.Parallel()
	items := listTestBlobs()
	for _, p := range []listedPage{
		{doc: blobListDoc{ServiceEndpoint: "http://127.0.0.1:10000/devstoreaccount1/", ContainerName: "c"}, items: items},
		{doc: blobListDoc{ServiceEndpoint: `http://h"o'st&<>` + "\t\n\r/", ContainerName: "c\x01\xff", Prefix: "p&<\"\n",
			Marker: "m'\r", MaxResults: 17, Delimiter: "/"}, next: "n\t&", items: items, metadata: true, tags: true},
		{doc: blobListDoc{ServiceEndpoint: "e", ContainerName: "empty"}},
	} {
		var got bytes.Buffer
		if err := appendListedPage(&got, &p); err != nil {
			t.Fatal(err)
		}
		if want := marshaledBlobList(t, &p); !bytes.Equal(got.Bytes(), want) {
			t.Errorf("hand-written listing differs from the marshaled one:\n got %s\nwant %s", got.Bytes(), want)
		}
	}
}

// escapeAzureXML agrees with xml.EscapeText followed by azureEscaping for
// any string, valid UTF-8 or not, in text and in attribute values.
func TestEscapeAzureXMLMatchesRewrite(t *testing.T) {
	t.Parallel()
	alphabet := []string{"a", "Z", " ", "&", "<", ">", `"`, "'", "\t", "\n", "\r", "\x00", "\x1f", "\x7f", "\xff", "\xc3",
		"é", "日", "\uFFFE", "\uFFFD", "\U0001F600", "&#34;", "]]>", "<!--"}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 5000; i++ {
		var s strings.Builder
		for n := rng.IntN(12); n > 0; n-- {
			s.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		in := s.String()
		var esc bytes.Buffer
		_ = xml.EscapeText(&esc, []byte(in))
		// In text, and as an attribute value of an element.
		wantText := string(azureEscaping(esc.Bytes()))
		wantAttr := string(azureEscaping([]byte(`<x a="` + esc.String() + `">`)))
		var text, attr bytes.Buffer
		escapeAzureXML(&text, in, false)
		attr.WriteString(`<x a="`)
		escapeAzureXML(&attr, in, true)
		attr.WriteString(`">`)
		if text.String() != wantText {
			t.Fatalf("text %q: got %q, want %q", in, text.String(), wantText)
		}
		if attr.String() != wantAttr {
			t.Fatalf("attribute %q: got %q, want %q", in, attr.String(), wantAttr)
		}
		if utf8.ValidString(in) && !strings.ContainsAny(in, "&<>") && text.String() != in && !strings.ContainsAny(in, "\x00\x1f\x7f\uFFFE") {
			t.Fatalf("text %q was changed to %q", in, text.String())
		}
	}
}

// The answer carries its length and the listing's content type.
func TestWriteBlobListFraming(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	p := listedPage{doc: blobListDoc{ServiceEndpoint: "e", ContainerName: "c"}, items: listTestBlobs()}
	var b bytes.Buffer
	if err := appendListedPage(&b, &p); err != nil {
		t.Fatal(err)
	}
	sendList(rec, &b)
	if got, want := rec.Header().Get("Content-Length"), strconv.Itoa(rec.Body.Len()); got != want {
		t.Errorf("Content-Length %s, body %s bytes", got, want)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/xml" {
		t.Errorf("Content-Type %q", ct)
	}
	if !bytes.Equal(rec.Body.Bytes(), marshaledBlobList(t, &p)) {
		t.Error("body differs from the marshaled listing")
	}
}
