package storage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/funcemu/funcemu/emulator/storage/odata"
)

// TableEntity is one entity: its keys, the server's Timestamp, and the
// other properties in the order they were sent.
type TableEntity struct {
	PartitionKey string
	RowKey       string
	Timestamp    time.Time
	Properties   []TableProperty
	// ParentID is the invocation whose output binding wrote the entity.
	ParentID string
	// stamp is the stored text of stampOf, kept from the read so that
	// answering a query need not format each Timestamp again.
	stamp   string
	stampOf time.Time
}

// AppendTimestamp appends the Timestamp in the DateTime wire form.
func (e *TableEntity) AppendTimestamp(b []byte) []byte {
	if e.stamp != "" && e.stampOf.Equal(e.Timestamp) {
		return append(b, e.stamp...)
	}
	return odata.AppendDateTime(b, e.Timestamp)
}

// AppendETag appends the entity's ETag (see appendETag).
func (e *TableEntity) AppendETag(b []byte) []byte {
	var stamp [40]byte
	return appendETag(b, e.AppendTimestamp(stamp[:0]))
}

// TableProperty is one typed property. Value holds the stored form:
// string (String, DateTime in odata.FormatDateTime form, Guid lower-case,
// Binary as upper-case hex), bool, int64 (Int32, Int64), float64 (Double;
// NaN and infinities as the strings "NaN", "Infinity", "-Infinity").
type TableProperty struct {
	Name  string
	Type  odata.Type
	Value any
}

// ETag is the entity's ETag as the Table service forms it.
func (e *TableEntity) ETag() string { return string(e.AppendETag(make([]byte, 0, 64))) }

// appendETag appends W/"datetime'<Timestamp, colons escaped>'", the
// entity ETag as the Table service forms it.
func appendETag(b, stamp []byte) []byte { return AppendETagOf(b, stamp, `"`) }

// AppendETagOf appends the ETag made of a Timestamp in its wire form
// (appendETag), its two quotes written as quote: `"` as a header carries
// them, `\"` inside a JSON string. A Timestamp holds no quote, so a JSON
// answer can write the ETag in place without escaping it afterwards.
func AppendETagOf(b, stamp []byte, quote string) []byte {
	b = append(b, "W/"...)
	b = append(b, quote...)
	b = append(b, "datetime'"...)
	for {
		i := bytes.IndexByte(stamp, ':')
		if i < 0 {
			break
		}
		b = append(b, stamp[:i]...)
		b = append(b, "%3A"...)
		stamp = stamp[i+1:]
	}
	b = append(b, stamp...)
	b = append(b, '\'')
	return append(b, quote...)
}

// Property returns the named property, or nil.
func (e *TableEntity) Property(name string) *TableProperty {
	for i := range e.Properties {
		if e.Properties[i].Name == name {
			return &e.Properties[i]
		}
	}
	return nil
}

// Limits of the Table service data model.
const (
	MaxEntityBytes        = 1 << 20
	MaxTableProperties    = 255 // including PartitionKey, RowKey and Timestamp
	maxPropertyNameLength = 255
	maxKeyBytes           = 1 << 10
	maxValueBytes         = 64 << 10
)

// validateEntity applies the data model's limits to an entity about to be
// stored, naming the key or property at fault.
func validateEntity(e *TableEntity) error {
	for _, k := range []struct{ name, value string }{{"PartitionKey", e.PartitionKey}, {"RowKey", e.RowKey}} {
		if err := ValidateTableKey(k.name, k.value); err != nil {
			return err
		}
	}
	if n := len(e.Properties) + 3; n > MaxTableProperties {
		return ErrTooManyProperties.with("%d properties including PartitionKey, RowKey and Timestamp, limit %d", n, MaxTableProperties)
	}
	size := 4 + utf16Len(e.PartitionKey)*2 + utf16Len(e.RowKey)*2
	seen := make(map[string]bool, len(e.Properties))
	for _, p := range e.Properties {
		if err := ValidatePropertyName(p.Name); err != nil {
			return err
		}
		if seen[p.Name] {
			return ErrDuplicateProperty.with("%s", p.Name)
		}
		seen[p.Name] = true
		vs := valueSize(p)
		if (p.Type == odata.String || p.Type == odata.Binary) && vs > maxValueBytes {
			return ErrPropertyValueTooLarge.with("%s is %d bytes", p.Name, vs)
		}
		size += 8 + utf16Len(p.Name)*2 + vs
	}
	if size > MaxEntityBytes {
		return ErrEntityTooLarge.with("%d bytes", size)
	}
	return nil
}

// ValidateTableKey checks a PartitionKey or RowKey value.
func ValidateTableKey(name, v string) error {
	if len(v) > maxKeyBytes {
		return ErrKeyTooLarge.with("%s is %d bytes", name, len(v))
	}
	for _, c := range v {
		if c == '/' || c == '\\' || c == '#' || c == '?' || c < 0x20 || c >= 0x7f && c <= 0x9f {
			return ErrInvalidKey.with("%s %q contains the character %q", name, v, c)
		}
	}
	return nil
}

// ValidatePropertyName checks a user property name: a C# identifier of at
// most 255 characters that is not a system property.
func ValidatePropertyName(n string) error {
	if len(n) > maxPropertyNameLength {
		return ErrPropertyNameTooLong.with("%.40s…", n)
	}
	ok := n != ""
	for i := 0; i < len(n) && ok; i++ {
		c := n[i]
		ok = c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9'
	}
	if !ok {
		return ErrInvalidPropertyName.with("%q", n)
	}
	switch n {
	case "PartitionKey", "RowKey", "Timestamp":
		return ErrInvalidPropertyName.with("%s is a system property", n)
	}
	return nil
}

// utf16Len is the length of s in UTF-16 code units, counted without
// converting (an invalid byte counts as one, as utf16.Encode's U+FFFD).
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// valueSize is a property value's size as the service counts it.
func valueSize(p TableProperty) int {
	switch p.Type {
	case odata.String:
		return 4 + utf16Len(p.Value.(string))*2
	case odata.Binary:
		return 4 + len(p.Value.(string))/2
	case odata.Boolean:
		return 1
	case odata.Int32:
		return 4
	case odata.Guid:
		return 16
	}
	return 8
}

// encodeProps is the stored JSON of the properties, in order. Names and
// values are written as json.Marshal writes them (the REST layer copies
// them into answers as they are), without its reflection for the common
// kinds.
func encodeProps(ps []TableProperty) (string, error) {
	b := make([]byte, 0, 64*len(ps)+2)
	b = append(b, '{')
	for i, p := range ps {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, p.Name)
		b = append(b, `:["`...)
		b = append(b, byte(p.Type))
		b = append(b, `",`...)
		switch v := p.Value.(type) {
		case string:
			b = appendJSONString(b, v)
		case bool:
			b = strconv.AppendBool(b, v)
		case int64:
			b = strconv.AppendInt(b, v, 10)
		default:
			val, err := json.Marshal(v)
			if err != nil {
				return "", fmt.Errorf("property %s: %w", p.Name, err)
			}
			b = append(b, val...)
		}
		b = append(b, ']')
	}
	b = append(b, '}')
	return string(b), nil
}

// appendJSONString appends s as json.Marshal writes it; text needing no
// escapes is copied.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			enc, _ := json.Marshal(s)
			return append(b, enc...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// decodeProps reads encodeProps' form back, keeping the order. It scans
// the text itself (the form is fixed and written by encodeProps): the
// general decoder was the largest cost of answering a query.
func decodeProps(raw string) ([]TableProperty, error) {
	// Each property holds one `:["`; a string value holding it too only
	// over-sizes the slice.
	ps := make([]TableProperty, 0, strings.Count(raw, `:["`))
	var bad error
	err := EachStoredProp(raw, func(sp StoredProp) {
		if bad != nil {
			return
		}
		p, err := sp.decode()
		if err != nil {
			bad = err
			return
		}
		ps = append(ps, p)
	})
	if err != nil {
		return nil, err
	}
	return ps, bad
}

// decode is the property with its name and value decoded.
func (sp StoredProp) decode() (TableProperty, error) {
	bad := func() error { return fmt.Errorf("stored properties: malformed property %s", sp.Name) }
	name, _, err := scanString(sp.Name, 0)
	if err != nil {
		return TableProperty{}, bad()
	}
	p := TableProperty{Name: name, Type: sp.Type}
	switch v := sp.Value; {
	case v == "true" || v == "false":
		p.Value = v == "true"
	case v != "" && v[0] == '"':
		str, _, err := scanString(v, 0)
		if err != nil {
			return p, bad()
		}
		p.Value = str
	case p.Type == odata.Double:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return p, bad()
		}
		p.Value = f
	default:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return p, bad()
		}
		p.Value = n
	}
	return p, nil
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r') {
		i++
	}
	return i
}

// scanString reads the JSON string starting at s[i] and returns it and
// the offset after its closing quote.
func scanString(s string, i int) (string, int, error) {
	if i >= len(s) || s[i] != '"' {
		return "", 0, fmt.Errorf("no string")
	}
	escaped := false
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			escaped = true
			j++
		case '"':
			if !escaped {
				return s[i+1 : j], j + 1, nil
			}
			var out string
			if err := json.Unmarshal([]byte(s[i:j+1]), &out); err != nil {
				return "", 0, err
			}
			return out, j + 1, nil
		}
	}
	return "", 0, fmt.Errorf("unterminated string")
}

// valueEnd is the offset after the scalar JSON value at s[i], -1 if none.
func valueEnd(s string, i int) int {
	if i < len(s) && s[i] == '"' {
		_, n, err := scanString(s, i)
		if err != nil {
			return -1
		}
		return n
	}
	j := i
	for j < len(s) && s[j] != ']' && s[j] != ' ' {
		j++
	}
	if j == i || j == len(s) {
		return -1
	}
	return j
}

// DoubleValue is the stored form of a Double: the number, or the names
// JSON cannot hold as numbers.
func DoubleValue(f float64) any {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return f
}
