package rest

import "testing"

func TestCloseEmptyElements(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"<a></a>": "<a />",
		"<Blob><Content-Encoding></Content-Encoding><x>1</x></Blob>": "<Blob><Content-Encoding /><x>1</x></Blob>",
		"<a></b>":                      "<a></b>",
		"<ab></a>":                     "<ab></a>",
		"<a></ab>":                     "<a></ab>",
		`<Name Encoded="true"></Name>`: `<Name Encoded="true"></Name>`,
		"<a />":                        "<a />",
		"<a>&lt;b&gt;&lt;/b&gt;</a>":   "<a>&lt;b&gt;&lt;/b&gt;</a>",
		"<m><n></n></m>":               "<m><n /></m>",
		"<m></m><n></n>":               "<m /><n />",
		"<!--<a></a>-->":               "<!--<a></a>-->",
		"<a></a":                       "<a></a",
		"text <a":                      "text <a",
		"":                             "",
	} {
		if got := string(closeEmptyElements([]byte(in))); got != want {
			t.Errorf("closeEmptyElements(%q) = %q, want %q", in, got, want)
		}
	}
}
