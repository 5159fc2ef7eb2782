package route

import "testing"

// BenchmarkMatch measures matching on the HTTP trigger's hot path: a plain
// template, constrained parameters, a complex segment and a miss.
func BenchmarkMatch(b *testing.B) {
	cases := []struct{ name, template, path string }{
		{"literal", "api/health", "/api/health"},
		{"int-param", "api/products/{id:int:min(1)}", "/api/products/12345"},
		{"complex", "api/files/{name}.{ext?}", "/api/files/report.final.pdf"},
		{"catch-all", "api/static/{*path}", "/api/static/css/site/main.css"},
		{"miss", "api/products/{id:int}", "/api/orders/5"},
	}
	for _, c := range cases {
		tpl, err := Parse(c.template)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				tpl.Match(c.path)
			}
		})
	}
}
