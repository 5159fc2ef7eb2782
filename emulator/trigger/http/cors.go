package httptrigger

import (
	"net/http"
	"strings"
)

// cors applies the CORS policy of --cors / Host.CORS: the listed origins
// ("*" for any) with any header and any method, credentials when asked.
// It answers preflight requests itself and reports whether it did.
func (s *Server) cors(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if len(s.opts.CORS) == 0 || origin == "" {
		return false
	}
	any, allowed := false, false
	for _, o := range s.opts.CORS {
		o = strings.TrimSpace(o)
		if o == "*" {
			any = true
		}
		if o == "*" || strings.EqualFold(strings.TrimSuffix(o, "/"), origin) {
			allowed = true
		}
	}
	preflight := r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""
	h := w.Header()
	if allowed {
		if any && !s.opts.CORSCredentials {
			h.Set("Access-Control-Allow-Origin", "*")
		} else {
			h.Set("Access-Control-Allow-Origin", origin)
			h.Add("Vary", "Origin")
		}
		if s.opts.CORSCredentials {
			h.Set("Access-Control-Allow-Credentials", "true")
		}
		if preflight {
			h.Set("Access-Control-Allow-Methods", r.Header.Get("Access-Control-Request-Method"))
			if rh := r.Header.Get("Access-Control-Request-Headers"); rh != "" {
				h.Set("Access-Control-Allow-Headers", rh)
			}
		}
	}
	if preflight {
		w.WriteHeader(http.StatusNoContent)
	}
	return preflight
}
