package rest

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"sync"

	"github.com/funcemu/funcemu/emulator/storage"
	"github.com/funcemu/funcemu/emulator/storage/odata"
)

// writeRow renders a stored row exactly as write renders the decoded
// entity, but from the stored text: names, strings, DateTimes and Guids
// are copied as stored (json.Marshal wrote them, as jsonString would),
// and only Int64, Double and Binary values change form. With $select it
// decodes the row and uses write.
func (w *entityWriter) writeRow(b *bytes.Buffer, row *storage.EntityRow, element bool) error {
	if w.selected != nil {
		e, err := row.Entity()
		if err != nil {
			return err
		}
		w.write(b, &e, element)
		return nil
	}
	var tag [96]byte
	var stamp [40]byte
	// Room for the whole entity, so that it is appended in place: the
	// stored JSON is about the answer's size, plus the metadata.
	room := len(row.Props) + 2*(len(row.PartitionKey)+len(row.RowKey)) + 192
	if w.level == fullMetadata {
		room += 2*len(w.account) + 3*len(w.table) + 2*(len(row.PartitionKey)+len(row.RowKey))
	}
	b.Grow(room)
	out, first := w.appendHead(b.AvailableBuffer(), row.PartitionKey, row.RowKey, row.AppendETag(tag[:0]), row.AppendTimestamp(stamp[:0]), element)
	var bad error
	err := storage.EachStoredProp(row.Props, func(p storage.StoredProp) {
		if bad == nil {
			out, bad = w.appendStoredProperty(out, &first, p)
		}
	})
	if err == nil {
		err = bad
	}
	if err != nil {
		return fmt.Errorf("entity %q/%q: %w", row.PartitionKey, row.RowKey, err)
	}
	b.Write(append(out, '}'))
	return nil
}

// appendStoredProperty appends one stored property as property writes
// the decoded one.
func (w *entityWriter) appendStoredProperty(out []byte, first *bool, p storage.StoredProp) ([]byte, error) {
	if len(p.Name) < 2 || p.Value == "" {
		return out, fmt.Errorf("stored property %q is malformed", p.Name)
	}
	quoted := p.Value[0] == '"'
	if w.level != noMetadata && annotated(p.Type, p.Type == odata.Double && quoted, w.level) {
		if !*first {
			out = append(out, ',')
		}
		// The name's literal with the suffix inside its quotes: escaping
		// is per character, so this is jsonString(name+"@odata.type").
		out = append(out, p.Name[:len(p.Name)-1]...)
		out = append(out, `@odata.type":"`...)
		out = append(out, p.Type.EdmName()...)
		out = append(out, '"')
		*first = false
	}
	if !*first {
		out = append(out, ',')
	}
	*first = false
	out = append(out, p.Name...)
	out = append(out, ':')
	switch {
	case p.Type == odata.Int64 && !quoted:
		out = append(out, '"')
		out = append(out, p.Value...)
		out = append(out, '"')
	case p.Type == odata.Double && !quoted:
		f, err := strconv.ParseFloat(p.Value, 64)
		if err != nil {
			return out, fmt.Errorf("stored property %s: %w", p.Name, err)
		}
		out = appendDouble(out, f)
	case p.Type == odata.Binary && quoted:
		raw, err := hex.DecodeString(p.Value[1 : len(p.Value)-1])
		if err != nil {
			return out, fmt.Errorf("stored property %s: %w", p.Name, err)
		}
		out = append(out, '"')
		out = base64.StdEncoding.AppendEncode(out, raw)
		out = append(out, '"')
	default:
		out = append(out, p.Value...)
	}
	return out, nil
}

// bodies recycles response buffers: a page of 1,000 entities is a few
// hundred KiB, which grew anew (and was collected) for every query.
var bodies = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func getBody() *bytes.Buffer { return bodies.Get().(*bytes.Buffer) }

// putBody returns a buffer once its bytes are written; unusually large
// ones are left to the collector.
func putBody(b *bytes.Buffer) {
	if b.Cap() > 4<<20 {
		return
	}
	b.Reset()
	bodies.Put(b)
}
