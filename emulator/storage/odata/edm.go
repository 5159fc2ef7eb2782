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
func FormatDateTime(t time.Time) string { return t.UTC().Format(dateTimeLayout) }

// ParseDateTime reads an ISO 8601 date-time as clients send it; a value
// without a zone is taken as UTC.
func ParseDateTime(s string) (time.Time, error) {
	for _, l := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.9999999", "2006-01-02T15:04Z", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not an ISO 8601 date and time", s)
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
