package bindexpr

import (
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestTemplateResolve(t *testing.T) {
	data := Data{
		"queueTrigger": "abc",
		"Name":         "file.txt",
		"order":        map[string]any{"Customer": map[string]any{"Id": json.Number("42")}, "paid": true},
		"when":         time.Date(2023, 12, 24, 18, 0, 0, 0, time.UTC),
		"id":           GUID{0x6f, 0x1c, 0x2a, 0x3b, 15: 0xf7},
		"count":        7,
		"ratio":        1.5,
		"sys":          Sys{MethodName: "CopyJob"},
	}
	tests := []struct {
		template, want string
	}{
		{"plain/text.txt", "plain/text.txt"},
		{"out/{queueTrigger}.txt", "out/abc.txt"},
		{"out/{QUEUETRIGGER}", "out/abc"}, // names are case-insensitive
		{"{name}", "file.txt"},
		{"{order.customer.id}", "42"},
		{"{Order.Paid}", "True"},
		{"{order}", ""}, // objects print as nothing, as in the host
		{"{count}-{ratio}", "7-1.5"},
		{"{when}", "2023-12-24T18-00-00Z"},
		{"{when:yyyyMMdd}", "20231224"},
		{"{name:yyyy}", "file.txt"}, // formats apply to dates and GUIDs only
		{"{id:N}", "6f1c2a3b0000000000000000000000f7"},
		{"archive/{DateTime:yyyy-MM-dd}/{queueTrigger}.txt", "archive/2024-05-01/abc.txt"},
		{"{DateTime}", "2024-05-01T13-45-07Z"},
		{"{datetime:HH'h'mm}", "13h45"},
		{"{DateTime:yyyy.MM.dd}", "2024"}, // the host splits at dots before reading the format
		{"{sys.UtcNow}", "2024-05-01T13-45-07Z"},
		{"{sys.utcnow:yyyy}", "2024"},
		{"{sys.MethodName}", "CopyJob"},
		{"{{literal}} {{{name}}}", "{literal} {file.txt}"},
		{"}}{{", "}{"},
	}
	for _, tt := range tests {
		tpl, err := ParseTemplate(tt.template)
		if err != nil {
			t.Errorf("ParseTemplate(%q): %v", tt.template, err)
			continue
		}
		got, err := tpl.Resolve(data, may1)
		if err != nil || got != tt.want {
			t.Errorf("Resolve(%q) = %q, %v; want %q", tt.template, got, err, tt.want)
		}
	}
}

func TestTemplateBindingDataWinsOverBuiltins(t *testing.T) {
	tpl, err := ParseTemplate("{DateTime}/{rand-guid}")
	if err != nil {
		t.Fatal(err)
	}
	got, err := tpl.Resolve(Data{"datetime": "then", "Rand-Guid": "fixed"}, may1)
	if err != nil || got != "then/fixed" {
		t.Fatalf("Resolve = %q, %v; want %q", got, err, "then/fixed")
	}
}

func TestTemplateRandomGUIDs(t *testing.T) {
	tests := []struct {
		template string
		shape    string
	}{
		{"{rand-guid}", `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`},
		{"{rand-guid:N}", `^[0-9a-f]{32}$`},
		{"{RAND-GUID:B}", `^\{[0-9a-f-]{36}\}$`},
		{"{rand-guid:P}", `^\([0-9a-f-]{36}\)$`},
		{"{sys.RandGuid}", `^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`},
	}
	for _, tt := range tests {
		tpl, err := ParseTemplate(tt.template)
		if err != nil {
			t.Fatal(err)
		}
		a, errA := tpl.Resolve(nil, may1)
		b, errB := tpl.Resolve(nil, may1)
		if errA != nil || errB != nil {
			t.Fatalf("Resolve(%q): %v, %v", tt.template, errA, errB)
		}
		if !regexp.MustCompile(tt.shape).MatchString(a) {
			t.Errorf("Resolve(%q) = %q, not of shape %s", tt.template, a, tt.shape)
		}
		if a == b {
			t.Errorf("Resolve(%q) gave %q twice; each resolution needs a new GUID", tt.template, a)
		}
	}
}

func TestTemplateResolveErrors(t *testing.T) {
	tests := []struct {
		template string
		data     Data
		want     string
	}{
		{"{missing}", Data{}, "No value for named parameter 'missing'."},
		{"{order.nope}", Data{"order": map[string]any{"a": "b"}}, "Error while accessing 'nope': property doesn't exist."},
		{"{name.length}", Data{"name": "x"}, "Error while accessing 'length': property doesn't exist."},
		{"{when:q}", Data{"when": time.Now()}, "date format"},
		{"{rand-guid:Z}", nil, "guid format"},
	}
	for _, tt := range tests {
		tpl, err := ParseTemplate(tt.template)
		if err != nil {
			t.Fatal(err)
		}
		_, err = tpl.Resolve(tt.data, may1)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Resolve(%q) error = %v, want %q", tt.template, err, tt.want)
		}
	}
}

func TestParseTemplateErrors(t *testing.T) {
	tests := []struct{ template, want string }{
		{"a{", "Invalid template 'a{'. Missing closing bracket at position 2."},
		{"a{b{c}", "Invalid template 'a{b{c}'. Missing closing bracket at position 2."},
		{"ab}", "Invalid template 'ab}'. Missing opening bracket at position 3."},
		{"{a}}", "Invalid template '{a}}'. Missing opening bracket at position 4."},
		{"x{}", "Invalid template 'x{}'. The parameter name at position 2 is empty."},
		{"{1abc}", "Invalid template '{1abc}'. Invalid template expression '1abc'"},
		{"{a b}", "Invalid template expression 'a b'"},
		{"{my-name}", "The parameter name 'my-name' is invalid."},
		{"{a..b}", "Illegal expression"},
		{"{:x}", "Invalid template expression ':x'"},
	}
	for _, tt := range tests {
		_, err := ParseTemplate(tt.template)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseTemplate(%q) error = %v, want %q", tt.template, err, tt.want)
		}
	}
}

func TestTemplateNames(t *testing.T) {
	tpl, err := ParseTemplate("{a}/{B.c}/{DateTime}/{rand-guid:N}/{A}/{d:yyyy}/{sys.UtcNow}")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a", "B", "d", "sys"}
	if got := tpl.Names(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Names() = %q, want %q", got, want)
	}
	if tpl.String() != "{a}/{B.c}/{DateTime}/{rand-guid:N}/{A}/{d:yyyy}/{sys.UtcNow}" {
		t.Fatalf("String() = %q", tpl.String())
	}
}
