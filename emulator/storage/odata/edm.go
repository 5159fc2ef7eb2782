package odata

import (
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// Type is an entity property's EDM type as the store encodes it: one
// letter in the stored JSON, so filters compare type and value in SQL.
type Type byte

// The EDM types the Table service knows.
const (
	String   Type = 's'
	Boolean  Type = 'b'
	Int32    Type = 'i'
	Int64    Type = 'l'
	Double   Type = 'd'
	DateTime Type = 't'
	Guid     Type = 'g'
	Binary   Type = 'x'
)

var edmNames = map[Type]string{
	String: "Edm.String", Boolean: "Edm.Boolean", Int32: "Edm.Int32", Int64: "Edm.Int64",
	Double: "Edm.Double", DateTime: "Edm.DateTime", Guid: "Edm.Guid", Binary: "Edm.Binary",
}

// EdmName is the type's @odata.type name, e.g. "Edm.Int64".
func (t Type) EdmName() string { return edmNames[t] }

// TypeOf returns the type named by an @odata.type value.
func TypeOf(edmName string) (Type, bool) {
	for t, n := range edmNames {
		if n == edmName {
			return t, true
		}
	}
	return 0, false
}

// dateTimeLayout is how the store keeps and the service answers
// DateTime values: UTC, always seven fractional digits, so that stored
// values order as text in the same order as in time.
const dateTimeLayout = "2006-01-02T15:04:05.0000000Z"

// FormatDateTime renders t in the store's and the wire's DateTime form.
func FormatDateTime(t time.Time) string {
	var b [len(dateTimeLayout)]byte
	return string(AppendDateTime(b[:0], t))
}

// AppendDateTime appends FormatDateTime(t) to b. It writes the digits
// itself: time.Format was a visible share of answering a query, where
// every entity carries its Timestamp twice (value and ETag).
func AppendDateTime(b []byte, t time.Time) []byte {
	t = t.UTC()
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		return t.AppendFormat(b, dateTimeLayout)
	}
	hour, minute, sec := t.Clock()
	b = appendDigits(b, year, 4)
	b = append(b, '-')
	b = appendDigits(b, int(month), 2)
	b = append(b, '-')
	b = appendDigits(b, day, 2)
	b = append(b, 'T')
	b = appendDigits(b, hour, 2)
	b = append(b, ':')
	b = appendDigits(b, minute, 2)
	b = append(b, ':')
	b = appendDigits(b, sec, 2)
	b = append(b, '.')
	b = appendDigits(b, t.Nanosecond()/100, 7)
	return append(b, 'Z')
}

// appendDigits appends v zero-padded to n digits (v < 10^n).
func appendDigits(b []byte, v, n int) []byte {
	start := len(b)
	for i := 0; i < n; i++ {
		b = append(b, '0')
	}
	for i := len(b) - 1; i >= start; i-- {
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return b
}

// ParseDateTime reads an ISO 8601 date-time as clients send it; a value
// without a zone is taken as UTC.
func ParseDateTime(s string) (time.Time, error) {
	if t, ok := parseStoredDateTime(s); ok {
		return t, nil
	}
	for _, l := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.9999999", "2006-01-02T15:04Z", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not an ISO 8601 date and time", s)
}

// parseStoredDateTime reads the exact form FormatDateTime writes (what
// the store holds), without trying layouts one by one.
func parseStoredDateTime(s string) (time.Time, bool) {
	if len(s) != len(dateTimeLayout) || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.' || s[27] != 'Z' {
		return time.Time{}, false
	}
	num := func(from, to int) (int, bool) {
		v := 0
		for i := from; i < to; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	year, ok1 := num(0, 4)
	month, ok2 := num(5, 7)
	day, ok3 := num(8, 10)
	hour, ok4 := num(11, 13)
	minute, ok5 := num(14, 16)
	sec, ok6 := num(17, 19)
	frac, ok7 := num(20, 27)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7) || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, frac*100, time.UTC)
	if t.Day() != day { // e.g. February 30th: let time.Parse reject it
		return time.Time{}, false
	}
	return t, true
}

// NormalizeGuid checks a GUID's form and returns it lower-cased, the form
// the store keeps and compares.
func NormalizeGuid(s string) (string, error) {
	g := strings.ToLower(strings.Trim(s, "{}"))
	if len(g) != 36 || g[8] != '-' || g[13] != '-' || g[18] != '-' || g[23] != '-' {
		return "", fmt.Errorf("%q is not a GUID", s)
	}
	if _, err := hex.DecodeString(strings.ReplaceAll(g, "-", "")); err != nil {
		return "", fmt.Errorf("%q is not a GUID", s)
	}
	return g, nil
}

// EncodeBinary is the stored form of a binary value: upper-case hex, which
// orders as the bytes do.
func EncodeBinary(b []byte) string { return strings.ToUpper(hex.EncodeToString(b)) }

// DecodeBinary reverses EncodeBinary.
func DecodeBinary(s string) ([]byte, error) { return hex.DecodeString(s) }
