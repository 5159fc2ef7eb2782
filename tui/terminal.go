package tui

import (
	"os"

	"github.com/charmbracelet/x/term"
)

// Interactive reports whether both in and out are terminals, which is when
// the UI should run; otherwise the Printer should print lines.
func Interactive(in, out *os.File) bool {
	return in != nil && out != nil && term.IsTerminal(in.Fd()) && term.IsTerminal(out.Fd())
}
