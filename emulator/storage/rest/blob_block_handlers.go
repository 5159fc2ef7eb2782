package rest

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/binary"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"

	"github.com/funcemu/funcemu/emulator/storage"
)

// maxBlockListBytes bounds a Put Block List body: 50,000 ids of at most 88
// base64 characters in their elements, with room to spare.
const maxBlockListBytes = 8 << 20

func crc64Header(v uint64) string {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], v)
	return base64.StdEncoding.EncodeToString(b[:])
}

func (b *BlobService) putBlock(w http.ResponseWriter, r *Request) error {
	id := r.Param("blockid")
	if id == "" {
		return errorf(http.StatusBadRequest, "MissingRequiredQueryParameter", "A query parameter that's mandatory for this request is not specified. (blockid)")
	}
	if err := storage.ValidBlockID(id); err != nil {
		return err
	}
	if r.HTTP.ContentLength > storage.MaxBlockSize {
		return errorf(http.StatusRequestEntityTooLarge, "RequestBodyTooLarge",
			"The request body is too large and exceeds the maximum permissible limit. (%d bytes, limit %d)", r.HTTP.ContentLength, int64(storage.MaxBlockSize))
	}
	sum, err := parseMD5(r.Header(), "Content-MD5")
	if err != nil {
		return err
	}
	crc, err := parseCRC64(r.Header())
	if err != nil {
		return err
	}
	if err := checkOneChecksum(r.Header()); err != nil {
		return err
	}
	if err := checkPlainBody(r.Header()); err != nil {
		return err
	}
	res, err := b.store.PutBlock(r.Context(), r.Account.Name, r.Resource, r.Name, id, r.HTTP.Body, storage.BlockOptions{
		LeaseID: normalizeLeaseID(r.Header().Get("x-ms-lease-id")), ContentMD5: sum, ContentCRC64: crc})
	if err != nil {
		return err
	}
	h := w.Header()
	if sum != nil {
		h.Set("Content-MD5", base64.StdEncoding.EncodeToString(res.ContentMD5))
	}
	h.Set("x-ms-content-crc64", crc64Header(res.CRC64))
	h.Set("x-ms-request-server-encrypted", "true")
	w.WriteHeader(http.StatusCreated)
	return nil
}

// blockListXML is the Put Block List body: Latest, Committed and
// Uncommitted entries in document order.
type blockListXML struct {
	Refs []storage.BlockRef
}

func (l *blockListXML) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	if start.Name.Local != "BlockList" {
		return fmt.Errorf("root element is <%s>, expected <BlockList>", start.Name.Local)
	}
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			var id string
			if err := d.DecodeElement(&id, &t); err != nil {
				return err
			}
			switch t.Name.Local {
			case storage.BlockLatest, storage.BlockCommitted, storage.BlockUncommitted:
				l.Refs = append(l.Refs, storage.BlockRef{ID: id, From: t.Name.Local})
			default:
				return fmt.Errorf("unexpected element <%s> in <BlockList>", t.Name.Local)
			}
		case xml.EndElement:
			return nil
		}
	}
}

// ParseBlockList reads a Put Block List body, checking every block id.
func ParseBlockList(body []byte) ([]storage.BlockRef, error) {
	var doc blockListXML
	if err := decodeXML(body, &doc, "BlockList"); err != nil {
		return nil, err
	}
	for _, ref := range doc.Refs {
		if err := storage.ValidBlockID(ref.ID); err != nil {
			return nil, errorf(http.StatusBadRequest, "InvalidBlockId", "The specified block ID is invalid. The block ID must be Base64-encoded. (%q)", ref.ID)
		}
	}
	if len(doc.Refs) > storage.MaxCommittedBlocks {
		return nil, errorf(http.StatusBadRequest, "InvalidBlockList", "The specified block list is invalid. (%d blocks, at most %d)", len(doc.Refs), storage.MaxCommittedBlocks)
	}
	return doc.Refs, nil
}

func (b *BlobService) putBlockList(w http.ResponseWriter, r *Request) error {
	opts, err := putOptions(r, "")
	if err != nil {
		return err
	}
	body, err := readBody(r, maxBlockListBytes)
	if err != nil {
		return err
	}
	if sum, err := parseMD5(r.Header(), "Content-MD5"); err != nil {
		return err
	} else if got := md5.Sum(body); sum != nil && string(sum) != string(got[:]) {
		return errorf(http.StatusBadRequest, "Md5Mismatch", "The MD5 value specified in the request did not match with the MD5 value calculated by the server.")
	}
	refs, err := ParseBlockList(body)
	if err != nil {
		return err
	}
	blob, err := b.store.PutBlockList(r.Context(), r.Account.Name, r.Resource, r.Name, refs, opts)
	if err != nil {
		return err
	}
	h := w.Header()
	setETag(h, blob.ETag, blob.LastModified)
	sum := md5.Sum(body)
	h.Set("Content-MD5", base64.StdEncoding.EncodeToString(sum[:]))
	h.Set("x-ms-request-server-encrypted", "true")
	w.WriteHeader(http.StatusCreated)
	return nil
}

type blockInfoXML struct {
	Name string `xml:"Name"`
	Size int64  `xml:"Size"`
}

type getBlockListXML struct {
	XMLName     xml.Name       `xml:"BlockList"`
	Committed   []blockInfoXML `xml:"CommittedBlocks>Block"`
	Uncommitted []blockInfoXML `xml:"UncommittedBlocks>Block"`
}

func (b *BlobService) getBlockList(w http.ResponseWriter, r *Request) error {
	which := r.Param("blocklisttype")
	bl, err := b.store.GetBlockList(r.Context(), r.Account.Name, r.Resource, r.Name, r.Param("snapshot"), which, normalizeLeaseID(r.Header().Get("x-ms-lease-id")))
	if err != nil {
		return err
	}
	doc := getBlockListXML{Committed: []blockInfoXML{}, Uncommitted: []blockInfoXML{}}
	for _, bi := range bl.Committed {
		doc.Committed = append(doc.Committed, blockInfoXML{bi.ID, bi.Size})
	}
	for _, bi := range bl.Uncommitted {
		doc.Uncommitted = append(doc.Uncommitted, blockInfoXML{bi.ID, bi.Size})
	}
	if bl.Blob != nil {
		h := w.Header()
		setETag(h, bl.Blob.ETag, bl.Blob.LastModified)
		h.Set("x-ms-blob-content-length", strconv.FormatInt(bl.Blob.Size, 10))
	}
	return writeXML(w, http.StatusOK, doc)
}

// optionalInt64Header reads an integer header; nil when absent.
func optionalInt64Header(h http.Header, name string) (*int64, error) {
	v := h.Get(name)
	if v == "" {
		return nil, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return nil, errInvalidHeader(name, v, "not a non-negative integer")
	}
	return &n, nil
}

func (b *BlobService) appendBlock(w http.ResponseWriter, r *Request) error {
	cond, err := parseConditions(r.Header())
	if err != nil {
		return err
	}
	if r.HTTP.ContentLength > storage.MaxAppendBlockSize {
		return errorf(http.StatusRequestEntityTooLarge, "RequestBodyTooLarge",
			"The request body is too large and exceeds the maximum permissible limit. (%d bytes, limit %d)", r.HTTP.ContentLength, int64(storage.MaxAppendBlockSize))
	}
	opts := storage.AppendOptions{Conditions: cond}
	if opts.AppendPosition, err = optionalInt64Header(r.Header(), "x-ms-blob-condition-appendpos"); err != nil {
		return err
	}
	if opts.MaxSize, err = optionalInt64Header(r.Header(), "x-ms-blob-condition-maxsize"); err != nil {
		return err
	}
	if opts.ContentMD5, err = parseMD5(r.Header(), "Content-MD5"); err != nil {
		return err
	}
	if opts.ContentCRC64, err = parseCRC64(r.Header()); err != nil {
		return err
	}
	if err := checkOneChecksum(r.Header()); err != nil {
		return err
	}
	if err := checkPlainBody(r.Header()); err != nil {
		return err
	}
	res, err := b.store.AppendBlock(r.Context(), r.Account.Name, r.Resource, r.Name, r.HTTP.Body, opts)
	if err != nil {
		return err
	}
	h := w.Header()
	setETag(h, res.Blob.ETag, res.Blob.LastModified)
	h.Set("x-ms-blob-append-offset", strconv.FormatInt(res.Offset, 10))
	h.Set("x-ms-blob-committed-block-count", strconv.Itoa(res.Blob.CommittedBlocks))
	h.Set("x-ms-content-crc64", crc64Header(res.CRC64))
	if opts.ContentMD5 != nil {
		h.Set("Content-MD5", base64.StdEncoding.EncodeToString(res.MD5))
	}
	h.Set("x-ms-request-server-encrypted", "true")
	w.WriteHeader(http.StatusCreated)
	return nil
}
