package rest

import (
	"bytes"
	"encoding/xml"
	"fmt"
)

// marshalAzureXML marshals v and rewrites the escaping the way Azure's
// .NET writer does. encoding/xml writes `"`, `'`, tab, CR and LF in text
// as numeric character references (&#34; &#39; &#x9; &#xA; &#xD;); Azure
// writes them as the characters themselves and escapes only & < > in
// text. Parsers that decode only the five named entities (the JavaScript
// SDKs') would otherwise hand those references to users verbatim: a
// listing ETag would read &#34;0x…&#34; and a message's newlines would be
// lost. In attribute values quotes become &quot; / &apos; and whitespace
// stays a reference, since a parser normalizes raw whitespace there.
func marshalAzureXML(v any) ([]byte, error) {
	out, err := xml.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode xml: %w", err)
	}
	return azureEscaping(out), nil
}

// Character references encoding/xml writes, and what Azure writes instead
// in text and in attribute values.
var (
	textReferences = []struct{ ref, text string }{
		{"&#34;", `"`}, {"&#39;", "'"}, {"&#x9;", "\t"}, {"&#xA;", "\n"}, {"&#xD;", "\r"},
	}
	attrReferences = []struct{ ref, text string }{
		{"&#34;", "&quot;"}, {"&#39;", "&apos;"},
	}
)

// azureEscaping rewrites well-formed XML as encoding/xml produces it. It
// tracks markup: text between tags, attribute values inside them, and
// comments and CDATA sections (which raw inner XML may hold) are copied
// as they are.
func azureEscaping(in []byte) []byte {
	out := make([]byte, 0, len(in))
	inTag, inAttr := false, byte(0)
	for i := 0; i < len(in); {
		c := in[i]
		switch {
		case !inTag && c == '<':
			if end, ok := verbatimSection(in[i:]); ok {
				out = append(out, in[i:i+end]...)
				i += end
				continue
			}
			inTag = true
		case inTag && inAttr == 0 && c == '>':
			inTag = false
		case inTag && (c == '"' || c == '\''):
			if inAttr == 0 {
				inAttr = c
			} else if inAttr == c {
				inAttr = 0
			}
		case c == '&':
			refs := textReferences
			if inTag {
				refs = attrReferences
			}
			if n, repl, ok := matchReference(in[i:], refs); ok {
				out = append(out, repl...)
				i += n
				continue
			}
		}
		out = append(out, c)
		i++
	}
	return out
}

// verbatimSection reports the length of a comment or CDATA section at the
// start of b.
func verbatimSection(b []byte) (int, bool) {
	for _, s := range []struct{ open, close string }{{"<!--", "-->"}, {"<![CDATA[", "]]>"}} {
		if bytes.HasPrefix(b, []byte(s.open)) {
			if end := bytes.Index(b[len(s.open):], []byte(s.close)); end >= 0 {
				return len(s.open) + end + len(s.close), true
			}
			return len(b), true
		}
	}
	return 0, false
}

func matchReference(b []byte, refs []struct{ ref, text string }) (int, string, bool) {
	for _, r := range refs {
		if bytes.HasPrefix(b, []byte(r.ref)) {
			return len(r.ref), r.text, true
		}
	}
	return 0, "", false
}
