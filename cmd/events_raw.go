package cmd

import (
	"bytes"
	"fmt"
	"io"

	"github.com/funcemu/funcemu/emulator/journal"
	"github.com/funcemu/funcemu/tui"
)

// writeExchange prints what the host sent the handler and what it
// answered, unindented and unchanged, so they can be copied into a test.
func writeExchange(w io.Writer, rec *journal.Record) error {
	x := rec.Exchange
	if x == nil {
		return fmt.Errorf("invocation %s has no recorded exchange with the handler: a forwarded HTTP request reaches it as sent (events show %s prints it)", rec.ID, rec.ID)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s (%d bytes%s)\n", x.Path, len(x.Request), truncatedNote(x.RequestTruncated))
	b.Write(x.Request)
	if x.Status == 0 {
		b.WriteString("\n\nno answer\n")
	} else {
		fmt.Fprintf(&b, "\n\nHTTP %d (%d bytes%s)\n", x.Status, len(x.Response), truncatedNote(x.ResponseTruncated))
		b.Write(x.Response)
		b.WriteString("\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}

func truncatedNote(cut bool) string {
	if cut {
		return ", truncated"
	}
	return ""
}

// writeMessage prints a queue message, decoded as well when it is base64
// of text, as the host's default messageEncoding writes it.
func writeMessage(b *bytes.Buffer, body string) {
	writeBody(b, []byte(body), false)
	if text, ok := tui.DecodedBase64Text(body); ok {
		b.WriteString("    (base64, decoded:)\n")
		writeBody(b, []byte(text), false)
	}
}
