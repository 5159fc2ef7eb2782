package rest

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/funcemu/funcemu/emulator/storage"
)

// A List Blobs answer is written by hand, byte for byte what encoding/xml
// marshals for blobListXML after marshalAzureXML's escaping, with its
// empty elements closed as Azure closes them (closeEmptyElements;
// TestBlobListWritesAsMarshalWould): reflection over every property of
// every blob, then a second pass over the document to rewrite its
// escaping, were most of a listing's server time. The listing handler
// writes the envelope's head, each entry as the store reads it, and the
// tail into one buffer, sent in one write with its Content-Length.

// blobListDoc is the EnumerationResults envelope of a List Blobs answer.
type blobListDoc struct {
	ServiceEndpoint, ContainerName string
	Prefix, Marker, Delimiter      string
	MaxResults                     int
}

// sendList answers b, a whole listing.
func sendList(w http.ResponseWriter, b *bytes.Buffer) {
	h := w.Header()
	h["Content-Type"] = []string{"application/xml"}
	h["Content-Length"] = []string{strconv.Itoa(b.Len())}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b.Bytes())
}

var listBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledListBuffer keeps the buffer of a listing of a few thousand
// blobs for the next one, not one grown by a huge page.
const maxPooledListBuffer = 4 << 20

func getListBuffer() *bytes.Buffer {
	b := listBuffers.Get().(*bytes.Buffer)
	b.Reset()
	return b
}

func putListBuffer(b *bytes.Buffer) {
	if b.Cap() <= maxPooledListBuffer {
		listBuffers.Put(b)
	}
}

// appendBlobListHead writes a listing up to its first entry.
func appendBlobListHead(b *bytes.Buffer, doc *blobListDoc) {
	b.WriteString(xmlProlog)
	b.WriteString(`<EnumerationResults ServiceEndpoint="`)
	escapeAzureXML(b, doc.ServiceEndpoint, true)
	b.WriteString(`" ContainerName="`)
	escapeAzureXML(b, doc.ContainerName, true)
	b.WriteString(`">`)
	textElement(b, "Prefix", doc.Prefix, true)
	textElement(b, "Marker", doc.Marker, true)
	if doc.MaxResults != 0 {
		b.WriteString("<MaxResults>")
		b.Write(strconv.AppendInt(b.AvailableBuffer(), int64(doc.MaxResults), 10))
		b.WriteString("</MaxResults>")
	}
	textElement(b, "Delimiter", doc.Delimiter, true)
	b.WriteString("<Blobs>")
}

// appendBlobListTail writes a listing from its last entry on.
func appendBlobListTail(b *bytes.Buffer, nextMarker string) {
	if bytes.HasSuffix(b.Bytes(), []byte("<Blobs>")) { // no entry: <Blobs />, as Azure writes it
		b.Truncate(b.Len() - len("<Blobs>"))
		emptyElement(b, "Blobs")
	} else {
		b.WriteString("</Blobs>")
	}
	textElement(b, "NextMarker", nextMarker, false)
	b.WriteString("</EnumerationResults>")
}

// appendListItem writes it as a Blob or BlobPrefix element, exactly as
// marshalAzureXML would write blobItemXML or blobPrefixXML. Blobs listed
// with metadata or tags, rare in listings, still go through it; a blob
// without any, listed with metadata, gets the <Metadata /> Azure writes.
func appendListItem(b *bytes.Buffer, it *storage.BlobListItem, metadata, tags bool) error {
	if it.Prefix != "" {
		b.WriteString("<BlobPrefix>")
		writeNameXML(b, listedName(it.Prefix))
		b.WriteString("</BlobPrefix>")
		return nil
	}
	if (metadata && len(it.Blob.Metadata) > 0) || (tags && len(it.Blob.Tags) > 0) {
		x := blobItem(it.Blob, metadata)
		if tags && len(it.Blob.Tags) > 0 {
			x.Tags = tagSetXML(it.Blob.Tags)
		}
		raw, err := marshalAzureXML(x)
		if err != nil {
			return err
		}
		b.Write(closeEmptyElements(raw))
		return nil
	}
	appendBlobXML(b, &it.Blob, metadata)
	return nil
}

func writeNameXML(b *bytes.Buffer, n blobNameXML) {
	if n.Encoded {
		b.WriteString(`<Name Encoded="true">`)
	} else {
		b.WriteString("<Name>")
	}
	escapeAzureXML(b, n.Text, false)
	b.WriteString("</Name>")
}

// appendBlobXML writes bl, without metadata or tags, as blobItem makes
// it and encoding/xml marshals it: blobItemXML's fields in order with
// their omitempty rules, and <Metadata /> when the listing includes
// metadata. Numbers, times and the MD5 are formatted into the buffer
// itself, so a listed blob costs no allocation.
func appendBlobXML(b *bytes.Buffer, bl *storage.Blob, emptyMetadata bool) {
	b.WriteString("<Blob>")
	if needsEncoding(bl.Name) {
		writeNameXML(b, listedName(bl.Name))
	} else {
		writeNameXML(b, blobNameXML{Text: bl.Name})
	}
	textElement(b, "Snapshot", bl.Snapshot, true)
	b.WriteString("<Properties>")
	committed := !bl.Uncommitted
	h := &bl.Headers
	if committed {
		timeElement(b, "Creation-Time", bl.Created)
		timeElement(b, "Last-Modified", bl.LastModified)
		textElement(b, "Etag", listedETag(bl.ETag), true)
	}
	b.WriteString("<Content-Length>")
	b.Write(strconv.AppendInt(b.AvailableBuffer(), bl.Size, 10))
	b.WriteString("</Content-Length>")
	if committed {
		textElement(b, "Content-Type", h.ContentType, true)
		textElement(b, "Content-Encoding", h.ContentEncoding, false)
		textElement(b, "Content-Language", h.ContentLanguage, false)
		b.WriteString("<Content-CRC64 />")
		if len(h.ContentMD5) == 0 {
			emptyElement(b, "Content-MD5")
		} else {
			b.WriteString("<Content-MD5>")
			b.Write(base64.StdEncoding.AppendEncode(b.AvailableBuffer(), h.ContentMD5))
			b.WriteString("</Content-MD5>")
		}
		textElement(b, "Cache-Control", h.CacheControl, false)
		textElement(b, "Content-Disposition", h.ContentDisposition, false)
	}
	textElement(b, "BlobType", bl.Type, false)
	textElement(b, "LeaseStatus", bl.Lease.Status, false)
	textElement(b, "LeaseState", bl.Lease.State, false)
	textElement(b, "LeaseDuration", bl.Lease.Duration, true)
	if !committed {
		b.WriteString("<ServerEncrypted>false</ServerEncrypted>")
		closeBlobXML(b, emptyMetadata)
		return
	}
	if c := bl.Copy; c != nil {
		textElement(b, "CopyId", c.ID, true)
		textElement(b, "CopyStatus", c.Status, true)
		textElement(b, "CopySource", c.Source, true)
		textElement(b, "CopyProgress", c.Progress, true)
		timeElement(b, "CopyCompletionTime", c.Completed)
	}
	b.WriteString("<ServerEncrypted>true</ServerEncrypted>")
	switch bl.Type {
	case storage.BlockBlob:
		if bl.AccessTier == "" {
			b.WriteString("<AccessTier>" + storage.TierHot + "</AccessTier><AccessTierInferred>true</AccessTierInferred>")
		} else {
			textElement(b, "AccessTier", bl.AccessTier, false)
			timeElement(b, "AccessTierChangeTime", bl.AccessTierChanged)
		}
	}
	if bl.TagCount != 0 {
		b.WriteString("<TagCount>")
		b.Write(strconv.AppendInt(b.AvailableBuffer(), int64(bl.TagCount), 10))
		b.WriteString("</TagCount>")
	}
	switch bl.Type {
	case storage.AppendBlob:
		b.WriteString("<Sealed>")
		b.Write(strconv.AppendBool(b.AvailableBuffer(), bl.Sealed))
		b.WriteString("</Sealed>")
	case storage.PageBlob:
		b.WriteString("<x-ms-blob-sequence-number>")
		b.Write(strconv.AppendInt(b.AvailableBuffer(), bl.SequenceNumber, 10))
		b.WriteString("</x-ms-blob-sequence-number>")
	}
	closeBlobXML(b, emptyMetadata)
}

// closeBlobXML ends a listed blob's Properties and the blob, with the
// empty Metadata Azure writes for a blob without any when the listing
// includes metadata.
func closeBlobXML(b *bytes.Buffer, emptyMetadata bool) {
	b.WriteString("</Properties>")
	if emptyMetadata {
		b.WriteString("<Metadata />")
	}
	b.WriteString("</Blob>")
}

// timeElement writes <name>t</name> with t as an HTTP date, as httpTime
// formats it.
func timeElement(b *bytes.Buffer, name string, t time.Time) {
	b.WriteByte('<')
	b.WriteString(name)
	b.WriteByte('>')
	b.Write(appendHTTPDate(b.AvailableBuffer(), t))
	b.WriteString("</")
	b.WriteString(name)
	b.WriteByte('>')
}

// textElement writes <name>text</name>; when text is empty, <name /> as
// Azure writes it, or nothing when omitEmpty is set.
func textElement(b *bytes.Buffer, name, text string, omitEmpty bool) {
	if text == "" {
		if !omitEmpty {
			emptyElement(b, name)
		}
		return
	}
	b.WriteByte('<')
	b.WriteString(name)
	b.WriteByte('>')
	escapeAzureXML(b, text, false)
	b.WriteString("</")
	b.WriteString(name)
	b.WriteByte('>')
}

// escapeAzureXML writes s escaped as marshalAzureXML escapes text (attr
// false) or an attribute value (attr true): what xml.EscapeText writes,
// with the references Azure does not use put back (see azureEscaping).
// Plain ASCII, nearly every value of a listing, is written as it is.
func escapeAzureXML(b *bytes.Buffer, s string, attr bool) {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < utf8.RuneSelf && c != '&' && c != '<' && c != '>' && c != '"' && c != '\'' {
			i++
			continue
		}
		r, width := rune(c), 1
		if c >= utf8.RuneSelf {
			r, width = utf8.DecodeRuneInString(s[i:])
		}
		var esc string
		switch r {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '"':
			esc = `"`
			if attr {
				esc = "&quot;"
			}
		case '\'':
			esc = "'"
			if attr {
				esc = "&apos;"
			}
		case '\t':
			esc = "\t"
			if attr {
				esc = "&#x9;"
			}
		case '\n':
			esc = "\n"
			if attr {
				esc = "&#xA;"
			}
		case '\r':
			esc = "\r"
			if attr {
				esc = "&#xD;"
			}
		default:
			if !inXMLCharRange(r) || (r == utf8.RuneError && width == 1) {
				esc = "\uFFFD"
			}
		}
		if esc != "" {
			b.WriteString(s[last:i])
			b.WriteString(esc)
			last = i + width
		}
		i += width
	}
	b.WriteString(s[last:])
}

// inXMLCharRange is the Char production of XML 1.0, as encoding/xml
// checks it.
func inXMLCharRange(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}
