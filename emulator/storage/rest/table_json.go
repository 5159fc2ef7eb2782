package rest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/funcemu/funcemu/emulator/storage"
	"github.com/funcemu/funcemu/emulator/storage/odata"
)

func errTableInput(format string, args ...any) *Error {
	return errorf(http.StatusBadRequest, "InvalidInput", "One of the request inputs is not valid. ("+format+")", args...)
}

// parseEntity reads an entity's JSON body: properties in the order sent,
// typed by their @odata.type annotation or, without one, by their JSON
// form (string, boolean, Int32 for integers that fit, else Double).
// Timestamp and odata.* members are ignored; null values are dropped.
func parseEntity(body []byte) (storage.TableEntity, bool, bool, error) {
	var e storage.TableEntity
	members, ok := scanFlatObject(body)
	if !ok {
		var err error
		if members, err = decodeObject(body); err != nil {
			return e, false, false, err
		}
	} else if err := checkDuplicateMembers(members); err != nil {
		return e, false, false, err
	}
	e.Properties = make([]storage.TableProperty, 0, len(members))
	var hasPK, hasRK bool
	for _, m := range members {
		if strings.HasPrefix(m.name, "odata.") || strings.HasSuffix(m.name, "@odata.type") || m.name == "Timestamp" {
			continue
		}
		if string(m.raw) == "null" {
			continue
		}
		if m.name == "PartitionKey" || m.name == "RowKey" {
			s, err := jsonStringValue(m.raw)
			if err != nil {
				return e, false, false, errorf(http.StatusBadRequest, "InvalidInput", "One of the request inputs is not valid. (%s must be a string)", m.name)
			}
			if m.name == "PartitionKey" {
				e.PartitionKey, hasPK = s, true
			} else {
				e.RowKey, hasRK = s, true
			}
			continue
		}
		var edm string
		if a, ok := annotationOf(members, m.name); ok && string(a) != "null" {
			var err error
			if edm, err = jsonStringValue(a); err != nil {
				return e, false, false, errTableInput("%s@odata.type must be a string", m.name)
			}
		}
		p, err := propertyValue(m.name, edm, m.raw)
		if err != nil {
			return e, false, false, err
		}
		e.Properties = append(e.Properties, p)
	}
	return e, hasPK, hasRK, nil
}

// objectMember is one name and value of a JSON object, as sent.
type objectMember struct {
	name string
	raw  json.RawMessage
}

// checkDuplicateMembers refuses a name sent twice, naming the first
// repeat as addMember does; an entity's few members are compared in
// place, without a map.
func checkDuplicateMembers(members []objectMember) error {
	if len(members) > 16 {
		values := make(map[string]json.RawMessage, len(members))
		for _, m := range members {
			if err := addMember(values, m); err != nil {
				return err
			}
		}
		return nil
	}
	for i := range members {
		for j := 0; j < i; j++ {
			if members[i].name == members[j].name {
				return addMember(map[string]json.RawMessage{members[j].name: nil}, members[i])
			}
		}
	}
	return nil
}

// annotationOf is the value of the member name@odata.type, if sent.
func annotationOf(members []objectMember, name string) (json.RawMessage, bool) {
	const suffix = "@odata.type"
	for _, m := range members {
		if len(m.name) == len(name)+len(suffix) && strings.HasPrefix(m.name, name) && strings.HasSuffix(m.name, suffix) {
			return m.raw, true
		}
	}
	return nil, false
}

// addMember records a member, refusing a name sent twice.
func addMember(values map[string]json.RawMessage, m objectMember) error {
	if _, dup := values[m.name]; dup {
		return errorf(http.StatusBadRequest, "DuplicatePropertiesSpecified", "A property is specified more than one time. (%s)", m.name)
	}
	values[m.name] = m.raw
	return nil
}

// decodeObject reads a JSON object's members with the decoder, reporting
// the first fault (a repeated name included) in the order met.
func decodeObject(body []byte) ([]objectMember, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return nil, errTableInput("the body is not a JSON object")
	}
	var members []objectMember
	values := map[string]json.RawMessage{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, errTableInput("the body is not valid JSON: %v", err)
		}
		name := t.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, errTableInput("the value of %q is not valid JSON: %v", name, err)
		}
		m := objectMember{name, raw}
		if err := addMember(values, m); err != nil {
			return nil, err
		}
		members = append(members, m)
	}
	if _, err := dec.Token(); err != nil {
		return nil, errTableInput("the body is not valid JSON: %v", err)
	}
	if dec.More() {
		return nil, errTableInput("the body has data after the JSON object")
	}
	return members, nil
}

func errValueType(name, edm string, raw []byte) *Error {
	v := string(raw)
	if len(v) > 64 {
		v = v[:64] + "…"
	}
	return errorf(http.StatusBadRequest, "InvalidInput", "One of the request inputs is not valid. (%s: %s is not a valid %s value)", name, v, edm)
}

// propertyValue converts one JSON value to its typed stored form.
func propertyValue(name, edm string, raw json.RawMessage) (storage.TableProperty, error) {
	p := storage.TableProperty{Name: name}
	v, err := jsonScalar(raw)
	if err != nil {
		return p, errTableInput("%s: %v", name, err)
	}
	str, isStr := v.(string)
	num, isNum := v.(json.Number)
	if edm == "" {
		switch x := v.(type) {
		case string:
			p.Type, p.Value = odata.String, x
		case bool:
			p.Type, p.Value = odata.Boolean, x
		case json.Number:
			if i, err := strconv.ParseInt(string(x), 10, 32); err == nil {
				p.Type, p.Value = odata.Int32, i
			} else if f, err := x.Float64(); err == nil {
				p.Type, p.Value = odata.Double, f
			} else {
				return p, errValueType(name, "Edm.Double", raw)
			}
		default:
			return p, errTableInput("%s: a property value must be a string, number or boolean, not an object or array", name)
		}
		return p, nil
	}
	t, ok := odata.TypeOf(edm)
	if !ok {
		return p, errTableInput("%s@odata.type %q is not a known EDM type", name, edm)
	}
	p.Type = t
	bad := func() (storage.TableProperty, error) { return p, errValueType(name, edm, raw) }
	switch t {
	case odata.String:
		if !isStr {
			return bad()
		}
		p.Value = str
	case odata.Boolean:
		b, ok := v.(bool)
		if !ok {
			return bad()
		}
		p.Value = b
	case odata.Int32:
		if !isNum {
			return bad()
		}
		i, err := strconv.ParseInt(string(num), 10, 32)
		if err != nil {
			return bad()
		}
		p.Value = i
	case odata.Int64:
		text := str
		if isNum {
			text = string(num)
		} else if !isStr {
			return bad()
		}
		i, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			return bad()
		}
		p.Value = i
	case odata.Double:
		var f float64
		var err error
		switch {
		case isNum:
			f, err = num.Float64()
		case isStr && (str == "NaN" || str == "Infinity" || str == "-Infinity" || str == "INF" || str == "-INF"):
			f, err = strconv.ParseFloat(strings.Replace(str, "INF", "Inf", 1), 64)
		default:
			return bad()
		}
		if err != nil {
			return bad()
		}
		p.Value = storage.DoubleValue(f)
	case odata.DateTime:
		if !isStr {
			return bad()
		}
		d, err := odata.ParseDateTime(str)
		if err != nil {
			return bad()
		}
		p.Value = odata.FormatDateTime(d)
	case odata.Guid:
		if !isStr {
			return bad()
		}
		g, err := odata.NormalizeGuid(str)
		if err != nil {
			return bad()
		}
		p.Value = g
	case odata.Binary:
		if !isStr {
			return bad()
		}
		b, err := base64.StdEncoding.DecodeString(str)
		if err != nil {
			return bad()
		}
		p.Value = odata.EncodeBinary(b)
	}
	return p, nil
}

// jsonStringValue decodes a JSON string value (a member's RawMessage),
// failing for any other kind.
func jsonStringValue(raw json.RawMessage) (string, error) {
	// A plain string (jsonScalar's first case) without going through
	// any, which cost an allocation more for every key and annotation.
	if len(raw) >= 2 && raw[0] == '"' {
		if inner := raw[1 : len(raw)-1]; bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
			return string(inner), nil
		}
	}
	v, err := jsonScalar(raw)
	if err != nil {
		return "", err
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%.20s is not a string", raw)
	}
	return s, nil
}

// jsonScalar decodes one JSON value as a Decoder with UseNumber would.
// raw is already known to be valid JSON (a member's RawMessage), so the
// scalars entities are made of are read without a decoder per property.
func jsonScalar(raw json.RawMessage) (any, error) {
	if len(raw) > 0 {
		switch c := raw[0]; {
		case c == '"' && len(raw) >= 2:
			inner := raw[1 : len(raw)-1]
			if bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
				return string(inner), nil
			}
		case c == '-' || c >= '0' && c <= '9':
			return json.Number(raw), nil
		case string(raw) == "true":
			return true, nil
		case string(raw) == "false":
			return false, nil
		}
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// metadataLevel is the odata= parameter of Accept.
type metadataLevel int

const (
	noMetadata metadataLevel = iota
	minimalMetadata
	fullMetadata
)

func acceptedMetadata(r *Request) metadataLevel {
	a := strings.ToLower(r.Header().Get("Accept"))
	if f := r.Param("$format"); f != "" {
		a = strings.ToLower(f)
	}
	switch {
	case strings.Contains(a, "odata=nometadata"):
		return noMetadata
	case strings.Contains(a, "odata=fullmetadata"):
		return fullMetadata
	}
	return minimalMetadata
}

func (m metadataLevel) contentType() string {
	name := [...]string{"nometadata", "minimalmetadata", "fullmetadata"}[m]
	return "application/json;odata=" + name + ";streaming=true;charset=utf-8"
}

// entityWriter renders entities in the requested metadata level.
type entityWriter struct {
	level   metadataLevel
	account string // base URL with the account, for odata.* links
	table   string
	// selected, when not nil, are the only user properties written
	// ($select); a selected property the entity lacks is written as null.
	selected []string
}

// jsonString writes s as a JSON string, as encoding/json would.
func jsonString(b *bytes.Buffer, s string) { b.Write(appendJSONString(b.AvailableBuffer(), s)) }

// appendJSONString appends s as a JSON string, as encoding/json would;
// plain ASCII (most keys, names and values) is copied without the
// encoder.
func appendJSONString(out []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if !jsonPlain[s[i]] {
			enc, _ := json.Marshal(s)
			return append(out, enc...)
		}
	}
	out = append(out, '"')
	out = append(out, s...)
	return append(out, '"')
}

// jsonPlain marks the bytes encoding/json copies as they are: printable
// ASCII but for the quote, the backslash and the HTML-sensitive <, > and &.
var jsonPlain = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

func member(b *bytes.Buffer, first *bool, name string) {
	b.Write(appendMember(b.AvailableBuffer(), first, name))
}

// appendMember appends a member's name and colon, after a comma unless
// it is the object's first.
func appendMember(out []byte, first *bool, name string) []byte {
	if !*first {
		out = append(out, ',')
	}
	*first = false
	return append(appendJSONString(out, name), ':')
}

// appendKey is appendMember for a name given as its literal with the
// colon (`"RowKey":`).
func appendKey(out []byte, first *bool, literal string) []byte {
	if !*first {
		out = append(out, ',')
	}
	*first = false
	return append(out, literal...)
}

// entityPath is the entity's resource path, keys quoted as OData does.
func entityPath(table, pk, rk string) string {
	var b strings.Builder
	b.Grow(len(table) + len(pk) + len(rk) + 30)
	b.WriteString(table)
	b.WriteString("(PartitionKey='")
	quoteKey(&b, pk)
	b.WriteString("',RowKey='")
	quoteKey(&b, rk)
	b.WriteString("')")
	return b.String()
}

// quoteKey writes a key inside OData quotes, its quotes doubled.
func quoteKey(b *strings.Builder, k string) {
	for {
		i := strings.IndexByte(k, '\'')
		if i < 0 {
			b.WriteString(k)
			return
		}
		b.WriteString(k[:i+1])
		b.WriteByte('\'')
		k = k[i+1:]
	}
}

// write renders one entity; element is true for a single-entity answer,
// which carries odata.metadata.
func (w *entityWriter) write(b *bytes.Buffer, e *storage.TableEntity, element bool) {
	var stamp [40]byte
	first := w.head(b, e.PartitionKey, e.RowKey, e.AppendTimestamp(stamp[:0]), element)
	if w.selected == nil {
		for i := range e.Properties {
			w.property(b, &first, &e.Properties[i])
		}
	} else {
		for _, name := range w.selected {
			switch name {
			case "PartitionKey", "RowKey", "Timestamp":
				continue
			}
			if p := e.Property(name); p != nil {
				w.property(b, &first, p)
			} else {
				member(b, &first, name)
				b.WriteString("null")
			}
		}
	}
	b.WriteByte('}')
}

// head opens an entity's object and writes its metadata, keys and
// Timestamp (the wire form of its Timestamp given, which its ETag is
// made of); it reports whether nothing was written after the brace, as
// member's first.
func (w *entityWriter) head(b *bytes.Buffer, pk, rk string, stamp []byte, element bool) bool {
	out, first := w.appendHead(b.AvailableBuffer(), pk, rk, stamp, element)
	b.Write(out)
	return first
}

// appendHead is head appending to out: a page is written entity by
// entity in the buffer's free space, with one copy per entity rather
// than a call per byte.
func (w *entityWriter) appendHead(out []byte, pk, rk string, stamp []byte, element bool) ([]byte, bool) {
	first := true
	out = append(out, '{')
	if w.level >= minimalMetadata && element {
		out = appendKey(out, &first, `"odata.metadata":`)
		out = appendJSONString(out, w.account+"/$metadata#"+w.table+"/@Element")
	}
	if w.level == fullMetadata {
		out = appendKey(out, &first, `"odata.type":`)
		out = appendJSONString(out, accountName(w.account)+"."+w.table)
		out = appendKey(out, &first, `"odata.id":`)
		out = appendJSONString(out, w.account+"/"+entityPath(w.table, pk, rk))
	}
	if w.level >= minimalMetadata {
		out = appendKey(out, &first, `"odata.etag":`)
		out = appendETagJSON(out, stamp)
	}
	if w.level == fullMetadata {
		out = appendKey(out, &first, `"odata.editLink":`)
		out = appendJSONString(out, entityPath(w.table, pk, rk))
	}
	if w.wants("PartitionKey") {
		out = appendKey(out, &first, `"PartitionKey":`)
		out = appendJSONString(out, pk)
	}
	if w.wants("RowKey") {
		out = appendKey(out, &first, `"RowKey":`)
		out = appendJSONString(out, rk)
	}
	if w.wants("Timestamp") {
		if w.level == fullMetadata {
			out = appendKey(out, &first, `"Timestamp@odata.type":`)
			out = appendJSONString(out, "Edm.DateTime")
		}
		out = appendKey(out, &first, `"Timestamp":`)
		out = append(out, '"')
		out = append(out, stamp...)
		out = append(out, '"')
	}
	return out, first
}

// appendETagJSON appends the ETag made of stamp as a JSON string, its
// quotes escaped, without forming the ETag first.
func appendETagJSON(out, stamp []byte) []byte {
	out = append(out, '"')
	out = storage.AppendETagOf(out, stamp, `\"`)
	return append(out, '"')
}

// wants reports whether $select (if any) names the property.
func (w *entityWriter) wants(name string) bool {
	if w.selected == nil {
		return true
	}
	for _, s := range w.selected {
		if s == name {
			return true
		}
	}
	return false
}

func (w *entityWriter) property(b *bytes.Buffer, first *bool, p *storage.TableProperty) {
	if w.level != noMetadata && needsAnnotation(p, w.level) {
		member(b, first, p.Name+"@odata.type")
		jsonString(b, p.Type.EdmName())
	}
	member(b, first, p.Name)
	writeValue(b, p)
}

// needsAnnotation: minimal metadata annotates what JSON cannot tell apart
// (Int64, DateTime, Guid, Binary, and Doubles written as strings); full
// metadata annotates every type but String, Boolean and Int32.
func needsAnnotation(p *storage.TableProperty, level metadataLevel) bool {
	_, special := p.Value.(string)
	return annotated(p.Type, special, level)
}

// annotated is needsAnnotation by type; special is a Double held as a
// string (NaN, Infinity, -Infinity).
func annotated(t odata.Type, special bool, level metadataLevel) bool {
	switch t {
	case odata.String, odata.Boolean, odata.Int32:
		return false
	case odata.Double:
		return special || level == fullMetadata
	}
	return true
}

func writeValue(b *bytes.Buffer, p *storage.TableProperty) {
	switch v := p.Value.(type) {
	case string:
		switch p.Type {
		case odata.Binary:
			raw, _ := odata.DecodeBinary(v)
			jsonString(b, base64.StdEncoding.EncodeToString(raw))
		default:
			jsonString(b, v)
		}
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case int64:
		if p.Type == odata.Int64 {
			jsonString(b, strconv.FormatInt(v, 10))
		} else {
			b.WriteString(strconv.FormatInt(v, 10))
		}
	case float64:
		var num [32]byte
		b.Write(appendDouble(num[:0], v))
	default:
		b.WriteString("null")
	}
}

// appendDouble always shows a Double as one (5.0, not 5), so clients
// that infer types from JSON do not read it as Int32.
func appendDouble(b []byte, f float64) []byte {
	start := len(b)
	b = strconv.AppendFloat(b, f, 'g', -1, 64)
	if !bytes.ContainsAny(b[start:], ".eEnN") && !math.IsInf(f, 0) {
		b = append(b, ".0"...)
	}
	return b
}

// accountName is the last path segment of the account URL.
func accountName(accountURL string) string {
	return accountURL[strings.LastIndexByte(accountURL, '/')+1:]
}

// parseSelect reads $select; nil means all properties.
func parseSelect(v string) ([]string, error) {
	v = strings.TrimSpace(v)
	if v == "" || v == "*" {
		return nil, nil
	}
	var out []string
	for _, f := range strings.Split(v, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			return nil, fmt.Errorf("empty property name")
		}
		out = append(out, f)
	}
	return out, nil
}
