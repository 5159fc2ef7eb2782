package rest

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strconv"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/storage"
)

// batchResponse builds the multipart answer: a batchresponse holding a
// changesetresponse with one application/http part per operation. It
// frames the parts itself, as mime/multipart would, so that a success
// part is written straight into the buffer: the generic writer and
// http.Header (a map per part, sorted on writing) were the largest cost
// of answering a 100-entity batch.
type batchResponse struct {
	boundary, changeset string
	parts               *bytes.Buffer // pooled; given back once sent
	n                   int           // parts written
	account             string        // accountURL, once read
	// etag is the ETag last written and etagOf its Timestamp: a group's
	// writes mostly share one, which was formatted anew for every part.
	etag   []byte
	etagOf time.Time
}

func newBatchResponse() *batchResponse {
	return &batchResponse{boundary: "batchresponse_" + emulator.NewGUID(), changeset: "changesetresponse_" + emulator.NewGUID(), parts: getBody()}
}

// successPartBytes is about what one operation's part takes without a
// body (an insert's, with Location and DataServiceId, is the largest).
const successPartBytes = 640

// grow makes room for n parts at once instead of doubling through them.
func (b *batchResponse) grow(n int) { b.parts.Grow(n * successPartBytes) }

// open starts a changeset part, with the MIME headers CreatePart writes.
func (b *batchResponse) open() {
	if b.n > 0 {
		b.parts.WriteString("\r\n")
	}
	b.n++
	b.parts.WriteString("--")
	b.parts.WriteString(b.changeset)
	b.parts.WriteString("\r\nContent-Transfer-Encoding: binary\r\nContent-Type: application/http\r\n\r\n")
}

func (b *batchResponse) statusLine(status int) {
	b.parts.WriteString("HTTP/1.1 ")
	b.parts.WriteString(strconv.Itoa(status))
	b.parts.WriteByte(' ')
	b.parts.WriteString(http.StatusText(status))
	b.parts.WriteString("\r\n")
}

// part adds one HTTP response with any headers.
func (b *batchResponse) part(status int, h http.Header, body []byte) {
	b.open()
	b.statusLine(status)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-cache")
	h.Set("DataServiceVersion", "3.0;")
	if len(body) > 0 {
		h.Set("Content-Length", strconv.Itoa(len(body)))
	}
	_ = h.Write(b.parts)
	b.parts.WriteString("\r\n")
	b.parts.Write(body)
}

// header writes one header line as http.Header.Write would (the key in
// canonical form); callers go in sorted key order, as it does.
func (b *batchResponse) header(key, value string) {
	b.parts.WriteString(key)
	b.parts.WriteString(": ")
	b.parts.WriteString(value)
	b.parts.WriteString("\r\n")
}

// success adds an operation's answer, byte for byte what part writes
// with the headers below (see TestBatchSuccessPartMatchesGeneric).
func (b *batchResponse) success(r *Request, table string, br batchRequest, kind storage.TableOpKind, e *storage.TableEntity) {
	var pref string
	var level metadataLevel
	var body []byte
	var loc string
	if kind == storage.OpInsert {
		if b.account == "" {
			b.account = accountURL(r)
		}
		loc = b.account + "/" + entityPath(table, e.PartitionKey, e.RowKey)
		sub := &Request{HTTP: &http.Request{Header: http.Header(br.header)}}
		pref = preference(sub)
		if pref != "return-no-content" {
			level = acceptedMetadata(sub)
			var out bytes.Buffer
			(&entityWriter{level: level, account: b.account, table: table}).write(&out, e, true)
			body = out.Bytes()
		}
	}
	status := http.StatusNoContent
	if body != nil {
		status = http.StatusCreated
	}
	b.open()
	b.statusLine(status)
	b.header("Cache-Control", "no-cache")
	if br.contentID != "" {
		b.header("Content-Id", br.contentID)
	}
	if body != nil {
		b.header("Content-Length", strconv.Itoa(len(body)))
		b.header("Content-Type", level.contentType())
	}
	if loc != "" {
		b.header("Dataserviceid", loc)
	}
	b.header("Dataserviceversion", "3.0;")
	if kind != storage.OpDelete {
		if b.etag == nil || !e.Timestamp.Equal(b.etagOf) {
			b.etag, b.etagOf = e.AppendETag(b.etag[:0]), e.Timestamp
		}
		b.parts.WriteString("Etag: ")
		b.parts.Write(b.etag)
		b.parts.WriteString("\r\n")
	}
	if loc != "" {
		b.header("Location", loc)
	}
	if pref != "" {
		b.header("Preference-Applied", pref)
	}
	b.header("X-Content-Type-Options", "nosniff")
	b.parts.WriteString("\r\n")
	b.parts.Write(body)
}

// failure is the changeset's only part: the failing operation's status
// and an odata.error whose message starts with its index.
func (b *batchResponse) failure(r *Request, contentID string, index int, e *Error) {
	h := http.Header{"Content-Type": {"application/json;odata=minimalmetadata;streaming=true;charset=utf-8"}}
	if contentID != "" {
		h.Set("Content-ID", contentID)
	}
	msg := strconv.Itoa(index) + ":" + e.Message + "\nRequestId:" + r.ID + "\nTime:" + r.Now.UTC().Format("2006-01-02T15:04:05.0000000Z")
	b.part(e.Status, h, tableErrorBody(e.Code, msg))
}

// closeParts ends the changeset as multipart.Writer.Close does.
func (b *batchResponse) closeParts() {
	b.parts.WriteString("\r\n--")
	b.parts.WriteString(b.changeset)
	b.parts.WriteString("--\r\n")
}

// send writes the batch response with the changeset inside.
func (b *batchResponse) send(w http.ResponseWriter) error {
	b.closeParts()
	out := getBody()
	defer putBody(out)
	out.Grow(b.parts.Len() + 256)
	bw := multipart.NewWriter(out)
	_ = bw.SetBoundary(b.boundary)
	pw, _ := bw.CreatePart(textproto.MIMEHeader{"Content-Type": {"multipart/mixed; boundary=" + b.changeset}})
	_, _ = pw.Write(b.parts.Bytes())
	_ = bw.Close()
	putBody(b.parts)
	b.parts = nil
	return b.write(w, out.Bytes())
}

// sendDirect writes a batch response whose parts sit directly in the
// batch (the answer to a query).
func (b *batchResponse) sendDirect(w http.ResponseWriter) error {
	b.closeParts()
	body := bytes.ReplaceAll(b.parts.Bytes(), []byte(b.changeset), []byte(b.boundary))
	putBody(b.parts)
	b.parts = nil
	return b.write(w, body)
}

func (b *batchResponse) write(w http.ResponseWriter, body []byte) error {
	h := w.Header()
	h.Set("Content-Type", "multipart/mixed; boundary="+b.boundary)
	h.Set("DataServiceVersion", "3.0;")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusAccepted)
	_, err := w.Write(body)
	return err
}
