package tui

import (
	"net"
	"net/url"
	"strings"

	"github.com/funcemu/funcemu/emulator"
)

// displayBaseURL turns the listener URL into the one users are shown:
// loopback and wildcard hosts become localhost, like Core Tools prints.
func displayBaseURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return strings.TrimRight(raw, "/")
	}
	host, port := u.Hostname(), u.Port()
	switch host {
	case "127.0.0.1", "0.0.0.0", "::", "::1", "":
		host = "localhost"
	}
	if port != "" {
		u.Host = net.JoinHostPort(host, port)
	} else {
		u.Host = host
	}
	return strings.TrimRight(u.String(), "/")
}

// functionURL is the address of an HTTP-triggered function: base URL, route
// prefix, then the route as written or the function name.
func functionURL(base, routePrefix string, f *emulator.Function) string {
	route := f.Name
	if t := f.Trigger(); t != nil && t.Route != "" {
		route = t.Route
	}
	prefix := strings.Trim(routePrefix, "/")
	if prefix == "" {
		return base + "/" + strings.TrimLeft(route, "/")
	}
	return base + "/" + prefix + "/" + strings.TrimLeft(route, "/")
}

// methodsText renders function.json methods as Core Tools does:
// "[GET,POST]", or "" when the function lists none.
func methodsText(methods []string) string {
	if len(methods) == 0 {
		return ""
	}
	up := make([]string, len(methods))
	for i, m := range methods {
		up[i] = strings.ToUpper(m)
	}
	return "[" + strings.Join(up, ",") + "]"
}

// isHTTPFunction reports whether f is triggered by HTTP.
func isHTTPFunction(f *emulator.Function) bool {
	t := f.Trigger()
	return t != nil && t.Kind() == emulator.BindingHTTPTrigger
}

// triggerType is the trigger type as written in function.json, or "".
func triggerType(f *emulator.Function) string {
	if t := f.Trigger(); t != nil {
		return t.Type
	}
	return ""
}

// functionsBlock returns the lines of the startup "Functions:" listing
// (without timestamps) and which of them are headers or warnings, in
// Core Tools order: enabled HTTP functions, other enabled functions, then
// disabled ones.
func functionsBlock(app *emulator.App, base string) []styledLine {
	if app == nil || len(app.Functions) == 0 {
		return nil
	}
	lines := []styledLine{{}, {text: "Functions:", style: styleHeader}, {}}
	for _, f := range app.Functions {
		if f.Disabled || !isHTTPFunction(f) {
			continue
		}
		url := functionURL(base, app.Host.RoutePrefix, f)
		lines = append(lines,
			styledLine{text: "\t" + f.Name + ": " + methodsText(f.Trigger().Methods) + " " + url},
			styledLine{})
	}
	for _, f := range app.Functions {
		if f.Disabled || isHTTPFunction(f) {
			continue
		}
		lines = append(lines, styledLine{text: "\t" + f.Name + ": " + triggerType(f) + notEmulatedNote(f)}, styledLine{})
	}
	for _, f := range app.Functions {
		if f.Disabled {
			lines = append(lines, styledLine{text: "Function " + f.Name + " is disabled.", style: styleWarning})
		}
	}
	return lines
}

// notEmulatedNote follows a function whose trigger funcemu does not run,
// with how to fire it anyway.
func notEmulatedNote(f *emulator.Function) string {
	if t := f.Trigger(); t == nil || !t.NotEmulated {
		return ""
	}
	return " (not emulated; funcemu invoke " + f.Name + " --input '...' fires it, as POST /admin/functions/" + f.Name + " does)"
}

// lineStyle says how a printed line is coloured.
type lineStyle int

const (
	stylePlain lineStyle = iota
	styleHeader
	styleWarning
	styleError
	styleDebug
)

// styledLine is one output line before colouring.
type styledLine struct {
	text  string
	style lineStyle
}
