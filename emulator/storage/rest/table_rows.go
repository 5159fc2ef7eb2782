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
	first := w.head(b, row.PartitionKey, row.RowKey, row.AppendETag(tag[:0]), row.AppendTimestamp(stamp[:0]), element)
	var bad error
	err := storage.EachStoredProp(row.Props, func(p storage.StoredProp) {
		if bad == nil {
			bad = w.storedProperty(b, &first, p)
		}
	})
	if err == nil {
		err = bad
	}
	if err != nil {
		return fmt.Errorf("entity %q/%q: %w", row.PartitionKey, row.RowKey, err)
	}
	b.WriteByte('}')
	return nil
}

// storedProperty writes one stored property as property writes the
// decoded one.
func (w *entityWriter) storedProperty(b *bytes.Buffer, first *bool, p storage.StoredProp) error {
	if len(p.Name) < 2 || p.Value == "" {
		return fmt.Errorf("stored property %q is malformed", p.Name)
	}
	quoted := p.Value[0] == '"'
	if w.level != noMetadata && annotated(p.Type, p.Type == odata.Double && quoted, w.level) {
		if !*first {
			b.WriteByte(',')
		}
		// The name's literal with the suffix inside its quotes: escaping
		// is per character, so this is jsonString(name+"@odata.type").
		b.WriteString(p.Name[:len(p.Name)-1])
		b.WriteString(`@odata.type":"`)
		b.WriteString(p.Type.EdmName())
		b.WriteByte('"')
		*first = false
	}
	if !*first {
		b.WriteByte(',')
	}
	*first = false
	b.WriteString(p.Name)
	b.WriteByte(':')
	switch {
	case p.Type == odata.Int64 && !quoted:
		b.WriteByte('"')
		b.WriteString(p.Value)
		b.WriteByte('"')
	case p.Type == odata.Double && !quoted:
		f, err := strconv.ParseFloat(p.Value, 64)
		if err != nil {
			return fmt.Errorf("stored property %s: %w", p.Name, err)
		}
		var num [32]byte
		b.Write(appendDouble(num[:0], f))
	case p.Type == odata.Binary && quoted:
		raw, err := hex.DecodeString(p.Value[1 : len(p.Value)-1])
		if err != nil {
			return fmt.Errorf("stored property %s: %w", p.Name, err)
		}
		b.WriteByte('"')
		b.Write(base64.StdEncoding.AppendEncode(b.AvailableBuffer(), raw))
		b.WriteByte('"')
	default:
		b.WriteString(p.Value)
	}
	return nil
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
