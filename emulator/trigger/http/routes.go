package httptrigger

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/route"
)

// routeEntry is one HTTP-triggered function's route.
type routeEntry struct {
	fn       *emulator.Function
	trigger  *emulator.Binding
	template *route.Template
	methods  []string // upper-case; empty = any
}

// routeTable holds the routes in function-name order: the first match
// wins, as in the real host.
type routeTable struct {
	entries []*routeEntry
}

// Template is the route template of an HTTP trigger:
// routePrefix/(route or the function name).
func Template(a *emulator.App, fn *emulator.Function, trigger *emulator.Binding) string {
	r := trigger.Route
	if r == "" {
		r = fn.Name
	}
	r = strings.TrimPrefix(r, "/")
	if a.Host.RoutePrefix == "" {
		return r
	}
	return strings.Trim(a.Host.RoutePrefix, "/") + "/" + r
}

func newRouteTable(a *emulator.App) (*routeTable, error) {
	t := &routeTable{}
	for _, fn := range a.Functions { // sorted by name by the loader
		tr := fn.Trigger()
		if tr == nil || tr.Kind() != emulator.BindingHTTPTrigger {
			continue
		}
		tmpl, err := route.Parse(Template(a, fn, tr))
		if err != nil {
			return nil, fmt.Errorf("%s/function.json: route: %w", fn.Name, err)
		}
		e := &routeEntry{fn: fn, trigger: tr, template: tmpl}
		for _, m := range tr.Methods {
			e.methods = append(e.methods, strings.ToUpper(m))
		}
		t.entries = append(t.entries, e)
	}
	return t, nil
}

// match finds the first route whose template and method accept r. A
// method mismatch is simply no match (404, not 405), as in the real host.
func (t *routeTable) match(r *http.Request) (*routeEntry, route.Params, bool) {
	path := r.URL.EscapedPath()
	for _, e := range t.entries {
		if !e.allows(r.Method) {
			continue
		}
		if p, ok := e.template.Match(path); ok {
			return e, p, true
		}
	}
	return nil, nil, false
}

func (e *routeEntry) allows(method string) bool {
	if len(e.methods) == 0 {
		return true
	}
	for _, m := range e.methods {
		if strings.EqualFold(m, method) {
			return true
		}
	}
	return false
}
