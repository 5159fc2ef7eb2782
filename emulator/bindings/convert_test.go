package bindings

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestQueueMessages(t *testing.T) {
	tests := []struct {
		name  string
		value string
		raw   []byte
		want  []string
	}{
		{"array fans out", `["a","b"]`, nil, []string{"a", "b"}},
		{"string holding an array", `"[1,2]"`, nil, []string{"1", "2"}},
		{"string holding an object is indented", `"{\"a\":1}"`, nil, []string{"{\n  \"a\": 1\n}"}},
		{"object is indented", `{"id":7,"tags":["x"]}`, nil, []string{"{\n  \"id\": 7,\n  \"tags\": [\n    \"x\"\n  ]\n}"}},
		{"plain string", `"hello"`, nil, []string{"hello"}},
		{"number", `100`, nil, []string{"100"}},
		{"bool", `true`, nil, []string{"True"}},
		{"null writes nothing", `null`, nil, nil},
		{"array of objects and nulls", `[{"a":1},null,false]`, nil, []string{"{\n  \"a\": 1\n}", "False"}},
		{"decoded bytes", `"dGVzdA=="`, []byte("test"), []string{"test"}},
		{"string like broken JSON", `"[not json"`, nil, []string{"[not json"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := queueMessages(json.RawMessage(tc.value), tc.raw)
			if err != nil {
				t.Fatal(err)
			}
			var gs []string
			for _, m := range got {
				gs = append(gs, string(m))
			}
			if strings.Join(gs, "|") != strings.Join(tc.want, "|") || len(gs) != len(tc.want) {
				t.Errorf("got %q, want %q", gs, tc.want)
			}
		})
	}
}

func TestBlobContent(t *testing.T) {
	tests := []struct {
		name  string
		value string
		raw   []byte
		want  []byte
	}{
		{"string", `"hello"`, nil, []byte("hello")},
		{"object compact", `{ "a" : [1, 2] }`, nil, []byte(`{"a":[1,2]}`)},
		{"int32", `100`, nil, []byte{100, 0, 0, 0}},
		{"int64", `4294967296`, nil, []byte{0, 0, 0, 0, 1, 0, 0, 0}},
		{"double", `1.5`, nil, []byte{0, 0, 0, 0, 0, 0, 0xf8, 0x3f}},
		{"bool", `true`, nil, []byte{1}},
		{"null", `null`, nil, nil},
		{"raw bytes", `"AAEC"`, []byte{0, 1, 2}, []byte{0, 1, 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := blobContent(json.RawMessage(tc.value), tc.raw)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(tc.want) || (got == nil) != (tc.want == nil) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func FuzzQueueMessages(f *testing.F) {
	for _, s := range []string{`["a",{"b":1}]`, `"[1,2]"`, `{"a":1}`, `"x"`, `7`, `null`, `[`, `"\u00e9"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !json.Valid([]byte(s)) {
			return // the host only hands over values it parsed as JSON
		}
		msgs, err := queueMessages(json.RawMessage(s), nil)
		if err != nil {
			t.Fatalf("queueMessages(%q): %v", s, err)
		}
		for _, m := range msgs {
			if m == nil {
				t.Fatalf("queueMessages(%q) gave a nil message", s)
			}
		}
		if _, err := blobContent(json.RawMessage(s), nil); err != nil {
			t.Fatalf("blobContent(%q): %v", s, err)
		}
	})
}
