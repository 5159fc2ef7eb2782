package rest

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/funcemu/funcemu/emulator/storage"
)

// fromURL turns Put Block, Append Block or Put Page From URL into the
// plain operation: the source blob (or x-ms-source-range of it) becomes
// the request body, streamed from the store chunk by chunk, and
// x-ms-source-content-md5 / -crc64 become the transactional checksums.
// Sources are blobs of this emulator, as for Copy Blob.
func (b *BlobService) fromURL(op func(http.ResponseWriter, *Request) error) func(http.ResponseWriter, *Request) error {
	return func(w http.ResponseWriter, r *Request) error {
		src, err := b.resolveCopySource(r)
		if err != nil {
			return err
		}
		if r.HTTP.ContentLength > 0 {
			return errInvalidHeader("Content-Length", strconv.FormatInt(r.HTTP.ContentLength, 10), "must be 0 when the content comes from x-ms-copy-source")
		}
		sh := http.Header{}
		if v := r.Header().Get("x-ms-source-range"); v != "" {
			sh.Set("x-ms-range", v)
		}
		rg, err := parseRange(sh)
		if err != nil {
			return err
		}
		rd, err := b.store.OpenBlob(r.Context(), src.Account, src.Container, src.Name, storage.ReadOptions{
			Snapshot: src.Snapshot, Range: rg, Conditions: src.Conditions})
		if err != nil {
			if e, ok := toAPIError(err); ok && (e.Code == "BlobNotFound" || e.Code == "ContainerNotFound") {
				return errorf(http.StatusNotFound, "CannotVerifyCopySource", "The specified %s does not exist. (x-ms-copy-source)", map[string]string{"BlobNotFound": "blob", "ContainerNotFound": "container"}[e.Code])
			}
			if e, ok := toAPIError(err); ok && (e.Status == http.StatusPreconditionFailed || e.Status == http.StatusNotModified) {
				return errorf(http.StatusPreconditionFailed, "SourceConditionNotMet", "The source condition specified using HTTP conditional header(s) is not met.")
			}
			return err
		}
		defer rd.Close()
		h := r.Header().Clone()
		if err := b.sourceTagsHeader(r, src, h); err != nil {
			return err
		}
		h.Del("Content-MD5")
		h.Del("x-ms-content-crc64")
		if v := h.Get("x-ms-source-content-md5"); v != "" {
			h.Set("Content-MD5", v)
		}
		if v := h.Get("x-ms-source-content-crc64"); v != "" {
			h.Set("x-ms-content-crc64", v)
		}
		hr := r.HTTP.Clone(r.Context())
		hr.Header, hr.Body, hr.ContentLength = h, rd, rd.Length
		sub := *r
		sub.HTTP = hr
		return op(w, &sub)
	}
}

// sourceTagsHeader applies x-ms-copy-source-tag-option: COPY to Put Blob
// From URL by sending the source's tags on as x-ms-tags.
func (b *BlobService) sourceTagsHeader(r *Request, src storage.CopySource, h http.Header) error {
	tags, err := parseTagsHeader(h)
	if err != nil {
		return err
	}
	copyTags, err := copyTagOption(h, tags)
	if err != nil || !copyTags {
		return err
	}
	srcTags, err := b.store.GetBlobTags(r.Context(), src.Account, src.Container, src.Name, src.Snapshot, storage.Conditions{})
	if err != nil {
		return err
	}
	q := url.Values{}
	for k, v := range srcTags {
		q.Set(k, v)
	}
	h.Set("x-ms-tags", q.Encode())
	return nil
}

// abortCopy is Abort Copy Blob: copies inside the emulator finish before
// Copy Blob answers, so there is never a pending one.
func (b *BlobService) abortCopy(w http.ResponseWriter, r *Request) error {
	if _, err := b.store.GetBlobProperties(r.Context(), r.Account.Name, r.Resource, r.Name, "", storage.Conditions{}); err != nil {
		return err
	}
	return errorf(http.StatusConflict, "NoPendingCopyOperation", "There is currently no pending copy operation.")
}
