package build

import (
	"reflect"
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name   string
		output string
		want   []emulator.CompileError
	}{
		{"none", "", nil},
		{
			"with column",
			"# hello\n./main.go:12:5: undefined: foo\n",
			[]emulator.CompileError{{File: "main.go", Line: 12, Column: 5, Message: "undefined: foo"}},
		},
		{
			"without column, nested path",
			"# hello/api\napi/x.go:3: syntax error: unexpected }\n",
			[]emulator.CompileError{{File: "api/x.go", Line: 3, Message: "syntax error: unexpected }"}},
		},
		{
			"continuation lines",
			"./a.go:1:2: cannot use x (variable of type int) as string value in assignment:\n\tneed string\n./b.go:4:1: missing return\n./b.go:9:1: too many errors\n",
			[]emulator.CompileError{
				{File: "a.go", Line: 1, Column: 2, Message: "cannot use x (variable of type int) as string value in assignment:\nneed string"},
				{File: "b.go", Line: 4, Column: 1, Message: "missing return"},
				{File: "b.go", Line: 9, Column: 1, Message: "too many errors"},
			},
		},
		{"windows line ends", "main.go:1:1: bad\r\n", []emulator.CompileError{{File: "main.go", Line: 1, Column: 1, Message: "bad"}}},
		{"not a diagnostic", "go: cannot find main module\n\tsee go help modules\n", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ParseErrors(tc.output); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("ParseErrors = %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func FuzzParseErrors(f *testing.F) {
	f.Add("./main.go:12:5: undefined: foo\n\tmore\n")
	f.Add("x.go:1: y")
	f.Add("# pkg\n")
	f.Fuzz(func(t *testing.T, out string) {
		for _, e := range ParseErrors(out) {
			if !strings.HasSuffix(e.File, ".go") || e.Line < 0 || e.Column < 0 || e.Message == "" {
				t.Fatalf("bad diagnostic %+v from %q", e, out)
			}
		}
	})
}
