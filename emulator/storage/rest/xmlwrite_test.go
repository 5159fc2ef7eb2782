package rest

import (
	"encoding/xml"
	"strings"
	"testing"
	"unicode/utf8"
)

type xmlProbe struct {
	XMLName xml.Name    `xml:"Probe"`
	Attr    string      `xml:"Attr,attr"`
	Text    string      `xml:"Text"`
	Meta    metadataXML `xml:"Metadata"`
}

func TestAzureXMLEscapesOnlyWhatAzureEscapes(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ text, want string }{
		{`say "hi"`, `<Text>say "hi"</Text>`},
		{`it's`, `<Text>it's</Text>`},
		{"a\nb\tc\rd", "<Text>a\nb\tc\rd</Text>"},
		{`<a & b>`, `<Text>&lt;a &amp; b&gt;</Text>`},
		{`&#34; literally`, `<Text>&amp;#34; literally</Text>`},
		{`"0x8DC0FFEE"`, `<Text>"0x8DC0FFEE"</Text>`},
	} {
		out, err := marshalAzureXML(xmlProbe{Attr: c.text, Text: c.text})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(out), c.want) {
			t.Errorf("text %q: got %s, want it to contain %s", c.text, out, c.want)
		}
	}
	out, err := marshalAzureXML(xmlProbe{Attr: "q\"a'b\nc"})
	if err != nil {
		t.Fatal(err)
	}
	if want := `Attr="q&quot;a&apos;b&#xA;c"`; !strings.Contains(string(out), want) {
		t.Errorf("attribute: got %s, want %s", out, want)
	}
}

func TestAzureXMLKeepsCommentsAndCDATA(t *testing.T) {
	t.Parallel()
	in := `<a>&#34;<!-- &#34; --><![CDATA[&#34;]]></a>`
	if got, want := string(azureEscaping([]byte(in))), `<a>"<!-- &#34; --><![CDATA[&#34;]]></a>`; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
}

// xmlCarries maps a string to what any XML 1.0 parser hands back for it:
// runes XML cannot carry are replaced by U+FFFD when written, and a CR,
// written raw as Azure does, reaches the application as LF (XML 1.0
// section 2.11, end-of-line handling).
func xmlCarries(s string) string {
	var b strings.Builder
	rs := []rune(s) // each invalid byte becomes U+FFFD, as encoding/xml writes it
	for i, r := range rs {
		switch {
		case r == '\r':
			if i+1 < len(rs) && rs[i+1] == '\n' {
				continue
			}
			b.WriteRune('\n')
		case r == '\n' || r == '\t' || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000:
			b.WriteRune(r)
		default:
			b.WriteRune(utf8.RuneError)
		}
	}
	return b.String()
}

func roundTrip(t *testing.T, s string) {
	t.Helper()
	out, err := marshalAzureXML(xmlProbe{Attr: s, Text: s, Meta: metadataXML{"k": s}})
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Attr string `xml:"Attr,attr"`
		Text string `xml:"Text"`
		Meta string `xml:"Metadata>k"`
	}
	if err := xml.Unmarshal(out, &back); err != nil {
		t.Fatalf("%q: %v in %s", s, err, out)
	}
	want := xmlCarries(s)
	if back.Text != want || back.Meta != want {
		t.Fatalf("text %q came back %q and %q from %s", s, back.Text, back.Meta, out)
	}
	// Attribute whitespace stays a character reference, so it survives
	// exactly, CR included.
	wantAttr := strings.ReplaceAll(xmlCarries(strings.ReplaceAll(s, "\r", "\uE000")), "\uE000", "\r")
	if back.Attr != wantAttr {
		t.Fatalf("attribute %q came back %q from %s", s, back.Attr, out)
	}
	for _, ref := range []string{"&#34;", "&#39;", "&#x9;", "&#xA;"} {
		if i := strings.Index(string(out), "<Text>"); strings.Contains(string(out[i:]), ref) {
			t.Fatalf("text %q written with %s: %s", s, ref, out)
		}
	}
}

func TestAzureXMLRoundTripsEveryCharacter(t *testing.T) {
	t.Parallel()
	var all strings.Builder
	for r := rune(0); r < 0x3000; r++ {
		all.WriteRune(r)
	}
	roundTrip(t, all.String())
	for _, s := range []string{"", "\r\n", "a\r\rb", "\uFFFE\uFFFF", "😀 &amp; &#34;", "]]>", "<!--", "\xff\xfe"} {
		roundTrip(t, s)
	}
}

func FuzzAzureXMLRoundTrip(f *testing.F) {
	for _, s := range []string{"plain", `"quoted" 'single'`, "line\nbreak\r\n\ttab", "<&>", "&#34;", "]]><!--"} {
		f.Add(s)
	}
	f.Fuzz(roundTrip)
}
