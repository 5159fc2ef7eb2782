package app

import (
	"fmt"
	"strings"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/route"
)

// checkRoutes moves the HTTP functions whose full route (routePrefix and
// route) is not a valid template into broken, so a bad routePrefix or
// route stops only the functions it touches.
func checkRoutes(host emulator.HostConfig, fns []*emulator.Function, broken []*emulator.FunctionError) ([]*emulator.Function, []*emulator.FunctionError) {
	kept := fns[:0]
	for _, fn := range fns {
		i, tr := triggerIndex(fn)
		if tr == nil || tr.Kind() != emulator.BindingHTTPTrigger {
			kept = append(kept, fn)
			continue
		}
		r := tr.Route
		if r == "" {
			r = fn.Name
		}
		full := strings.TrimPrefix(r, "/")
		if p := strings.Trim(host.RoutePrefix, "/"); p != "" {
			full = p + "/" + full
		}
		if _, err := route.Parse(full); err != nil {
			field := fmt.Sprintf("bindings[%d].route", i)
			broken = append(broken, &emulator.FunctionError{Name: fn.Name,
				Err: invalid(fn.Name+"/"+functionFile, field, "with routePrefix %q: %v", host.RoutePrefix, err)})
			continue
		}
		kept = append(kept, fn)
	}
	return kept, broken
}

// triggerIndex is the trigger binding and its index in bindings.
func triggerIndex(fn *emulator.Function) (int, *emulator.Binding) {
	for i, b := range fn.Bindings {
		if b.IsTrigger() {
			return i, b
		}
	}
	return -1, nil
}
