package route

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// show renders params as "k=v" pairs sorted by key, nil as "k=<nil>".
func show(p Params) string {
	var kv []string
	for k, v := range p {
		if v == nil {
			kv = append(kv, k+"=<nil>")
		} else {
			kv = append(kv, fmt.Sprintf("%s=%s", k, *v))
		}
	}
	sort.Strings(kv)
	return strings.Join(kv, " ")
}

func TestMatch(t *testing.T) {
	const no = "NO MATCH"
	tests := []struct {
		template, path, want string
	}{
		// literals
		{"api/products", "/api/products", ""},
		{"api/products", "/API/Products", ""},
		{"api/products", "/api/products/", ""},
		{"api/products", "api/products", ""},
		{"api/products", "/api/product", no},
		{"api/products", "/api/products/x", no},
		{"api/products", "/api", no},
		{"", "/", ""},
		{"", "", ""},
		{"", "/x", no},
		{"api/{{x}}", "/api/{x}", ""},
		{"~/api", "/api", ""},
		{"~api", "/~api", ""},
		{"api/caf%C3%A9", "/api/café", no}, // literals are not unescaped
		{"api/café", "/api/caf%C3%A9", ""},
		// parameters
		{"api/products/{id}", "/api/products/5", "id=5"},
		{"api/products/{id}", "/api/products", no},
		{"api/products/{id}", "/api/products/5/6", no},
		{"api/{a}/{b}", "/api/x//", no},
		{"api/{a}/{b}", "/api//y", no},
		{"api/{name}", "/api/hello%20world", "name=hello world"},
		{"api/{name}", "/api/a%2Fb", "name=a/b"},
		{"api/{name}", "/api/a+b", "name=a+b"},
		{"api/{name}", "/api/100%", "name=100%"},
		// optional and default
		{"api/{id?}", "/api", "id=<nil>"},
		{"api/{id?}", "/api/", "id=<nil>"},
		{"api/{id?}", "/api/7", "id=7"},
		{"api/{a?}/{b?}", "/api", "a=<nil> b=<nil>"},
		{"api/{a?}/{b?}", "/api/1", "a=1 b=<nil>"},
		{"{a?}/b", "/b", no},
		{"{a?}/b", "/x/b", "a=x"},
		{"api/{id=5}", "/api", "id=5"},
		{"api/{id=5}", "/api/9", "id=9"},
		{"api/{id=5}/x", "/api", no},
		// catch-all
		{"files/{*path}", "/files/a/b%20c/d.txt", "path=a/b c/d.txt"},
		{"files/{**path}", "/files/a/b", "path=a/b"},
		{"files/{*path}", "/files", "path=<nil>"},
		{"files/{*path}", "/files/", "path=<nil>"},
		{"files/{*path=index.html}", "/files", "path=index.html"},
		{"files/{*path}", "/files/a//b", "path=a//b"},
		// complex segments
		{"files/{name}.{ext}", "/files/report.pdf", "ext=pdf name=report"},
		{"files/{name}.{ext}", "/files/a.b.c.txt", "ext=txt name=a.b.c"},
		{"files/{name}.{ext}", "/files/report", no},
		{"files/{name}.{ext}", "/files/.pdf", no},
		{"files/{name}.{ext}", "/files/report.", no},
		{"files/{name}.{ext?}", "/files/report", "ext=<nil> name=report"},
		{"files/{name}.{ext?}", "/files/report.pdf", "ext=pdf name=report"},
		{"files/{name}.{ext?}", "/files/report.", no},
		{"files/v{major}-{minor}", "/files/V1-2", "major=1 minor=2"},
		{"files/v{major}-{minor}", "/files/x1-2", no},
		{"files/{a}-x", "/files/1-x", "a=1"},
		{"files/{a}-x", "/files/1-xy", no},
		{"files/a{x}b{y}c", "/files/aXbYc", "x=X y=Y"},
		{"files/a{x}b{y}c", "/files/aXbbYc", "x=Xb y=Y"},
		// constraints in a match
		{"api/{id:int}", "/api/42", "id=42"},
		{"api/{id:int}", "/api/abc", no},
		{"api/{id:int?}", "/api", "id=<nil>"},
		{"api/{id:int?}", "/api/x", no},
		{"api/{id:int:min(10)}", "/api/9", no},
		{"api/{id:int:min(10)}", "/api/10", "id=10"},
		{"api/{id:int=abc}", "/api", no}, // the default must pass too
		{"api/{id:int=5}", "/api", "id=5"},
		{"api/{s:regex(^a+$)}", "/api/AAA", "s=AAA"},
		{"api/{s:regex(^a+$)}", "/api/aab", no},
		{"api/{s:regex([a-z]{{2}})}", "/api/hello", "s=hello"},
		{"api/{s:regex(^\\d{{3}}$)}", "/api/123", "s=123"},
		{"api/{s:regex(^\\d{{3}}$)}", "/api/1234", no},
		{"api/{n}.{e:alpha}", "/api/x.json", "e=json n=x"},
		{"api/{n}.{e:alpha}", "/api/x.j2", no},
	}
	for _, tt := range tests {
		tpl, err := Parse(tt.template)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.template, err)
		}
		p, ok := tpl.Match(tt.path)
		got := no
		if ok {
			got = show(p)
		}
		if got != tt.want {
			t.Errorf("Parse(%q).Match(%q) = %q, want %q", tt.template, tt.path, got, tt.want)
		}
	}
}
