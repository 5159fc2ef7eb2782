package rest

import (
	"strings"
	"unicode/utf8"
)

// blobNameXML is a blob or prefix <Name>. A name XML cannot carry (control
// characters, U+FFFE, U+FFFF, invalid UTF-8 — names stored before such
// names were refused, or noncharacters) is percent-encoded with
// Encoded="true", as Azure lists it; the SDKs decode it back.
type blobNameXML struct {
	Encoded bool   `xml:"Encoded,attr,omitempty"`
	Text    string `xml:",chardata"`
}

func listedName(name string) blobNameXML {
	if !needsEncoding(name) {
		return blobNameXML{Text: name}
	}
	return blobNameXML{Encoded: true, Text: percentEncode(name)}
}

func needsEncoding(s string) bool {
	for i, c := range s {
		if c == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size <= 1 {
				return true
			}
		}
		if c < 0x20 || c == 0x7F || c == 0xFFFE || c == 0xFFFF {
			return true
		}
	}
	return false
}

// percentEncode escapes every byte but unreserved characters and "/", so
// both decodeURIComponent (JavaScript) and url.QueryUnescape (Go, where
// an unescaped "+" would read as a space) return the name.
func percentEncode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-_.~/", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
