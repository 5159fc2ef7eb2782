package bindexpr

import (
	"bytes"
	"encoding/json"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Data is the binding data of one invocation: the values {expressions}
// read. Keys match case-insensitively. Values are strings, bools, numbers,
// json.Number, time.Time, GUID, Sys, or nested map[string]any objects for
// dotted paths ({order.customer.id}).
type Data map[string]any

// Lookup returns the value under key, matched case-insensitively (an exact
// match first, then the alphabetically first that differs only in case).
func (d Data) Lookup(key string) (any, bool) {
	return lookupFold(d, key)
}

func lookupFold(m map[string]any, key string) (any, bool) {
	if v, ok := m[key]; ok {
		return v, true
	}
	var found []string
	for k := range m {
		if strings.EqualFold(k, key) {
			found = append(found, k)
		}
	}
	if len(found) == 0 {
		return nil, false
	}
	sort.Strings(found)
	return m[found[0]], true
}

// Sys is the host's "sys" binding data object: {sys.MethodName} is the
// function name, {sys.UtcNow} the current UTC time and {sys.RandGuid} a
// new GUID on every read.
type Sys struct {
	MethodName string
}

// BindingData returns the top-level properties of a JSON object payload
// (a queue message, an HTTP body) as binding data, the way the host adds
// them: arrays and nulls skipped, nested objects kept as objects, scalars
// converted to the strings .NET would print (7 -> "7", true -> "True",
// 1.50 -> "1.5", ISO dates -> "05/01/2024 12:00:00"). It returns nil when
// the payload is not a JSON object.
func BindingData(payload []byte) Data {
	trimmed := bytes.TrimSpace(payload)
	if len(trimmed) < 2 || trimmed[0] != '{' || trimmed[len(trimmed)-1] != '}' {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil
	}
	data := Data{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil
		}
		key, _ := tok.(string)
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil
		}
		switch v := v.(type) {
		case nil, []any:
			continue
		case map[string]any:
			deleteFold(data, key)
			data[key] = v
		default:
			deleteFold(data, key)
			data[key] = jsonScalarString(v)
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil
	}
	return data
}

// deleteFold removes keys equal to key but for case, so a later property
// wins over an earlier one as in the host's case-insensitive dictionary.
func deleteFold(d Data, key string) {
	for k := range d {
		if strings.EqualFold(k, key) {
			delete(d, k)
		}
	}
}

// jsonScalarString prints a decoded JSON scalar the way Newtonsoft's
// string conversion does.
func jsonScalarString(v any) string {
	switch v := v.(type) {
	case string:
		if t, ok := newtonsoftDate(v); ok {
			return t.Format("01/02/2006 15:04:05")
		}
		return v
	case bool:
		if v {
			return "True"
		}
		return "False"
	case json.Number:
		return dotnetNumber(string(v))
	case nil:
		return ""
	}
	return ""
}

// dotnetNumber prints a JSON number as .NET does after Newtonsoft parsed
// it: integers verbatim, others as a double's shortest round-trip form.
func dotnetNumber(s string) string {
	if !strings.ContainsAny(s, ".eE") {
		if s == "-0" {
			return "0"
		}
		return s
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) {
		return s
	}
	return dotnetDouble(f)
}

// dotnetDouble formats f like .NET Core's double.ToString(): fixed notation
// for decimal exponents from -5 to 14, else "1.5E+20" / "1E-05".
func dotnetDouble(f float64) string {
	if f == 0 {
		return "0"
	}
	e := strconv.FormatFloat(f, 'E', -1, 64) // shortest digits, e.g. 1.5E+20, 1E-05
	mant, exps, _ := strings.Cut(e, "E")
	exp, _ := strconv.Atoi(exps)
	if exp > -5 && exp < 15 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	sign := exps[0]
	digits := strings.TrimLeft(exps[1:], "0")
	for len(digits) < 2 {
		digits = "0" + digits
	}
	return mant + "E" + string(sign) + digits
}

// newtonsoftDate recognises the ISO 8601 date-times Newtonsoft turns into
// DateTime values when it parses JSON ("2024-05-01T12:00:00",
// "...Z", "...+02:00", with up to 7 fraction digits). Times with an offset
// come back in the machine's local time zone, as Newtonsoft converts them.
func newtonsoftDate(s string) (time.Time, bool) {
	if len(s) < len("2006-01-02T15:04:05") || s[4] != '-' || s[10] != 'T' {
		return time.Time{}, false
	}
	base, rest := s[:19], s[19:]
	t, err := time.Parse("2006-01-02T15:04:05", base)
	if err != nil {
		return time.Time{}, false
	}
	if strings.HasPrefix(rest, ".") {
		n := 1
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		if n == 1 || n > 8 {
			return time.Time{}, false
		}
		frac, _ := strconv.Atoi((rest[1:n] + "0000000")[:7])
		t = t.Add(time.Duration(frac) * 100)
		rest = rest[n:]
	}
	switch {
	case rest == "" || rest == "Z":
		return t, true
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		h, err1 := strconv.Atoi(rest[1:3])
		m, err2 := strconv.Atoi(rest[4:6])
		if err1 != nil || err2 != nil || h > 14 || m > 59 {
			return time.Time{}, false
		}
		off := h*3600 + m*60
		if rest[0] == '-' {
			off = -off
		}
		wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.FixedZone("", off))
		return wall.In(time.Local), true
	}
	return time.Time{}, false
}
