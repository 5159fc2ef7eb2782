package rest

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
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
	var stamp [40]byte
	// Room for the whole entity, so that it is appended in place: the
	// stored JSON is about the answer's size, plus the metadata.
	room := len(row.Props) + 2*(len(row.PartitionKey)+len(row.RowKey)) + 192
	if w.level == fullMetadata {
		room += 2*len(w.account) + 3*len(w.table) + 2*(len(row.PartitionKey)+len(row.RowKey))
	}
	b.Grow(room)
	head, first := w.appendHead(b.AvailableBuffer(), row.PartitionKey, row.RowKey, row.AppendTimestamp(stamp[:0]), element)
	out, ok, err := w.appendCompactProps(head, first, row.Props)
	if !ok && err == nil {
		out, err = w.appendSpacedProps(head, first, row.Props)
	}
	if err != nil {
		return fmt.Errorf("entity %q/%q: %w", row.PartitionKey, row.RowKey, err)
	}
	b.Write(append(out, '}'))
	return nil
}

// appendCompactProps appends the stored properties as written by the
// store (storage's encodeProps: no spaces, names never escaped), walking
// the text once with IndexByte rather than a byte at a time through
// EachStoredProp's callback. It reports false, having appended nothing
// that counts, for any other form; appendSpacedProps reads those.
func (w *entityWriter) appendCompactProps(out []byte, first bool, raw string) ([]byte, bool, error) {
	if len(raw) < 2 || raw[0] != '{' {
		return out, false, nil
	}
	i := 1
	for i < len(raw) && raw[i] != '}' {
		// "Name":["t",
		if raw[i] != '"' {
			return out, false, nil
		}
		q := strings.IndexByte(raw[i+1:], '"')
		if q < 0 {
			return out, false, nil
		}
		nameEnd := i + q + 2
		name := raw[i:nameEnd]
		// A backslash before the quote found may escape it: another form.
		if raw[nameEnd-2] == '\\' || nameEnd+7 > len(raw) || raw[nameEnd:nameEnd+3] != `:["` || raw[nameEnd+4:nameEnd+6] != `",` {
			return out, false, nil
		}
		typ := odata.Type(raw[nameEnd+3])
		v := nameEnd + 6
		end := -1
		if raw[v] == '"' {
			end = jsonStringEnd(raw, v)
		} else {
			// A number or boolean: short, read a byte at a time up to
			// the bracket; a space means another form.
			end = v
			for end < len(raw) && !endsNumber[raw[end]] {
				end++
			}
			if end == v {
				end = -1
			}
		}
		if end < 0 || end >= len(raw) || raw[end] != ']' {
			return out, false, nil
		}
		var err error
		if out, err = w.appendStoredProperty(out, &first, storage.StoredProp{Name: name, Type: typ, Value: raw[v:end]}); err != nil {
			return out, true, err
		}
		i = end + 1
		if i < len(raw) && raw[i] == ',' && i+1 < len(raw) && raw[i+1] != '}' {
			i++
		} else if i >= len(raw) || raw[i] != '}' {
			return out, false, nil
		}
	}
	if i != len(raw)-1 {
		return out, false, nil
	}
	return out, true, nil
}

// jsonStringEnd is the offset after the JSON string starting at s[i]
// (a quote), or -1: the first quote not escaped by an odd run of
// backslashes closes it.
func jsonStringEnd(s string, i int) int {
	for j := i + 1; ; {
		q := strings.IndexByte(s[j:], '"')
		if q < 0 {
			return -1
		}
		at := j + q
		n := 0
		for k := at - 1; k > i && s[k] == '\\'; k-- {
			n++
		}
		if n%2 == 0 {
			return at + 1
		}
		j = at + 1
	}
}

// endsNumber marks the bytes that end a stored number or boolean: its
// closing bracket, or a space of another form.
var endsNumber = [256]bool{']': true, ' ': true, '\n': true, '\t': true, '\r': true}

// appendSpacedProps appends stored properties of any form
// storage.EachStoredProp reads, spaces included.
func (w *entityWriter) appendSpacedProps(out []byte, first bool, raw string) ([]byte, error) {
	var bad error
	err := storage.EachStoredProp(raw, func(p storage.StoredProp) {
		if bad == nil {
			out, bad = w.appendStoredProperty(out, &first, p)
		}
	})
	if err == nil {
		err = bad
	}
	return out, err
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
