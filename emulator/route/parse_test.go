package route

import (
	"strings"
	"testing"
)

func TestParseAccepts(t *testing.T) {
	tests := []struct {
		template string
		params   []string
	}{
		{"", nil},
		{"api/products", nil},
		{"/api/products", nil},
		{"~/api/products", nil},
		{"api/products/", nil},
		{"api/{id}", []string{"id"}},
		{"api/{id?}", []string{"id"}},
		{"api/{id=5}", []string{"id"}},
		{"api/{id:int}", []string{"id"}},
		{"api/{id:int?}", []string{"id"}},
		{"api/{id:int:min(1)}", []string{"id"}},
		{"api/{id:int:min(1)=7}", []string{"id"}},
		{"api/{*path}", []string{"path"}},
		{"api/{**path}", []string{"path"}},
		{"api/{*path=index.html}", []string{"path"}},
		{"files/{name}.{ext}", []string{"name", "ext"}},
		{"files/{name}.{ext?}", []string{"name", "ext"}},
		{"files/a{x}b{y}c", []string{"x", "y"}},
		{"api/{x:regex(^a/b$)}", []string{"x"}},
		{"api/{x:regex(^(a|b)$)}/{y}", []string{"x", "y"}},
		{"api/{x:regex(^\\d{{3}}$)}", []string{"x"}},
		{"api/{{literal}}", nil},
		{"api/{x:length(2,4)}", []string{"x"}},
		{"api/{x:RANGE(1, 5)}", []string{"x"}},
		{"{a?}/b", []string{"a"}},
	}
	for _, tt := range tests {
		tpl, err := Parse(tt.template)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.template, err)
			continue
		}
		if got := strings.Join(tpl.Parameters(), ","); got != strings.Join(tt.params, ",") {
			t.Errorf("Parse(%q).Parameters() = %q, want %q", tt.template, got, tt.params)
		}
		if tpl.String() != tt.template {
			t.Errorf("String() = %q, want %q", tpl.String(), tt.template)
		}
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		template string
		want     string // part of the message naming what is wrong
	}{
		{"api//x", "consecutively"},
		{"api/{id", "no closing '}'"},
		{"api/id}", "unmatched '}'"},
		{"api/{}", "parameter name \"\" is invalid"},
		{"api/{a{b}", "unescaped '{'"},
		{"api/x?", "'?'"},
		{"api/{a}/{A}", "parameter \"A\" appears more than once"},
		{"api/{*path}/x", "parameter \"path\": a catch-all can only appear in the last segment"},
		{"api/x{*path}", "parameter \"path\": a catch-all cannot share"},
		{"api/{*path?}", "cannot be marked optional"},
		{"api/{id?=5}", "parameter name \"id?\" is invalid"},
		{"api/{id=5?}", "parameter \"id\": an optional parameter cannot have a default value"},
		{"api/{a}{b}", "parameters \"a\" and \"b\" are consecutive"},
		{"api/{a?}.{b}", "optional parameter \"a\" must be at the end"},
		{"api/{a}-{b?}", "only a period"},
		{"api/{id:foo}", "unknown constraint \"foo\""},
		{"api/{id:int(3)}", "takes no arguments"},
		{"api/{id:min}", "needs arguments"},
		{"api/{id:min(x)}", "argument \"x\" is not an integer"},
		{"api/{id:min(1,2)}", "want 1 argument"},
		{"api/{id:range(5,1)}", "min 5 is greater than max 1"},
		{"api/{id:length(1,2,3)}", "want 1 or 2 arguments"},
		{"api/{id:length(-1)}", "negative"},
		{"api/{id:regex}", "needs a pattern"},
		{"api/{id:regex((?<=a)b)}", "invalid regular expression"},
		{"api/{id:regex(a}", "no closing ')'"},
		{"api/{id:}", "empty constraint"},
		{"api/{a/b}", "invalid"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.template)
		if err == nil {
			t.Errorf("Parse(%q) succeeded, want error", tt.template)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) = %q, want it to mention %q", tt.template, err, tt.want)
		}
		if !strings.Contains(err.Error(), tt.template) {
			t.Errorf("Parse(%q) = %q, want it to quote the template", tt.template, err)
		}
	}
}
