package rest

import (
	"encoding/base64"
	"encoding/xml"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/funcemu/funcemu/emulator/storage"
)

// pageBlobCreateOptions reads x-ms-blob-content-length (required) and
// x-ms-blob-sequence-number of a Put Blob creating a page blob.
func pageBlobCreateOptions(h http.Header, opts *storage.PutBlobOptions) error {
	size, err := optionalInt64Header(h, "x-ms-blob-content-length")
	if err != nil {
		return err
	}
	if size == nil {
		return errMissingHeader("x-ms-blob-content-length")
	}
	seq, err := optionalInt64Header(h, "x-ms-blob-sequence-number")
	if err != nil {
		return err
	}
	opts.PageBlobSize = *size
	if seq != nil {
		opts.SequenceNumber = *seq
	}
	return nil
}

func sequenceConditions(h http.Header) (storage.SequenceConditions, error) {
	var c storage.SequenceConditions
	var err error
	if c.LE, err = optionalInt64Header(h, "x-ms-if-sequence-number-le"); err != nil {
		return c, err
	}
	if c.LT, err = optionalInt64Header(h, "x-ms-if-sequence-number-lt"); err != nil {
		return c, err
	}
	c.EQ, err = optionalInt64Header(h, "x-ms-if-sequence-number-eq")
	return c, err
}

// pageRange reads the required x-ms-range (or Range) of Put Page as
// bytes=start-end.
func pageRange(h http.Header) (int64, int64, error) {
	rg, err := parseRange(h)
	if err != nil {
		return 0, 0, err
	}
	if rg == nil {
		return 0, 0, errMissingHeader("x-ms-range")
	}
	if rg.End < 0 {
		return 0, 0, errInvalidHeader("x-ms-range", h.Get("x-ms-range")+h.Get("Range"), "Put Page needs bytes=start-end")
	}
	return rg.Start, rg.End, nil
}

// putPage is Put Page: x-ms-page-write update (the body is the pages) or
// clear (no body).
func (b *BlobService) putPage(w http.ResponseWriter, r *Request) error {
	h := r.Header()
	start, end, err := pageRange(h)
	if err != nil {
		return err
	}
	var opts storage.PageOptions
	if opts.Conditions, err = parseConditions(h); err != nil {
		return err
	}
	if opts.Sequence, err = sequenceConditions(h); err != nil {
		return err
	}
	var blob storage.Blob
	switch strings.ToLower(h.Get("x-ms-page-write")) {
	case "update":
		if opts.ContentMD5, err = parseMD5(h, "Content-MD5"); err != nil {
			return err
		}
		if opts.ContentCRC64, err = parseCRC64(h); err != nil {
			return err
		}
		if err := checkPlainBody(h); err != nil {
			return err
		}
		if r.HTTP.ContentLength >= 0 && r.HTTP.ContentLength != end-start+1 {
			return errorf(http.StatusRequestedRangeNotSatisfiable, "InvalidPageRange",
				"The page range specified is invalid. (Content-Length %d does not match x-ms-range of %d bytes)", r.HTTP.ContentLength, end-start+1)
		}
		blob, err = b.store.PutPages(r.Context(), r.Account.Name, r.Resource, r.Name, start, end, r.HTTP.Body, opts)
		if err == nil && opts.ContentMD5 != nil {
			w.Header().Set("Content-MD5", base64.StdEncoding.EncodeToString(opts.ContentMD5))
		}
	case "clear":
		if r.HTTP.ContentLength > 0 {
			return errInvalidHeader("Content-Length", strconv.FormatInt(r.HTTP.ContentLength, 10), "must be 0 to clear pages")
		}
		blob, err = b.store.ClearPages(r.Context(), r.Account.Name, r.Resource, r.Name, start, end, opts)
	case "":
		return errMissingHeader("x-ms-page-write")
	default:
		return errInvalidHeader("x-ms-page-write", h.Get("x-ms-page-write"), "update or clear")
	}
	if err != nil {
		return err
	}
	out := w.Header()
	setETag(out, blob.ETag, blob.LastModified)
	out.Set("x-ms-blob-sequence-number", strconv.FormatInt(blob.SequenceNumber, 10))
	out.Set("x-ms-request-server-encrypted", "true")
	w.WriteHeader(http.StatusCreated)
	return nil
}

// pageListXML writes PageRange and ClearRange entries in offset order.
type pageListXML struct {
	ranges, cleared []storage.PageRange
	next            string
}

func (p pageListXML) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	start.Name.Local = "PageList"
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	type item struct {
		name string
		r    storage.PageRange
	}
	var items []item
	for _, r := range p.ranges {
		items = append(items, item{"PageRange", r})
	}
	for _, r := range p.cleared {
		items = append(items, item{"ClearRange", r})
	}
	sort.Slice(items, func(i, j int) bool { return items[i].r.Start < items[j].r.Start })
	for _, it := range items {
		v := struct {
			Start int64 `xml:"Start"`
			End   int64 `xml:"End"`
		}{it.r.Start, it.r.End}
		if err := e.EncodeElement(v, xml.StartElement{Name: xml.Name{Local: it.name}}); err != nil {
			return err
		}
	}
	if err := e.EncodeElement(p.next, xml.StartElement{Name: xml.Name{Local: "NextMarker"}}); err != nil {
		return err
	}
	return e.EncodeToken(start.End())
}

// getPageRanges is Get Page Ranges, and with prevsnapshot its diff form.
// marker and maxresults page through the ranges: the marker is the offset
// where the next page starts.
func (b *BlobService) getPageRanges(w http.ResponseWriter, r *Request) error {
	if r.HasParam("prevsnapshoturl") {
		return errInvalidQueryParameter("prevsnapshoturl", r.Param("prevsnapshoturl"), "managed disk snapshots do not exist in funcemu; use prevsnapshot")
	}
	cond, err := parseConditions(r.Header())
	if err != nil {
		return err
	}
	rg, err := parseRange(r.Header())
	if err != nil {
		return err
	}
	max, err := intParam(r, "maxresults", 0, 1, 1<<31)
	if err != nil {
		return err
	}
	if m := r.Param("marker"); m != "" {
		from, err := strconv.ParseInt(m, 10, 64)
		if err != nil || from < 0 {
			return errInvalidQueryParameter("marker", m, "not a marker this service returned")
		}
		if rg == nil {
			rg = &storage.ByteRange{Start: from, End: -1}
		} else {
			rg.Start = from
		}
	}
	pr, err := b.store.GetPageRanges(r.Context(), r.Account.Name, r.Resource, r.Name, r.Param("snapshot"), r.Param("prevsnapshot"), rg, cond)
	if err != nil {
		return err
	}
	doc := pageListXML{ranges: pr.Ranges, cleared: pr.Cleared}
	if max > 0 && int64(len(doc.ranges)+len(doc.cleared)) > max {
		doc.ranges, doc.cleared, doc.next = cutPageList(doc.ranges, doc.cleared, int(max))
	}
	h := w.Header()
	setETag(h, pr.Blob.ETag, pr.Blob.LastModified)
	h.Set("x-ms-blob-content-length", strconv.FormatInt(pr.Blob.Size, 10))
	return writeXML(w, http.StatusOK, doc)
}

// cutPageList keeps the first n entries of two sorted lists taken
// together and returns the marker of the next.
func cutPageList(ranges, cleared []storage.PageRange, n int) ([]storage.PageRange, []storage.PageRange, string) {
	i, j := 0, 0
	for i+j < n {
		if j == len(cleared) || (i < len(ranges) && ranges[i].Start < cleared[j].Start) {
			i++
		} else {
			j++
		}
	}
	next := int64(-1)
	if i < len(ranges) {
		next = ranges[i].Start
	}
	if j < len(cleared) && (next < 0 || cleared[j].Start < next) {
		next = cleared[j].Start
	}
	return ranges[:i], cleared[:j], strconv.FormatInt(next, 10)
}

// setPageBlobProperties is Set Blob Properties with a resize or a
// sequence number action. Without any x-ms-blob-content-* header the
// standard properties are kept, as the SDKs' Resize and
// UpdateSequenceNumber expect.
func (b *BlobService) setPageBlobProperties(w http.ResponseWriter, r *Request, cond storage.Conditions) error {
	h := r.Header()
	var p storage.PageBlobProperties
	var err error
	if p.Resize, err = optionalInt64Header(h, "x-ms-blob-content-length"); err != nil {
		return err
	}
	if p.SequenceNumber, err = optionalInt64Header(h, "x-ms-blob-sequence-number"); err != nil {
		return err
	}
	p.SequenceAction = strings.ToLower(h.Get("x-ms-sequence-number-action"))
	var bh *storage.BlobHeaders
	for k := range h {
		if lk := strings.ToLower(k); strings.HasPrefix(lk, "x-ms-blob-content-") && lk != "x-ms-blob-content-length" || lk == "x-ms-blob-cache-control" {
			v, err := blobHeaders(h, "")
			if err != nil {
				return err
			}
			bh = &v
			break
		}
	}
	blob, err := b.store.SetPageBlobProperties(r.Context(), r.Account.Name, r.Resource, r.Name, bh, p, cond)
	if err != nil {
		return err
	}
	setETag(w.Header(), blob.ETag, blob.LastModified)
	w.Header().Set("x-ms-blob-sequence-number", strconv.FormatInt(blob.SequenceNumber, 10))
	w.WriteHeader(http.StatusOK)
	return nil
}
