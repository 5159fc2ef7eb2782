package rest

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// CORS as the Blob and Queue services answer it, from the rules of the
// account's service properties.

func (p *serviceProperties) corsRules() []corsRule {
	if p == nil || p.Cors == nil {
		return nil
	}
	return p.Cors.Rules
}

// originAllowed matches an origin against a rule's AllowedOrigins: "*",
// an exact origin, or a subdomain wildcard such as https://*.contoso.com.
func originAllowed(rule corsRule, origin string) (string, bool) {
	for _, o := range splitList(rule.AllowedOrigins) {
		if o == "*" {
			return "*", true
		}
		if strings.EqualFold(o, origin) || wildcardOriginMatches(o, origin) {
			return origin, true
		}
	}
	return "", false
}

// wildcardOriginMatches reports whether origin is a subdomain (at any
// depth) of a pattern holding "*.", with the same scheme and port.
func wildcardOriginMatches(pattern, origin string) bool {
	i := strings.Index(pattern, "*.")
	if i < 0 {
		return false
	}
	prefix, suffix := strings.ToLower(pattern[:i]), strings.ToLower(pattern[i+1:])
	o := strings.ToLower(origin)
	if !strings.HasPrefix(o, prefix) || !strings.HasSuffix(o, suffix) || len(o) <= len(prefix)+len(suffix) {
		return false
	}
	sub := o[len(prefix) : len(o)-len(suffix)]
	return !strings.ContainsAny(sub, "/:@")
}

func methodAllowed(rule corsRule, method string) bool {
	for _, m := range splitList(rule.AllowedMethods) {
		if strings.EqualFold(m, method) {
			return true
		}
	}
	return false
}

// headersAllowed checks requested headers against AllowedHeaders, where
// "*" allows all and "x-ms-meta-*" is a prefix.
func headersAllowed(rule corsRule, requested string) bool {
	allowed := splitList(rule.AllowedHeaders)
	for _, h := range splitList(requested) {
		ok := false
		for _, a := range allowed {
			if a == "*" || strings.EqualFold(a, h) ||
				(strings.HasSuffix(a, "*") && len(h) >= len(a)-1 && strings.EqualFold(h[:len(a)-1], a[:len(a)-1])) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// applyCORS adds the CORS answer headers to a request carrying Origin when
// a rule allows its origin and method. Once any rule exists every answer
// says Vary: Origin, as Azure's do, so caches keep answers per origin.
func applyCORS(w http.ResponseWriter, r *Request, rules []corsRule) {
	if len(rules) == 0 {
		return
	}
	h := w.Header()
	h.Add("Vary", "Origin")
	origin := r.Header().Get("Origin")
	if origin == "" {
		return
	}
	for _, rule := range rules {
		allow, ok := originAllowed(rule, origin)
		if !ok || !methodAllowed(rule, r.HTTP.Method) {
			continue
		}
		h.Set("Access-Control-Allow-Origin", allow)
		if rule.ExposedHeaders != "" {
			h.Set("Access-Control-Expose-Headers", rule.ExposedHeaders)
		}
		if allow != "*" {
			h.Set("Access-Control-Allow-Credentials", "true")
		}
		return
	}
}

// checkPreflight checks an OPTIONS request names what it asks for.
func checkPreflight(r *Request) error {
	if r.Header().Get("Origin") == "" {
		return errMissingHeader("Origin")
	}
	if r.Header().Get("Access-Control-Request-Method") == "" {
		return errMissingHeader("Access-Control-Request-Method")
	}
	return nil
}

// answerPreflight answers a CORS OPTIONS request from the rules: 200 with
// the Access-Control-* headers, or 403 CorsPreflightFailure.
func answerPreflight(w http.ResponseWriter, r *Request, rules []corsRule) error {
	origin := r.Header().Get("Origin")
	method := r.Header().Get("Access-Control-Request-Method")
	requested := r.Header().Get("Access-Control-Request-Headers")
	for _, rule := range rules {
		allow, ok := originAllowed(rule, origin)
		if !ok || !methodAllowed(rule, method) || !headersAllowed(rule, requested) {
			continue
		}
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", allow)
		h.Set("Access-Control-Allow-Methods", strings.ToUpper(method))
		if requested != "" {
			h.Set("Access-Control-Allow-Headers", requested)
		}
		h.Set("Access-Control-Max-Age", strconv.Itoa(rule.MaxAgeInSeconds))
		if allow != "*" {
			h.Set("Access-Control-Allow-Credentials", "true")
		}
		h.Add("Vary", "Origin")
		w.WriteHeader(http.StatusOK)
		return nil
	}
	return errorf(http.StatusForbidden, "CorsPreflightFailure",
		"CORS not enabled or no matching rule found for this request. (origin %q, method %q, headers %q)", origin, method, requested)
}

// cachedCORSRules answers from a service's cache of parsed properties,
// so the CORS answer of every request (Vary: Origin goes on all of them
// once rules exist) costs no query. Only the service writes its
// properties, and its setServiceProperties drops the entry it changes.
func cachedCORSRules(cache *sync.Map, r *Request, load func(*Request) (*serviceProperties, error)) []corsRule {
	if p, ok := cache.Load(r.Account.Name); ok {
		return p.(*serviceProperties).corsRules()
	}
	p, err := load(r)
	if err != nil {
		return nil
	}
	cache.Store(r.Account.Name, p)
	return p.corsRules()
}
