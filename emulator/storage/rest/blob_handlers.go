package rest

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/funcemu/funcemu/emulator/storage"
)

// maxRangeMD5 is the largest range x-ms-range-get-content-md5 may cover.
const maxRangeMD5 = 4 << 20

func (b *BlobService) putBlob(w http.ResponseWriter, r *Request) error {
	h := r.Header()
	typ := h.Get("x-ms-blob-type")
	if typ == "" {
		return errMissingHeader("x-ms-blob-type")
	}
	if r.HTTP.ContentLength > storage.MaxPutBlobSize {
		return errorf(http.StatusRequestEntityTooLarge, "RequestBodyTooLarge",
			"The request body is too large and exceeds the maximum permissible limit. (%d bytes, limit %d)", r.HTTP.ContentLength, int64(storage.MaxPutBlobSize))
	}
	opts, err := putOptions(r, h.Get("Content-Type"))
	if err != nil {
		return err
	}
	opts.Type = typ
	if typ == storage.PageBlob {
		if err := pageBlobCreateOptions(h, &opts); err != nil {
			return err
		}
	}
	if opts.ContentMD5, err = parseMD5(h, "Content-MD5"); err != nil {
		return err
	}
	if opts.ContentCRC64, err = parseCRC64(h); err != nil {
		return err
	}
	if err := checkOneChecksum(h); err != nil {
		return err
	}
	if err := b.checkCreateOnly(r); err != nil {
		return err
	}
	if err := checkPlainBody(h); err != nil {
		return err
	}
	blob, err := b.store.PutBlob(r.Context(), r.Account.Name, r.Resource, r.Name, r.HTTP.Body, opts)
	if err != nil {
		return err
	}
	out := w.Header()
	setETag(out, blob.ETag, blob.LastModified)
	if blob.Headers.ContentMD5 != nil {
		out.Set("Content-MD5", base64.StdEncoding.EncodeToString(blob.Headers.ContentMD5))
	}
	out.Set("x-ms-request-server-encrypted", "true")
	w.WriteHeader(http.StatusCreated)
	return nil
}

// putOptions reads the headers Put Blob and Put Block List share.
func putOptions(r *Request, fallbackType string) (storage.PutBlobOptions, error) {
	cond, err := parseConditions(r.Header())
	if err != nil {
		return storage.PutBlobOptions{}, err
	}
	bh, err := blobHeaders(r.Header(), fallbackType)
	if err != nil {
		return storage.PutBlobOptions{}, err
	}
	md, err := metadataFromHeaders(r.Header())
	if err != nil {
		return storage.PutBlobOptions{}, err
	}
	tags, err := parseTagsHeader(r.Header())
	if err != nil {
		return storage.PutBlobOptions{}, err
	}
	return storage.PutBlobOptions{Headers: bh, Metadata: md, Conditions: cond, Tags: tags,
		AccessTier: r.Header().Get("x-ms-access-tier")}, nil
}

func (b *BlobService) getBlob(w http.ResponseWriter, r *Request) error {
	cond, err := parseConditions(r.Header())
	if err != nil {
		return err
	}
	rg, err := parseRange(r.Header())
	if err != nil {
		return err
	}
	wantMD5 := strings.EqualFold(r.Header().Get("x-ms-range-get-content-md5"), "true")
	if wantMD5 && (rg == nil || rg.End < 0 || rg.End-rg.Start+1 > maxRangeMD5) {
		return errorf(http.StatusBadRequest, "OutOfRangeInput",
			"One of the request inputs is out of range. (x-ms-range-get-content-md5 needs a range of at most 4 MiB)")
	}
	opts := storage.ReadOptions{Snapshot: r.Param("snapshot"), Range: rg, Conditions: cond}
	small, ok, err := b.store.ReadSmallBlob(r.Context(), r.Account.Name, r.Resource, r.Name, opts)
	if err != nil {
		return b.withUnsatisfiedRange(r, err)
	}
	if ok {
		return writeSmallBlob(w, r, small)
	}
	return b.streamBlob(w, r, opts, wantMD5)
}

// streamBlob answers a GET of any blob or range, reading its content as it
// is written.
func (b *BlobService) streamBlob(w http.ResponseWriter, r *Request, opts storage.ReadOptions, wantMD5 bool) error {
	rd, err := b.store.OpenBlob(r.Context(), r.Account.Name, r.Resource, r.Name, opts)
	if err != nil {
		return b.withUnsatisfiedRange(r, err)
	}
	defer rd.Close()
	h := w.Header()
	setBlobHeaders(h, rd.Blob)
	applySASOverrides(h, r)
	h["Content-Length"] = []string{strconv.FormatInt(rd.Length, 10)}
	status := http.StatusOK
	var body io.Reader = rd
	if rd.Partial {
		status = http.StatusPartialContent
		h.Set("Content-Range", "bytes "+strconv.FormatInt(rd.Offset, 10)+"-"+strconv.FormatInt(rd.Offset+rd.Length-1, 10)+"/"+strconv.FormatInt(rd.Blob.Size, 10))
		if rd.Blob.Headers.ContentMD5 != nil {
			h.Set("x-ms-blob-content-md5", base64.StdEncoding.EncodeToString(rd.Blob.Headers.ContentMD5))
		}
		if wantMD5 {
			data, err := io.ReadAll(rd)
			if err != nil {
				return err
			}
			sum := md5.Sum(data)
			h.Set("Content-MD5", base64.StdEncoding.EncodeToString(sum[:]))
			body = bytes.NewReader(data)
		}
	} else {
		setContentMD5(h, rd.Blob.Headers.ContentMD5)
	}
	w.WriteHeader(status)
	_, err = io.Copy(w, body)
	return err
}

// writeSmallBlob answers a whole-blob GET of a blob read at once: the
// headers of the streamed answer, then the content in one write.
func writeSmallBlob(w http.ResponseWriter, r *Request, small storage.SmallBlob) error {
	h := w.Header()
	setBlobHeaders(h, small.Blob)
	applySASOverrides(h, r)
	h["Content-Length"] = []string{strconv.Itoa(len(small.Content))}
	setContentMD5(h, small.Blob.Headers.ContentMD5)
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(small.Content)
	return err
}

// setContentMD5 answers a whole blob's stored MD5 both as Content-MD5 and
// as x-ms-blob-content-md5.
func setContentMD5(h http.Header, md5 []byte) {
	if md5 == nil {
		return
	}
	sum := []string{base64.StdEncoding.EncodeToString(md5)}
	h["Content-Md5"] = sum
	h["X-Ms-Blob-Content-Md5"] = sum
}

func (b *BlobService) getBlobProperties(w http.ResponseWriter, r *Request) error {
	cond, err := parseConditions(r.Header())
	if err != nil {
		return err
	}
	blob, err := b.store.GetBlobProperties(r.Context(), r.Account.Name, r.Resource, r.Name, r.Param("snapshot"), cond)
	if err != nil {
		return err
	}
	h := w.Header()
	setBlobHeaders(h, blob)
	if strings.EqualFold(r.Param("comp"), "metadata") {
		for _, k := range []string{"Content-Type", "x-ms-creation-time", "x-ms-blob-type", "Accept-Ranges"} {
			h.Del(k)
		}
		w.WriteHeader(http.StatusOK)
		return nil
	}
	applySASOverrides(h, r)
	h.Set("Content-Length", strconv.FormatInt(blob.Size, 10))
	if blob.Headers.ContentMD5 != nil {
		h.Set("Content-MD5", base64.StdEncoding.EncodeToString(blob.Headers.ContentMD5))
	}
	setTierHeaders(h, blob)
	w.WriteHeader(http.StatusOK)
	return nil
}

func (b *BlobService) setBlobMetadata(w http.ResponseWriter, r *Request) error {
	cond, err := parseConditions(r.Header())
	if err != nil {
		return err
	}
	md, err := metadataFromHeaders(r.Header())
	if err != nil {
		return err
	}
	blob, err := b.store.SetBlobMetadata(r.Context(), r.Account.Name, r.Resource, r.Name, md, cond)
	if err != nil {
		return err
	}
	setETag(w.Header(), blob.ETag, blob.LastModified)
	w.Header().Set("x-ms-request-server-encrypted", "true")
	w.WriteHeader(http.StatusOK)
	return nil
}

func (b *BlobService) setBlobProperties(w http.ResponseWriter, r *Request) error {
	cond, err := parseConditions(r.Header())
	if err != nil {
		return err
	}
	if r.Header().Get("x-ms-blob-content-length") != "" || r.Header().Get("x-ms-sequence-number-action") != "" {
		return b.setPageBlobProperties(w, r, cond)
	}
	bh, err := blobHeaders(r.Header(), "")
	if err != nil {
		return err
	}
	blob, err := b.store.SetBlobHeaders(r.Context(), r.Account.Name, r.Resource, r.Name, bh, cond)
	if err != nil {
		return err
	}
	setETag(w.Header(), blob.ETag, blob.LastModified)
	w.WriteHeader(http.StatusOK)
	return nil
}

func (b *BlobService) deleteBlob(w http.ResponseWriter, r *Request) error {
	cond, err := parseConditions(r.Header())
	if err != nil {
		return err
	}
	snaps := storage.DeleteSnapshots(r.Header().Get("x-ms-delete-snapshots"))
	if err := b.store.DeleteBlob(r.Context(), r.Account.Name, r.Resource, r.Name, r.Param("snapshot"), snaps, cond); err != nil {
		return err
	}
	w.Header().Set("x-ms-delete-type-permanent", "true")
	w.WriteHeader(http.StatusAccepted)
	return nil
}

func (b *BlobService) snapshotBlob(w http.ResponseWriter, r *Request) error {
	cond, err := parseConditions(r.Header())
	if err != nil {
		return err
	}
	md, err := metadataFromHeaders(r.Header())
	if err != nil {
		return err
	}
	if len(md) == 0 {
		md = nil // no x-ms-meta-* keeps the blob's metadata
	}
	snap, err := b.store.SnapshotBlob(r.Context(), r.Account.Name, r.Resource, r.Name, md, cond)
	if err != nil {
		return err
	}
	h := w.Header()
	setETag(h, snap.ETag, snap.LastModified)
	h.Set("x-ms-snapshot", snap.Snapshot)
	w.WriteHeader(http.StatusCreated)
	return nil
}

func (b *BlobService) leaseBlob(w http.ResponseWriter, r *Request) error {
	cond, err := parseConditions(r.Header())
	if err != nil {
		return err
	}
	req, err := leaseRequest(r.Header())
	if err != nil {
		return err
	}
	res, err := b.store.LeaseBlob(r.Context(), r.Account.Name, r.Resource, r.Name, req, cond)
	if err != nil {
		return err
	}
	writeLeaseResult(w, req.Action, res)
	return nil
}

func (b *BlobService) copyBlob(w http.ResponseWriter, r *Request) error {
	src, err := b.resolveCopySource(r)
	if err != nil {
		return err
	}
	if err := b.checkCreateOnly(r); err != nil {
		return err
	}
	sourceMD5, err := b.checkSourceMD5(r, src)
	if err != nil {
		return err
	}
	opts, err := putOptions(r, "")
	if err != nil {
		return err
	}
	copyOpts := storage.CopyOptions{Conditions: opts.Conditions, Tags: opts.Tags, AccessTier: opts.AccessTier}
	if copyOpts.CopyTags, err = copyTagOption(r.Header(), opts.Tags); err != nil {
		return err
	}
	if len(opts.Metadata) > 0 {
		copyOpts.Metadata = opts.Metadata
	}
	blob, err := b.store.CopyBlob(r.Context(), src, r.Account.Name, r.Resource, r.Name, copyOpts)
	if err != nil {
		return err
	}
	h := w.Header()
	setETag(h, blob.ETag, blob.LastModified)
	h.Set("x-ms-copy-id", blob.Copy.ID)
	h.Set("x-ms-copy-status", blob.Copy.Status)
	if sourceMD5 != nil {
		h.Set("Content-MD5", base64.StdEncoding.EncodeToString(sourceMD5))
	}
	w.WriteHeader(http.StatusAccepted)
	return nil
}
