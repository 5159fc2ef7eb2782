package bindings

import (
	"net/url"
	"strings"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/route"
)

// addRouteData adds an HTTP trigger's route values ({id}) to the binding
// data rebuilt from a recorded request, as the host's binding data has
// them, so output bindings can use them too.
func (b *Bindings) addRouteData(fn *emulator.Function, r *emulator.HTTPRequest, m map[string]any) {
	t := fn.Trigger()
	if t == nil || t.Kind() != emulator.BindingHTTPTrigger {
		return
	}
	text := strings.TrimPrefix(t.Route, "/")
	if text == "" {
		text = fn.Name
	}
	if p := strings.Trim(b.app.Load().Host.RoutePrefix, "/"); p != "" {
		text = p + "/" + text
	}
	tmpl, err := route.Parse(text)
	if err != nil {
		return
	}
	u, err := url.Parse(r.URL)
	if err != nil {
		return
	}
	params, ok := tmpl.Match(u.EscapedPath())
	if !ok {
		return
	}
	for k, v := range params {
		if v != nil {
			set(m, k, *v)
		}
	}
}
