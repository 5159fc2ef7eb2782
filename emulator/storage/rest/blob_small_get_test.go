package rest

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator/storage"
)

// getRequest is a GET of container/name as the router hands it on.
func getRequest(container, name string, header http.Header) *Request {
	hr := httptest.NewRequest(http.MethodGet, "/"+DevAccountName+"/"+container+"/"+name, nil)
	for k, vs := range header {
		hr.Header[k] = vs
	}
	return &Request{HTTP: hr, Account: &Account{Name: DevAccountName}, Resource: container, Name: name, Query: url.Values{}}
}

// A small blob read at once answers exactly what the streamed answer
// does: status, every header and the bytes, for blobs of every type and
// with every optional property.
func TestSmallBlobGetAnswersAsStreamed(t *testing.T) {
	t.Parallel()
	e := newBlobEnv(t, "file")
	ctx := context.Background()
	st := e.store
	if _, err := st.CreateContainer(ctx, DevAccountName, "small-get", storage.ContainerOptions{}); err != nil {
		t.Fatal(err)
	}
	data := bytes.Repeat([]byte("0123456789abcdef"), 256)
	puts := map[string]storage.PutBlobOptions{
		"plain": {Type: storage.BlockBlob},
		"full": {Type: storage.BlockBlob, Headers: storage.BlobHeaders{ContentType: "text/plain", ContentEncoding: "gzip",
			ContentLanguage: "en", ContentDisposition: "inline", CacheControl: "no-cache", ContentMD5: []byte("0123456789abcdef")},
			Metadata: map[string]string{"one": "1", "two": "2"}, Tags: storage.Tags{"t": "v"}, AccessTier: storage.TierCool},
		"append": {Type: storage.AppendBlob},
		"page":   {Type: storage.PageBlob, PageBlobSize: 4096, SequenceNumber: 3},
		"empty":  {Type: storage.BlockBlob},
	}
	for name, opts := range puts {
		body := data
		if name == "empty" || name == "page" || name == "append" {
			body = nil
		}
		if _, err := st.PutBlob(ctx, DevAccountName, "small-get", name, bytes.NewReader(body), opts); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if _, err := st.AppendBlock(ctx, DevAccountName, "small-get", "append", bytes.NewReader(data[:100]), storage.AppendOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.PutPages(ctx, DevAccountName, "small-get", "page", 0, 4095, bytes.NewReader(data), storage.PageOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.LeaseBlob(ctx, DevAccountName, "small-get", "plain",
		storage.LeaseRequest{Action: storage.LeaseAcquire, ProposedID: "11111111-1111-1111-1111-111111111111", Duration: 30}, storage.Conditions{}); err != nil {
		t.Fatal(err)
	}
	svc := NewBlobService(st)
	for name := range puts {
		small, ok, err := st.ReadSmallBlob(ctx, DevAccountName, "small-get", name, storage.ReadOptions{})
		if err != nil || !ok {
			t.Fatalf("%s: not read at once: ok=%v err=%v", name, ok, err)
		}
		fast := httptest.NewRecorder()
		if err := svc.getBlob(fast, getRequest("small-get", name, nil)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		streamed := httptest.NewRecorder()
		if err := svc.streamBlob(streamed, getRequest("small-get", name, nil), storage.ReadOptions{}, false); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if fast.Code != streamed.Code || !bytes.Equal(fast.Body.Bytes(), streamed.Body.Bytes()) {
			t.Errorf("%s: status %d, %d bytes; streamed %d, %d bytes", name, fast.Code, fast.Body.Len(), streamed.Code, streamed.Body.Len())
		}
		if !bytes.Equal(fast.Body.Bytes(), small.Content) {
			t.Errorf("%s: the answer is not the content read at once", name)
		}
		if !reflect.DeepEqual(fast.Header(), streamed.Header()) {
			t.Errorf("%s: headers\n got %v\nwant %v", name, fast.Header(), streamed.Header())
		}
	}
}

// setBlobHeaders writes the names net/http's Header.Set would (they are
// written into the map directly) and the same values as before, for a
// blob with every optional property.
func TestBlobHeaderNamesAreCanonical(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	for _, typ := range []string{storage.BlockBlob, storage.AppendBlob, storage.PageBlob} {
		b := storage.Blob{Name: "n", Type: typ, Size: 10, ETag: `"0x1"`, Created: now, LastModified: now,
			Headers: storage.BlobHeaders{ContentType: "a", ContentEncoding: "b", ContentLanguage: "c",
				ContentDisposition: "d", CacheControl: "e", ContentMD5: []byte("0123456789abcdef")},
			Metadata: map[string]string{"Mixed": "m"}, TagCount: 2, CommittedBlocks: 4, Sealed: true, SequenceNumber: 9,
			Copy: &storage.CopyInfo{ID: "id", Source: "src", Status: "success", Progress: "10/10", Completed: now}}
		b.Lease.State, b.Lease.Status, b.Lease.Duration = "leased", "locked", "fixed"
		got := http.Header{}
		setBlobHeaders(got, b)
		setContentMD5(got, b.Headers.ContentMD5)
		got["Content-Length"] = []string{"10"}
		want := referenceBlobHeaders(b)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %v\nwant %v", typ, got, want)
		}
		for k := range got {
			if !strings.HasPrefix(k, metaPrefix) && k != http.CanonicalHeaderKey(k) {
				t.Errorf("header %q is not in canonical form", k)
			}
		}
	}
}

// referenceBlobHeaders is the header set of a whole-blob GET as Header.Set
// wrote it before.
func referenceBlobHeaders(b storage.Blob) http.Header {
	h := http.Header{}
	h.Set("ETag", b.ETag)
	h.Set("Last-Modified", httpTime(b.LastModified))
	h.Set("x-ms-creation-time", httpTime(b.Created))
	h.Set("x-ms-blob-type", b.Type)
	h.Set("x-ms-lease-state", b.Lease.State)
	h.Set("x-ms-lease-status", b.Lease.Status)
	if b.Lease.Duration != "" {
		h.Set("x-ms-lease-duration", b.Lease.Duration)
	}
	for name, v := range map[string]string{"Content-Type": b.Headers.ContentType, "Content-Encoding": b.Headers.ContentEncoding,
		"Content-Language": b.Headers.ContentLanguage, "Content-Disposition": b.Headers.ContentDisposition,
		"Cache-Control": b.Headers.CacheControl} {
		if v != "" {
			h.Set(name, v)
		}
	}
	for k, v := range b.Metadata {
		h[metaPrefix+k] = []string{v}
	}
	h.Set("Accept-Ranges", "bytes")
	h.Set("x-ms-server-encrypted", "true")
	if b.Type == storage.AppendBlob {
		h.Set("x-ms-blob-committed-block-count", strconv.Itoa(b.CommittedBlocks))
		h.Set("x-ms-blob-sealed", strconv.FormatBool(b.Sealed))
	}
	if b.Type == storage.PageBlob {
		h.Set("x-ms-blob-sequence-number", strconv.FormatInt(b.SequenceNumber, 10))
	}
	if b.TagCount > 0 {
		h.Set("x-ms-tag-count", strconv.Itoa(b.TagCount))
	}
	if c := b.Copy; c != nil {
		h.Set("x-ms-copy-id", c.ID)
		h.Set("x-ms-copy-source", c.Source)
		h.Set("x-ms-copy-status", c.Status)
		h.Set("x-ms-copy-progress", c.Progress)
		h.Set("x-ms-copy-completion-time", httpTime(c.Completed))
	}
	h.Set("Content-Length", "10")
	sum := "MDEyMzQ1Njc4OWFiY2RlZg=="
	h.Set("Content-MD5", sum)
	h.Set("x-ms-blob-content-md5", sum)
	return h
}

// Every answer's common headers keep their names and values.
func TestCommonHeadersAsBefore(t *testing.T) {
	t.Parallel()
	s := NewServer(NewBlobService(nil), nil, nil, nil)
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("x-ms-version", "2021-08-06")
	r.Header.Set("x-ms-client-request-id", "client-1")
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.FixedZone("x", 3600))
	got := http.Header{}
	s.commonHeaders(got, r, "req-1", now)
	want := http.Header{}
	want.Set("x-ms-request-id", "req-1")
	want.Set("x-ms-version", "2021-08-06")
	want.Set("Date", now.UTC().Format(http.TimeFormat))
	want.Set("Server", "funcemu-blob")
	want.Set("x-ms-client-request-id", "client-1")
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
}
