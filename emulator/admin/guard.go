package admin

import (
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// ClientHeader is sent by funcemu's own command line on admin calls. Like
// a JSON content type, a custom header cannot be set by a cross-site form
// or a CORS "simple" request, so either one proves the caller is not a web
// page riding on the developer's browser.
const ClientHeader = "X-Funcemu-Client"

// GuardOptions say which requests may reach the admin API.
type GuardOptions struct {
	// Address is the address funcemu listens on (--address). Requests
	// whose Host names it are allowed, as are loopback names and
	// addresses; with an unspecified address (0.0.0.0, ::) any address of
	// this machine is.
	Address string
	// Origins are the --cors origins a browser page may call the admin
	// API from. "*" does not count: a wildcard meant for trying function
	// routes from a dev server must not let every web site drive funcemu.
	Origins []string
	// Keys, when set, require the master key on every admin request.
	Keys Authorizer
	// ProofHeaders are further headers that, like ClientHeader, mark a
	// state-changing request as no browser's simple request: a page can
	// set none of them cross-site without a CORS preflight, which the
	// Origin check then refuses. Event Grid's aeg-event-type is one.
	ProofHeaders []string
}

// Authorizer checks the key a request carries for an authorization level
// ("function" or "admin") of a function.
type Authorizer interface {
	Allows(r *http.Request, level, function string) bool
}

// Guard wraps the admin API with the checks that keep other web sites and
// DNS rebinding from driving it: the Host must be this machine, an Origin
// must be the server's own or listed in --cors, state-changing calls must
// be JSON (or carry ClientHeader), and, with keys on, the master key.
func Guard(next http.Handler, o GuardOptions) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !allowedHost(r.Host, o.Address) {
			deny(w, http.StatusForbidden, "Host header "+quote(r.Host)+" does not name this machine (loopback or --address): the admin API refuses it to defeat DNS rebinding")
			return
		}
		if origin := r.Header.Get("Origin"); origin != "" && !sameOrigin(origin, r.Host) && !listedOrigin(origin, o.Origins) {
			deny(w, http.StatusForbidden, "Origin "+quote(origin)+" may not call the admin API: add it to --cors to allow it")
			return
		}
		if o.Keys != nil && !o.Keys.Allows(r, "admin", "") {
			deny(w, http.StatusUnauthorized, "the admin API needs the master key in the x-functions-key header or the code query parameter")
			return
		}
		if changesState(r) && !jsonOrClient(r) && !hasAny(r.Header, o.ProofHeaders) {
			deny(w, http.StatusUnsupportedMediaType, "Content-Type: the admin API takes application/json on "+r.Method+" (or the "+ClientHeader+" header)")
			return
		}
		next.ServeHTTP(w, r)
	})
}

func deny(w http.ResponseWriter, status int, msg string) {
	http.Error(w, "funcemu: "+msg, status)
}

func quote(s string) string { return `"` + s + `"` }

// allowedHost reports whether a Host header names this machine.
func allowedHost(hostport, address string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
	if host == "" {
		return false
	}
	// Browsers resolve localhost and *.localhost to loopback themselves
	// (RFC 6761), so those names cannot be rebound.
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	bound := net.ParseIP(address)
	if address == "" { // an empty listen host is every interface
		bound = net.IPv4zero
	}
	switch {
	case ip == nil:
		// A name other than localhost is allowed only when --address
		// gives that very name.
		return bound == nil && strings.EqualFold(host, strings.TrimSuffix(address, "."))
	case ip.IsLoopback(), bound != nil && bound.Equal(ip):
		return true
	case bound != nil && bound.IsUnspecified():
		// An address literal cannot be rebound; any of this machine's
		// addresses reaches a listener on all interfaces.
		return isLocalIP(ip)
	}
	return false
}

func isLocalIP(ip net.IP) bool {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return false
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.Equal(ip) {
			return true
		}
	}
	return false
}

// sameOrigin reports whether origin is the server's own: a page served by
// funcemu itself, such as its homepage.
func sameOrigin(origin, host string) bool {
	u, err := url.Parse(origin)
	return err == nil && u.Scheme == "http" && u.Host != "" && strings.EqualFold(u.Host, host)
}

func listedOrigin(origin string, allowed []string) bool {
	for _, o := range allowed {
		o = strings.TrimSuffix(strings.TrimSpace(o), "/")
		if o != "*" && strings.EqualFold(o, origin) {
			return true
		}
	}
	return false
}

// changesState reports whether r may change something: any method but
// GET, HEAD and OPTIONS, except the ping, which only answers.
func changesState(r *http.Request) bool {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return r.URL.Path != "/admin/host/ping"
}

// jsonOrClient reports whether r is JSON or carries ClientHeader: neither
// can be sent cross-site without a CORS preflight, which funcemu refuses.
func jsonOrClient(r *http.Request) bool {
	if r.Header.Get(ClientHeader) != "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	// application/*+json (CloudEvents) is no CORS-safelisted type either,
	// so a browser must ask before sending it cross-site.
	return err == nil && (mt == "application/json" ||
		strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))
}

// hasAny reports whether h carries any of the named headers.
func hasAny(h http.Header, names []string) bool {
	for _, n := range names {
		if h.Get(n) != "" {
			return true
		}
	}
	return false
}
