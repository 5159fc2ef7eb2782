package cmd

import (
	"fmt"
	"io"

	"github.com/funcemu/funcemu/tui"
)

// noteBase64Input tells, when an invoke input looks base64-encoded, that
// it reaches the trigger as written: the host decodes base64 only for
// messages it reads from a queue, never for an admin API input.
func noteBase64Input(w io.Writer, input string) {
	text, ok := tui.DecodedBase64Text(input)
	if !ok {
		return
	}
	fmt.Fprintf(w, "note: the input is base64 for %q; invoke passes it unchanged (only messages read from a queue are base64-decoded by the host)\n", text)
}
