package bindexpr

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"
)

func FuzzParseTemplate(f *testing.F) {
	for _, s := range []string{
		"archive/{DateTime:yyyy-MM-dd}/{rand-guid}-{queueTrigger}.txt", "{a.b.c}", "{{x}}", "{", "}", "{}",
		"{sys.UtcNow:o}", "{DateTime:yyyy.MM}", "{n:N}", "{é}", "{a-b}", "{_x.y-z}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tpl, err := ParseTemplate(s)
		if err != nil {
			return
		}
		data := Data{}
		for i, name := range tpl.Names() {
			data[name] = "v" + strconv.Itoa(i)
		}
		// Plain names resolve from the names the template reports; only
		// dotted paths into strings and bad built-in formats may fail.
		simple := true
		for _, tok := range tpl.tokens {
			if e := tok.expr; e != nil && (e.builtin != "" || len(e.parts) > 1) {
				simple = false
			}
		}
		got, err := tpl.Resolve(data, may1)
		if simple && err != nil {
			t.Fatalf("Resolve(%q) with all its names: %v", s, err)
		}
		if simple && len(tpl.Names()) > 0 && !strings.Contains(got, "v0") {
			t.Fatalf("Resolve(%q) = %q, missing the first name's value", s, got)
		}
	})
}

func FuzzParsePattern(f *testing.F) {
	for _, s := range []string{"input/{name}", "input/{a}.{b}", "images/{d}/{f}.png", "c", "c/fixed", "c/{{x}}{y}"} {
		f.Add(s, "value")
	}
	f.Fuzz(func(t *testing.T, path, value string) {
		p, err := ParsePattern(path)
		if err != nil || p.Names() == nil {
			return
		}
		// Filling every capture with the same text yields a path the
		// pattern must match.
		tpl, err := ParseTemplate(path)
		if err != nil {
			t.Fatalf("ParsePattern accepted %q but ParseTemplate rejects it: %v", path, err)
		}
		data := Data{}
		for _, n := range p.Names() {
			data[n] = value
		}
		blob, err := tpl.Resolve(data, may1)
		if err != nil {
			t.Fatalf("Resolve(%q): %v", path, err)
		}
		if _, ok := p.Match(blob); !ok && !containsNewline(value) {
			t.Fatalf("%q does not match %q built from it", path, blob)
		}
	})
}

func containsNewline(s string) bool {
	for _, r := range s {
		if r == '\n' {
			return true
		}
	}
	return false
}

func FuzzBindingData(f *testing.F) {
	for _, s := range []string{`{"a":1}`, `{"a":{"b":[1]}}`, `{"d":"2024-05-01T12:00:00.1234567+02:00"}`, `[1]`, `{`, `{"a":1e400}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		d := BindingData(payload)
		var obj map[string]any
		if json.Unmarshal(payload, &obj) == nil && obj != nil && d == nil {
			t.Fatalf("BindingData(%q) = nil for a JSON object", payload)
		}
		for k, v := range d {
			switch v.(type) {
			case string, map[string]any:
			default:
				t.Fatalf("BindingData(%q)[%q] is %T, want string or object", payload, k, v)
			}
		}
	})
}

func FuzzFormatDateTime(f *testing.F) {
	for _, s := range []string{DefaultDateTimeFormat, "o", "yyyy'-'MM", "%d", "\\", "FFFFFFF", "zzz K"} {
		f.Add(s, int64(1714571107))
	}
	f.Fuzz(func(t *testing.T, format string, unix int64) {
		tm := time.Unix(unix%(1<<34), 0).UTC()
		_, _ = FormatDateTime(tm, format) // must not panic on any format
		// Quoted text is copied verbatim.
		literal := strings.NewReplacer("'", "", "\\", "").Replace(format)
		if got, err := FormatDateTime(tm, "'"+literal+"'"); err != nil || got != literal {
			t.Fatalf("FormatDateTime(quoted %q) = %q, %v", literal, got, err)
		}
	})
}
