package cmd

import "io"

// colourOutput reports whether lines written to w may be coloured: only on
// a terminal, and never when NO_COLOR is set (https://no-color.org),
// CLICOLOR is 0 or TERM is dumb. The terminal UI follows the same
// variables through lipgloss.
func colourOutput(f *Factory, w io.Writer) bool {
	return colourAllowed(f.IO.IsTerminal(w), f.Getenv)
}

func colourAllowed(terminal bool, getenv func(string) string) bool {
	if !terminal || getenv("NO_COLOR") != "" || getenv("TERM") == "dumb" {
		return false
	}
	return getenv("CLICOLOR") != "0" || (getenv("CLICOLOR_FORCE") != "" && getenv("CLICOLOR_FORCE") != "0")
}
