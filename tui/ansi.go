package tui

// ANSI colours matching the Core Tools console theme.
const (
	ansiReset      = "\x1b[0m"
	ansiRed        = "\x1b[91m"
	ansiYellow     = "\x1b[93m"
	ansiDarkYellow = "\x1b[33m"
	ansiDarkGray   = "\x1b[90m"
	ansiGray       = "\x1b[37m"
)

// paint wraps s in colour when on is set and the colour is not empty.
func paint(on bool, colour, s string) string {
	if !on || colour == "" || s == "" {
		return s
	}
	return colour + s + ansiReset
}
