package rest

import (
	"bytes"
	"encoding/xml"
	"strconv"
)

// blobsInnerXML is the content of a listing's Blobs element, written
// before the document is marshaled: reflection over every property of
// every blob was half of a listing's server time.
type blobsInnerXML struct {
	Inner []byte `xml:",innerxml"`
}

// appendListItems writes the Blob and BlobPrefix elements of bx in
// listing order, exactly as encoding/xml would marshal blobItemXML and
// blobPrefixXML (marshalAzureXML then rewrites the escaping of the whole
// document as before). Items with metadata or tags, rare in listings,
// still go through encoding/xml.
func appendListItems(out []byte, bx blobsXML) ([]byte, error) {
	var b bytes.Buffer
	b.Write(out)
	for _, it := range bx.items {
		if it.Prefix != "" {
			b.WriteString("<BlobPrefix>")
			writeNameXML(&b, listedName(it.Prefix))
			b.WriteString("</BlobPrefix>")
			continue
		}
		x := blobItem(it.Blob, bx.metadata)
		if bx.tags && len(it.Blob.Tags) > 0 {
			x.Tags = tagSetXML(it.Blob.Tags)
		}
		if len(x.Metadata) > 0 || x.Tags != nil {
			raw, err := xml.Marshal(x)
			if err != nil {
				return nil, err
			}
			b.Write(raw)
			continue
		}
		writeBlobItemXML(&b, &x)
	}
	return b.Bytes(), nil
}

func writeNameXML(b *bytes.Buffer, n blobNameXML) {
	if n.Encoded {
		b.WriteString(`<Name Encoded="true">`)
	} else {
		b.WriteString("<Name>")
	}
	escapeTextXML(b, n.Text)
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
	escapeTextXML(b, text)
	b.WriteString("</")
	b.WriteString(name)
	b.WriteByte('>')
}

// escapeTextXML writes s escaped as xml.EscapeText would; plain ASCII,
// which is nearly every value of a listing, is written as it is.
func escapeTextXML(b *bytes.Buffer, s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7F || c == '"' || c == '\'' || c == '&' || c == '<' || c == '>' {
			_ = xml.EscapeText(b, []byte(s))
			return
		}
	}
	b.WriteString(s)
}
