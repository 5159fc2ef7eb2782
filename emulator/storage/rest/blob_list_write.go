package rest

import (
	"bytes"
	"net/http"
	"strconv"
	"sync"
	"unicode/utf8"
)

// blobListDoc is a List Blobs answer: the EnumerationResults envelope and
// the page's items.
type blobListDoc struct {
	ServiceEndpoint, ContainerName string
	Prefix, Marker, Delimiter      string
	MaxResults                     int
	NextMarker                     string
	Items                          blobsXML
}

// writeBlobList answers a listing written by hand, byte for byte what
// encoding/xml marshals for blobListXML after marshalAzureXML's escaping
// (TestBlobListWritesAsMarshalWould): reflection over every property of
// every blob, then a second pass over the document to rewrite its
// escaping, were most of a listing's server time. The document goes out
// in one write with its Content-Length.
func writeBlobList(w http.ResponseWriter, doc *blobListDoc) error {
	b := listBuffers.Get().(*bytes.Buffer)
	defer putListBuffer(b)
	b.Reset()
	if err := appendBlobList(b, doc); err != nil {
		return err
	}
	h := w.Header()
	h["Content-Type"] = []string{"application/xml"}
	h["Content-Length"] = []string{strconv.Itoa(b.Len())}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b.Bytes())
	return nil
}

var listBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledListBuffer keeps the buffer of a listing of a few thousand
// blobs for the next one, not one grown by a huge page.
const maxPooledListBuffer = 4 << 20

func putListBuffer(b *bytes.Buffer) {
	if b.Cap() <= maxPooledListBuffer {
		listBuffers.Put(b)
	}
}

func appendBlobList(b *bytes.Buffer, doc *blobListDoc) error {
	b.WriteString(xmlProlog)
	b.WriteString(`<EnumerationResults ServiceEndpoint="`)
	escapeAzureXML(b, doc.ServiceEndpoint, true)
	b.WriteString(`" ContainerName="`)
	escapeAzureXML(b, doc.ContainerName, true)
	b.WriteString(`">`)
	textElement(b, "Prefix", doc.Prefix, true)
	textElement(b, "Marker", doc.Marker, true)
	if doc.MaxResults != 0 {
		textElement(b, "MaxResults", strconv.Itoa(doc.MaxResults), false)
	}
	textElement(b, "Delimiter", doc.Delimiter, true)
	b.WriteString("<Blobs>")
	if err := appendListItems(b, doc.Items); err != nil {
		return err
	}
	b.WriteString("</Blobs>")
	textElement(b, "NextMarker", doc.NextMarker, false)
	b.WriteString("</EnumerationResults>")
	return nil
}

// appendListItems writes the Blob and BlobPrefix elements of bx in
// listing order, exactly as marshalAzureXML would write blobItemXML and
// blobPrefixXML. Items with metadata or tags, rare in listings, still go
// through it.
func appendListItems(b *bytes.Buffer, bx blobsXML) error {
	for _, it := range bx.items {
		if it.Prefix != "" {
			b.WriteString("<BlobPrefix>")
			writeNameXML(b, listedName(it.Prefix))
			b.WriteString("</BlobPrefix>")
			continue
		}
		x := blobItem(it.Blob, bx.metadata)
		if bx.tags && len(it.Blob.Tags) > 0 {
			x.Tags = tagSetXML(it.Blob.Tags)
		}
		if len(x.Metadata) > 0 || x.Tags != nil {
			raw, err := marshalAzureXML(x)
			if err != nil {
				return err
			}
			b.Write(raw)
			continue
		}
		writeBlobItemXML(b, &x)
	}
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

// writeBlobItemXML writes x without metadata or tags, field by field in
// blobItemXML's order with its omitempty rules.
func writeBlobItemXML(b *bytes.Buffer, x *blobItemXML) {
	b.WriteString("<Blob>")
	writeNameXML(b, x.Name)
	textElement(b, "Snapshot", x.Snapshot, true)
	if x.IsCurrent {
		b.WriteString("<IsCurrentVersion>true</IsCurrentVersion>")
	}
	p := &x.Properties
	b.WriteString("<Properties>")
	textElement(b, "Creation-Time", p.CreationTime, true)
	textElement(b, "Last-Modified", p.LastModified, true)
	textElement(b, "Etag", p.Etag, true)
	textElement(b, "Content-Length", strconv.FormatInt(p.ContentLength, 10), false)
	textElement(b, "Content-Type", p.ContentType, true)
	textElement(b, "Content-Encoding", p.ContentEncoding, true)
	textElement(b, "Content-Language", p.ContentLanguage, true)
	textElement(b, "Content-MD5", p.ContentMD5, true)
	textElement(b, "Content-Disposition", p.ContentDisposition, true)
	textElement(b, "Cache-Control", p.CacheControl, true)
	textElement(b, "BlobType", p.BlobType, false)
	textElement(b, "LeaseStatus", p.LeaseStatus, false)
	textElement(b, "LeaseState", p.LeaseState, false)
	textElement(b, "LeaseDuration", p.LeaseDuration, true)
	textElement(b, "CopyId", p.CopyID, true)
	textElement(b, "CopyStatus", p.CopyStatus, true)
	textElement(b, "CopySource", p.CopySource, true)
	textElement(b, "CopyProgress", p.CopyProgress, true)
	textElement(b, "CopyCompletionTime", p.CopyCompletionTime, true)
	textElement(b, "ServerEncrypted", strconv.FormatBool(p.ServerEncrypted), false)
	textElement(b, "AccessTier", p.AccessTier, true)
	if p.AccessTierInferred {
		b.WriteString("<AccessTierInferred>true</AccessTierInferred>")
	}
	textElement(b, "AccessTierChangeTime", p.AccessTierChangeTime, true)
	if p.TagCount != 0 {
		textElement(b, "TagCount", strconv.Itoa(p.TagCount), false)
	}
	if p.Sealed != nil {
		textElement(b, "Sealed", strconv.FormatBool(*p.Sealed), false)
	}
	if p.SequenceNumber != nil {
		textElement(b, "x-ms-blob-sequence-number", strconv.FormatInt(*p.SequenceNumber, 10), false)
	}
	b.WriteString("</Properties></Blob>")
}

// textElement writes <name>text</name>, or nothing when text is empty and
// omitEmpty is set.
func textElement(b *bytes.Buffer, name, text string, omitEmpty bool) {
	if omitEmpty && text == "" {
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
