package rest

import (
	"encoding/base64"
	"encoding/binary"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/funcemu/funcemu/emulator/storage"
)

// parseConditions reads the conditional headers and x-ms-lease-id. A date
// that does not parse is 400 InvalidHeaderValue naming the header.
func parseConditions(h http.Header) (storage.Conditions, error) {
	c := storage.Conditions{
		IfMatch:     h.Get("If-Match"),
		IfNoneMatch: h.Get("If-None-Match"),
		LeaseID:     normalizeLeaseID(h.Get("x-ms-lease-id")),
	}
	var err error
	if c.IfTags, err = parseIfTags(h); err != nil {
		return c, err
	}
	for _, d := range []struct {
		name string
		to   *time.Time
	}{{"If-Modified-Since", &c.IfModifiedSince}, {"If-Unmodified-Since", &c.IfUnmodifiedSince}} {
		v := h.Get(d.name)
		if v == "" {
			continue
		}
		t, err := http.ParseTime(v)
		if err != nil {
			return c, errInvalidHeader(d.name, v, "not an HTTP date")
		}
		*d.to = t
	}
	return c, nil
}

// parseSourceConditions reads x-ms-source-if-* for Copy Blob.
func parseSourceConditions(h http.Header) (storage.Conditions, error) {
	src := http.Header{}
	for _, n := range []string{"If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since"} {
		if v := h.Get("x-ms-source-" + strings.ToLower(n)); v != "" {
			src.Set(n, v)
		}
	}
	c, err := parseConditions(src)
	c.LeaseID = ""
	return c, err
}

var rangeRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^bytes=(\d{1,19})-(\d{0,19})$`) })

// parseRange reads x-ms-range, else Range: "bytes=start-" or
// "bytes=start-end". nil when neither is sent.
func parseRange(h http.Header) (*storage.ByteRange, error) {
	name, v := "x-ms-range", h.Get("x-ms-range")
	if v == "" {
		name, v = "Range", h.Get("Range")
	}
	if v == "" {
		return nil, nil
	}
	m := rangeRE().FindStringSubmatch(strings.TrimSpace(v))
	if m == nil {
		return nil, errInvalidHeader(name, v, `expected "bytes=start-" or "bytes=start-end"`)
	}
	start, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil {
		return nil, errInvalidHeader(name, v, "start out of range")
	}
	rg := &storage.ByteRange{Start: start, End: -1}
	if m[2] != "" {
		if rg.End, err = strconv.ParseInt(m[2], 10, 64); err != nil || rg.End < start {
			return nil, errorf(http.StatusRequestedRangeNotSatisfiable, "InvalidRange",
				"The range specified is invalid for the current size of the resource. (%s=%q)", name, v)
		}
	}
	return rg, nil
}

// parseMD5 reads a base64 MD5 header; nil when absent.
func parseMD5(h http.Header, name string) ([]byte, error) {
	v := h.Get(name)
	if v == "" {
		return nil, nil
	}
	b, err := base64.StdEncoding.DecodeString(v)
	if err != nil || len(b) != 16 {
		return nil, errorf(http.StatusBadRequest, "InvalidMd5", "The MD5 value specified in the request is invalid. It must be 128 bits and Base64-encoded. (%s)", name)
	}
	return b, nil
}

// parseCRC64 reads x-ms-content-crc64 (8 bytes, little-endian, base64);
// nil when absent.
func parseCRC64(h http.Header) (*uint64, error) {
	v := h.Get("x-ms-content-crc64")
	if v == "" {
		return nil, nil
	}
	b, err := base64.StdEncoding.DecodeString(v)
	if err != nil || len(b) != 8 {
		return nil, errInvalidHeader("x-ms-content-crc64", v, "must be 64 bits, Base64-encoded")
	}
	crc := binary.LittleEndian.Uint64(b)
	return &crc, nil
}

// checkPlainBody refuses bodies in the structured-message format: their
// bytes are framing plus content, and storing them as content would
// corrupt the blob.
func checkPlainBody(h http.Header) error {
	if v := h.Get("x-ms-structured-body"); v != "" {
		return errorf(http.StatusBadRequest, "FeatureNotSupported",
			"Structured message bodies (x-ms-structured-body: %s) are not supported by funcemu; use Content-MD5 or x-ms-content-crc64 for transactional checksums.", v)
	}
	return nil
}

// blobHeaders reads the x-ms-blob-content-* headers. fallbackType is used
// when x-ms-blob-content-type is absent (Put Blob takes Content-Type).
func blobHeaders(h http.Header, fallbackType string) (storage.BlobHeaders, error) {
	md5, err := parseStoredMD5(h, "x-ms-blob-content-md5")
	if err != nil {
		return storage.BlobHeaders{}, err
	}
	bh := storage.BlobHeaders{
		ContentType:        h.Get("x-ms-blob-content-type"),
		ContentEncoding:    h.Get("x-ms-blob-content-encoding"),
		ContentLanguage:    h.Get("x-ms-blob-content-language"),
		ContentDisposition: h.Get("x-ms-blob-content-disposition"),
		CacheControl:       h.Get("x-ms-blob-cache-control"),
		ContentMD5:         md5,
	}
	if bh.ContentType == "" {
		bh.ContentType = fallbackType
	}
	return bh, nil
}

// Header names below are written in their canonical form straight into
// the map: http.Header.Set would canonicalize each name on every answer.
// TestBlobHeaderNamesAreCanonical keeps them canonical.

// setETag writes ETag and Last-Modified.
func setETag(h http.Header, etag string, modified time.Time) {
	h["Etag"] = []string{etag}
	h["Last-Modified"] = []string{httpTime(modified)}
}

func setLeaseHeaders(h http.Header, l storage.LeaseInfo) {
	h["X-Ms-Lease-State"] = []string{l.State}
	h["X-Ms-Lease-Status"] = []string{l.Status}
	if l.Duration != "" {
		h["X-Ms-Lease-Duration"] = []string{l.Duration}
	}
}

// setBlobHeaders writes the properties GET and HEAD of a blob answer.
func setBlobHeaders(h http.Header, b storage.Blob) {
	setETag(h, b.ETag, b.LastModified)
	h["X-Ms-Creation-Time"] = []string{httpTime(b.Created)}
	h["X-Ms-Blob-Type"] = []string{b.Type}
	setLeaseHeaders(h, b.Lease)
	for _, c := range [...]struct{ name, value string }{
		{"Content-Type", b.Headers.ContentType},
		{"Content-Encoding", b.Headers.ContentEncoding},
		{"Content-Language", b.Headers.ContentLanguage},
		{"Content-Disposition", b.Headers.ContentDisposition},
		{"Cache-Control", b.Headers.CacheControl},
	} {
		if c.value != "" {
			h[c.name] = []string{c.value}
		}
	}
	setMetadataHeaders(h, b.Metadata)
	h["Accept-Ranges"] = []string{"bytes"}
	h["X-Ms-Server-Encrypted"] = []string{"true"}
	if b.Type == storage.AppendBlob {
		h["X-Ms-Blob-Committed-Block-Count"] = []string{strconv.Itoa(b.CommittedBlocks)}
		h["X-Ms-Blob-Sealed"] = []string{strconv.FormatBool(b.Sealed)}
	}
	if b.Type == storage.PageBlob {
		h["X-Ms-Blob-Sequence-Number"] = []string{strconv.FormatInt(b.SequenceNumber, 10)}
	}
	tagCountHeader(h, b.TagCount)
	if c := b.Copy; c != nil {
		h["X-Ms-Copy-Id"] = []string{c.ID}
		h["X-Ms-Copy-Source"] = []string{c.Source}
		h["X-Ms-Copy-Status"] = []string{c.Status}
		h["X-Ms-Copy-Progress"] = []string{c.Progress}
		h["X-Ms-Copy-Completion-Time"] = []string{httpTime(c.Completed)}
	}
}

// leaseRequest reads the lease headers of a Lease Blob / Lease Container.
func leaseRequest(h http.Header) (storage.LeaseRequest, error) {
	req := storage.LeaseRequest{
		Action:     strings.ToLower(strings.TrimSpace(h.Get("x-ms-lease-action"))),
		ID:         strings.TrimSpace(h.Get("x-ms-lease-id")),
		ProposedID: strings.TrimSpace(h.Get("x-ms-proposed-lease-id")),
	}
	req.ID = normalizeLeaseID(req.ID)
	if req.Action == "" {
		return req, errMissingHeader("x-ms-lease-action")
	}
	if req.ProposedID != "" {
		id, ok := parseGUID(req.ProposedID)
		if !ok {
			return req, errInvalidHeader("x-ms-proposed-lease-id", req.ProposedID, "not a GUID")
		}
		req.ProposedID = id
	}
	if req.Action == storage.LeaseAcquire {
		v := h.Get("x-ms-lease-duration")
		if v == "" {
			return req, errMissingHeader("x-ms-lease-duration")
		}
		d, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return req, errInvalidHeader("x-ms-lease-duration", v, "not an integer")
		}
		req.Duration = d
	}
	if v := h.Get("x-ms-lease-break-period"); v != "" && req.Action == storage.LeaseBreak {
		p, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return req, errInvalidHeader("x-ms-lease-break-period", v, "not an integer")
		}
		req.BreakPeriod = &p
	}
	return req, nil
}

// writeLeaseResult answers a lease operation with Azure's status per
// action.
func writeLeaseResult(w http.ResponseWriter, action string, res storage.LeaseResult) {
	h := w.Header()
	setETag(h, res.ETag, res.LastModified)
	status := http.StatusOK
	switch action {
	case storage.LeaseAcquire:
		status = http.StatusCreated
	case storage.LeaseBreak:
		status = http.StatusAccepted
		h.Set("x-ms-lease-time", strconv.Itoa(res.TimeLeft))
	}
	if res.ID != "" {
		h.Set("x-ms-lease-id", res.ID)
	}
	w.WriteHeader(status)
}
