package tui

import (
	"encoding/base64"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DecodedBase64Text is s decoded when s is standard base64 of readable
// UTF-8 text, as queue messages in the host's default messageEncoding
// are; ok is false for anything else.
func DecodedBase64Text(s string) (text string, ok bool) {
	t := strings.TrimSpace(s)
	if len(t) < 4 || len(t)%4 != 0 {
		return "", false
	}
	b, err := base64.StdEncoding.DecodeString(t)
	if err != nil || len(b) == 0 || !utf8.Valid(b) {
		return "", false
	}
	for _, r := range string(b) {
		if !unicode.IsPrint(r) && !unicode.IsSpace(r) {
			return "", false
		}
	}
	return string(b), true
}

// messageBodyText is a message body for the queue view: decoded, and
// marked so, when it is base64 of text.
func messageBodyText(body string) string {
	if text, ok := DecodedBase64Text(body); ok {
		return "(base64) " + text
	}
	return body
}
