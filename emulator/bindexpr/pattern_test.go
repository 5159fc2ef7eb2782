package bindexpr

import (
	"reflect"
	"strings"
	"testing"
)

func TestPatternMatch(t *testing.T) {
	tests := []struct {
		pattern, blob string
		want          map[string]string // nil: no match
	}{
		{"input/{name}", "input/file.txt", map[string]string{"name": "file.txt"}},
		{"input/{name}", "input/dir/sub/file.txt", map[string]string{"name": "dir/sub/file.txt"}},
		{"input/{blobname}.{blobextension}", "input/a.b.c.txt", map[string]string{"blobname": "a.b.c", "blobextension": "txt"}},
		{"input/{name}.csv", "input/report.csv", map[string]string{"name": "report"}},
		{"input/{name}.csv", "input/report.CSV", nil}, // case-sensitive, as in the host
		{"input/{name}.csv", "other/report.csv", nil},
		{"input/original-{name}", "input/original-x.png", map[string]string{"name": "x.png"}},
		{"input/original-{name}", "input/x.png", nil},
		{"images/{dir}/{file}", "images/a/b/c.png", map[string]string{"dir": "a/b", "file": "c.png"}},
		{"input/{{literal}}/{name}", "input/{literal}/x", map[string]string{"name": "x"}},
		{"input/{n}-{n}", "input/a-b-c", map[string]string{"n": "c"}}, // a repeated name keeps its last capture
		{"input/a+b(c).txt", "input/a+b(c).txt", map[string]string{}},
		{"input/a+b(c).txt", "input/a+b(c)-txt", nil},
		{"input/{name}", "input/", map[string]string{"name": ""}},
		{"samples", "samples/any/blob.txt", map[string]string{}}, // container only: every blob
		{"samples", "samplesx/blob.txt", nil},
		{"samples/fixed.txt", "samples/fixed.txt", map[string]string{}},
		{"samples/fixed.txt", "samples/fixed.txt2", nil},
	}
	for _, tt := range tests {
		p, err := ParsePattern(tt.pattern)
		if err != nil {
			t.Errorf("ParsePattern(%q): %v", tt.pattern, err)
			continue
		}
		got, ok := p.Match(tt.blob)
		if ok != (tt.want != nil) || (ok && !reflect.DeepEqual(got, tt.want)) {
			t.Errorf("%q.Match(%q) = %v, %v; want %v", tt.pattern, tt.blob, got, ok, tt.want)
		}
	}
}

func TestPatternParts(t *testing.T) {
	p, err := ParsePattern("input/{name}.{ext}")
	if err != nil {
		t.Fatal(err)
	}
	if p.Container() != "input" || p.String() != "input/{name}.{ext}" {
		t.Fatalf("Container() = %q, String() = %q", p.Container(), p.String())
	}
	if !reflect.DeepEqual(p.Names(), []string{"name", "ext"}) {
		t.Fatalf("Names() = %q", p.Names())
	}
}

func TestParsePatternErrors(t *testing.T) {
	tests := []struct{ path, want string }{
		{"/blob", "Paths must be in the format 'container/blob'."},
		{"container/", "Paths must be in the format 'container/blob'."},
		{`con\tainer/x`, "Paths must be in the format 'container/blob'."},
		{"{c}/x", "Container paths cannot contain {resolve} tokens."},
		{"input/{a.b}", "cannot have dots"},
		{"input/{rand-guid}", "built-in"},
		{"input/{", "Missing closing bracket"},
		{"Samples/fixed.txt", "container name"},
		{"ab/fixed.txt", "3 to 63"},
		{"a--b/fixed.txt", "container name"},
	}
	for _, tt := range tests {
		_, err := ParsePattern(tt.path)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParsePattern(%q) error = %v, want %q", tt.path, err, tt.want)
		}
	}
	if _, err := ParsePattern("$root/x"); err != nil {
		t.Errorf("ParsePattern($root/x): %v", err)
	}
}
