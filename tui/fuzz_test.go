package tui

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// FuzzBodyLines feeds trigger payloads, which come from outside, to the
// detail pane's formatter: it must not panic, must stay bounded, and must
// show short plain text as it is.
func FuzzBodyLines(f *testing.F) {
	for _, seed := range []string{"", "hello", `{"order":42}`, `[1,2,{"a":null}]`, "line1\nline2", "\xff\xfe binary", strings.Repeat("x", maxShownBody+10)} {
		f.Add([]byte(seed), false)
	}
	f.Fuzz(func(t *testing.T, body []byte, truncated bool) {
		lines := bodyLines(body, truncated)
		total := 0
		for _, l := range lines {
			total += len(l)
		}
		// Indented JSON of a bounded body grows by a bounded factor.
		if limit := 8*maxShownBody + 64; total > limit {
			t.Fatalf("%d bytes of output for %d bytes of input", total, len(body))
		}
		if len(body) == 0 && lines != nil {
			t.Fatalf("empty body gave %q", lines)
		}
		plain := utf8.Valid(body) && !strings.ContainsAny(string(body), "\r{[\"0123456789tfn") && len(body) <= maxShownBody && !truncated
		if plain && len(body) > 0 {
			if got := strings.Join(lines, "\n"); got != strings.TrimRight(string(body), "\n") {
				t.Fatalf("text body shown as %q, want %q", got, body)
			}
		}
	})
}

// FuzzWrapLines checks that wrapped text never exceeds the width it is
// wrapped to, so log and detail lines cannot break the layout.
func FuzzWrapLines(f *testing.F) {
	f.Add("Executing 'Functions.HttpExample' (Reason='This function was programmatically called', Id=5f2a)", 30)
	f.Add("a\nb\r\nccccccccccccccccccccccccc", 5)
	f.Add("日本語のテキスト", 3)
	f.Fuzz(func(t *testing.T, text string, width int) {
		if width < 2 || width > 500 || !utf8.ValidString(text) {
			return
		}
		for _, l := range wrapLines(text, width) {
			if w := ansi.StringWidth(l); w > width {
				t.Fatalf("line %q is %d wide, limit %d", l, w, width)
			}
		}
	})
}
