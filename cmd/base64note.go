package cmd

import (
	"encoding/base64"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// decodedBase64Text is s decoded when s is standard base64 of readable
// UTF-8 text, as queue messages in the host's default encoding are.
func decodedBase64Text(s string) (string, bool) {
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

// noteBase64Input tells, when an invoke input looks base64-encoded, that
// it reaches the trigger as written: the host decodes base64 only for
// messages it reads from a queue, never for an admin API input.
func noteBase64Input(w io.Writer, input string) {
	text, ok := decodedBase64Text(input)
	if !ok {
		return
	}
	fmt.Fprintf(w, "note: the input is base64 for %q; invoke passes it unchanged (only messages read from a queue are base64-decoded by the host)\n", text)
}
