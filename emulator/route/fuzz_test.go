package route

import "testing"

// FuzzParseMatch checks that no template or path makes Parse or Match
// panic, that a parsed template reparses from String(), and that a match
// reports a value (possibly nil) for every parameter.
func FuzzParseMatch(f *testing.F) {
	seeds := []struct{ template, path string }{
		{"api/products/{id:int}", "/api/products/5"},
		{"api/{id?}", "/api"},
		{"files/{*path}", "/files/a/b"},
		{"files/{name}.{ext?}", "/files/a.b"},
		{"a{x}b{y}c", "/aXbYc"},
		{"api/{x:regex(^\\d{{3}}$)}", "/api/123"},
		{"{a:range(1,5)=3}/{b:length(1,2)}", "/3/xy"},
		{"{*p}", "/%zz/%41"},
		{"api/{{x}}", "/api/{x}"},
		{"{a}}", "/"},
	}
	for _, s := range seeds {
		f.Add(s.template, s.path)
	}
	f.Fuzz(func(t *testing.T, template, path string) {
		tpl, err := Parse(template)
		if err != nil {
			return
		}
		if tpl.String() != template {
			t.Fatalf("String() = %q, want %q", tpl.String(), template)
		}
		if _, err := Parse(tpl.String()); err != nil {
			t.Fatalf("reparse of %q failed: %v", template, err)
		}
		p, ok := tpl.Match(path)
		if !ok {
			return
		}
		for _, name := range tpl.Parameters() {
			if _, present := p[name]; !present {
				t.Fatalf("Match(%q) on %q has no value for parameter %q: %v", path, template, name, p)
			}
		}
	})
}
