package rest

import (
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"

	"github.com/funcemu/funcemu/emulator/storage"
)

type blobPrefixXML struct {
	XMLName xml.Name    `xml:"BlobPrefix"`
	Name    blobNameXML `xml:"Name"`
}

// blobItemXML is a listed blob. A committed blob's content headers are
// pointers so that they are listed even when empty, as Azure lists them
// (SDKs then hand users an empty string, not a nil pointer), and left out
// of an uncommitted blob.
type blobItemXML struct {
	XMLName    xml.Name    `xml:"Blob"`
	Name       blobNameXML `xml:"Name"`
	Snapshot   string      `xml:"Snapshot,omitempty"`
	IsCurrent  bool        `xml:"IsCurrentVersion,omitempty"`
	Properties struct {
		CreationTime         string  `xml:"Creation-Time,omitempty"`
		LastModified         string  `xml:"Last-Modified,omitempty"`
		Etag                 string  `xml:"Etag,omitempty"`
		ContentLength        int64   `xml:"Content-Length"`
		ContentType          string  `xml:"Content-Type,omitempty"`
		ContentEncoding      *string `xml:"Content-Encoding"`
		ContentLanguage      *string `xml:"Content-Language"`
		ContentCRC64         *string `xml:"Content-CRC64"`
		ContentMD5           *string `xml:"Content-MD5"`
		CacheControl         *string `xml:"Cache-Control"`
		ContentDisposition   *string `xml:"Content-Disposition"`
		BlobType             string  `xml:"BlobType"`
		LeaseStatus          string  `xml:"LeaseStatus"`
		LeaseState           string  `xml:"LeaseState"`
		LeaseDuration        string  `xml:"LeaseDuration,omitempty"`
		CopyID               string  `xml:"CopyId,omitempty"`
		CopyStatus           string  `xml:"CopyStatus,omitempty"`
		CopySource           string  `xml:"CopySource,omitempty"`
		CopyProgress         string  `xml:"CopyProgress,omitempty"`
		CopyCompletionTime   string  `xml:"CopyCompletionTime,omitempty"`
		ServerEncrypted      bool    `xml:"ServerEncrypted"`
		AccessTier           string  `xml:"AccessTier,omitempty"`
		AccessTierInferred   bool    `xml:"AccessTierInferred,omitempty"`
		AccessTierChangeTime string  `xml:"AccessTierChangeTime,omitempty"`
		TagCount             int     `xml:"TagCount,omitempty"`
		Sealed               *bool   `xml:"Sealed,omitempty"`
		SequenceNumber       *int64  `xml:"x-ms-blob-sequence-number,omitempty"`
	} `xml:"Properties"`
	// Metadata is set, empty or not, when the listing includes metadata:
	// Azure then writes <Metadata /> for a blob without any.
	Metadata *metadataXML `xml:"Metadata,omitempty"`
	Tags     *tagsXML     `xml:"Tags,omitempty"`
}

// listedETag is a blob's ETag as listings show it: without the quotes of
// its ETag header, as Azure lists blobs (containers' listed ETags keep
// theirs). SDKs hand it to users as it is.
func listedETag(etag string) string { return strings.Trim(etag, `"`) }

func blobItem(b storage.Blob, withMetadata bool) blobItemXML {
	x := blobItemXML{Name: listedName(b.Name), Snapshot: b.Snapshot}
	p := &x.Properties
	p.ContentLength, p.BlobType = b.Size, b.Type
	p.LeaseStatus, p.LeaseState, p.LeaseDuration = b.Lease.Status, b.Lease.State, b.Lease.Duration
	if withMetadata {
		md := metadataXML(b.Metadata)
		x.Metadata = &md
	}
	if b.Uncommitted {
		return x
	}
	p.CreationTime, p.LastModified = httpTime(b.Created), httpTime(b.LastModified)
	p.Etag = listedETag(b.ETag)
	p.ContentType = b.Headers.ContentType
	h := b.Headers
	md5 := base64.StdEncoding.EncodeToString(h.ContentMD5)
	p.ContentEncoding, p.ContentLanguage, p.ContentCRC64 = &h.ContentEncoding, &h.ContentLanguage, new(string)
	p.ContentMD5, p.CacheControl, p.ContentDisposition = &md5, &h.CacheControl, &h.ContentDisposition
	if c := b.Copy; c != nil {
		p.CopyID, p.CopyStatus, p.CopySource, p.CopyProgress = c.ID, c.Status, c.Source, c.Progress
		p.CopyCompletionTime = httpTime(c.Completed)
	}
	p.ServerEncrypted = true
	switch b.Type {
	case storage.BlockBlob:
		if b.AccessTier == "" {
			p.AccessTier, p.AccessTierInferred = storage.TierHot, true
		} else {
			p.AccessTier, p.AccessTierChangeTime = b.AccessTier, httpTime(b.AccessTierChanged)
		}
	case storage.AppendBlob:
		p.Sealed = &b.Sealed
	case storage.PageBlob:
		p.SequenceNumber = &b.SequenceNumber
	}
	p.TagCount = b.TagCount
	return x
}

func (b *BlobService) listBlobs(w http.ResponseWriter, r *Request) error {
	lo, err := listOptions(r)
	if err != nil {
		return err
	}
	inc, err := includes(r, "metadata", "snapshots", "uncommittedblobs", "copy", "tags", "versions", "deleted",
		"deletedwithversions", "immutabilitypolicy", "legalhold", "permissions")
	if err != nil {
		return err
	}
	opts := storage.ListBlobsOptions{ListOptions: lo, Delimiter: r.Param("delimiter"),
		Snapshots: inc["snapshots"], Uncommitted: inc["uncommittedblobs"], Tags: inc["tags"],
		ListedOnly: true, Metadata: inc["metadata"]}
	// The page is written as the store reads it, into a buffer sent whole
	// once the listing ends, so an error still gets its own answer.
	buf := getListBuffer()
	defer putListBuffer(buf)
	appendBlobListHead(buf, &blobListDoc{ServiceEndpoint: serviceEndpoint(r), ContainerName: r.Resource,
		Prefix: lo.Prefix, Marker: lo.Marker, MaxResults: echoedMaxResults(r, lo), Delimiter: opts.Delimiter})
	next, err := b.store.ListBlobsFunc(r.Context(), r.Account.Name, r.Resource, opts, func(it *storage.BlobListItem) error {
		if err := appendListItem(buf, it, opts.Metadata, opts.Tags); err != nil {
			return fmt.Errorf("encode response: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	appendBlobListTail(buf, next)
	sendList(w, buf)
	return nil
}
