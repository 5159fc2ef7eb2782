package rest

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strconv"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator/storage"
	"github.com/funcemu/funcemu/emulator/storage/odata"
)

// genericSuccess is an operation's answer built through http.Header and
// part, as success built it before writing the part itself.
func genericSuccess(b *batchResponse, r *Request, table string, br batchRequest, kind storage.TableOpKind, e *storage.TableEntity) {
	h := http.Header{}
	if br.contentID != "" {
		h.Set("Content-ID", br.contentID)
	}
	if kind == storage.OpDelete {
		b.part(http.StatusNoContent, h, nil)
		return
	}
	h.Set("ETag", e.ETag())
	if kind != storage.OpInsert {
		b.part(http.StatusNoContent, h, nil)
		return
	}
	loc := accountURL(r) + "/" + entityPath(table, e.PartitionKey, e.RowKey)
	h.Set("Location", loc)
	h.Set("DataServiceId", loc)
	sub := &Request{HTTP: &http.Request{Header: http.Header(br.header)}}
	pref := preference(sub)
	if pref != "" {
		h.Set("Preference-Applied", pref)
	}
	if pref == "return-no-content" {
		b.part(http.StatusNoContent, h, nil)
		return
	}
	level := acceptedMetadata(sub)
	var body bytes.Buffer
	(&entityWriter{level: level, account: accountURL(r), table: table}).write(&body, e, true)
	h.Set("Content-Type", level.contentType())
	b.part(http.StatusCreated, h, body.Bytes())
}

// TestBatchSuccessPartMatchesGeneric checks the directly written success
// parts against the generic writer for every kind, with and without
// Content-ID, Prefer and Accept.
func TestBatchSuccessPartMatchesGeneric(t *testing.T) {
	t.Parallel()
	r := &Request{HTTP: &http.Request{Host: "127.0.0.1:10002", Header: http.Header{}}, Account: &Account{Name: DevAccountName}}
	e := &storage.TableEntity{PartitionKey: "it's", RowKey: "r 1", Timestamp: time.Date(2026, 12, 2, 10, 0, 0, 1234500, time.UTC),
		Properties: []storage.TableProperty{{Name: "Big", Type: odata.Int64, Value: int64(1) << 40}, {Name: "S", Type: odata.String, Value: "<x>"}}}
	headers := []textproto.MIMEHeader{
		{},
		{"Content-Id": {"7"}},
		{"Prefer": {"return-no-content"}, "Content-Id": {"1"}},
		{"Prefer": {"return-content"}, "Accept": {"application/json;odata=fullmetadata"}},
		{"Accept": {"application/json;odata=nometadata"}},
	}
	kinds := []storage.TableOpKind{storage.OpInsert, storage.OpReplace, storage.OpMerge, storage.OpInsertOrReplace, storage.OpInsertOrMerge, storage.OpDelete}
	for _, h := range headers {
		for _, kind := range kinds {
			br := batchRequest{header: h, contentID: h.Get("Content-Id")}
			fast, slow := newBatchResponse(), newBatchResponse()
			slow.changeset = fast.changeset
			// The second part is framed differently, and its Timestamp
			// (so its ETag) differs from the first's and third's.
			later := *e
			later.Timestamp = e.Timestamp.Add(100 * time.Nanosecond)
			for _, ent := range []*storage.TableEntity{e, &later, e} {
				fast.success(r, "Tbl", br, kind, ent)
				genericSuccess(slow, r, "Tbl", br, kind, ent)
			}
			if !bytes.Equal(fast.parts.Bytes(), slow.parts.Bytes()) {
				t.Fatalf("kind %d, headers %v:\n got %q\nwant %q", kind, h, fast.parts.Bytes(), slow.parts.Bytes())
			}
		}
	}
}

// TestBatchFramingMatchesMultipartWriter checks the changeset framing
// against mime/multipart, which wrote it before.
func TestBatchFramingMatchesMultipartWriter(t *testing.T) {
	t.Parallel()
	b := newBatchResponse()
	var want bytes.Buffer
	mw := multipart.NewWriter(&want)
	if err := mw.SetBoundary(b.changeset); err != nil {
		t.Fatal(err)
	}
	for i, body := range []string{"", `{"a":1}`, "x"} {
		h := http.Header{"Content-Id": {strconv.Itoa(i)}}
		b.part(http.StatusCreated, h.Clone(), []byte(body))
		pw, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {"application/http"}, "Content-Transfer-Encoding": {"binary"}})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(pw, "HTTP/1.1 201 Created\r\n")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "no-cache")
		h.Set("DataServiceVersion", "3.0;")
		if body != "" {
			h.Set("Content-Length", strconv.Itoa(len(body)))
		}
		_ = h.Write(pw)
		fmt.Fprintf(pw, "\r\n%s", body)
	}
	b.closeParts()
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.parts.Bytes(), want.Bytes()) {
		t.Fatalf("got %q\nwant %q", b.parts.Bytes(), want.Bytes())
	}
}
