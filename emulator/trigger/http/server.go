// Package httptrigger serves a function app's HTTP triggers the way the
// Functions host does under func start: routes from routePrefix and each
// function's route, the homepage, CORS, the 100 MiB body limit, the admin
// API mounted at /admin/, and each request turned into an invocation
// (default mode) or streamed to the handler (forwarding).
package httptrigger

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/funcemu/funcemu/emulator"
)

// Reason is the Executing line's reason for HTTP invocations, as the real
// host logs it.
const Reason = "This function was programmatically called via the host APIs."

// DefaultMaxBodyBytes is func start's request body limit, 100 MiB.
const DefaultMaxBodyBytes = 100 << 20

// Host runs invocations; *host.Host implements it.
type Host interface {
	Invoke(ctx context.Context, req emulator.InvokeRequest) (*emulator.Result, error)
	// Forwards reports whether requests to fn are streamed to the handler.
	Forwards(fn *emulator.Function) bool
	Forward(w http.ResponseWriter, r *http.Request, function, reason string, input *emulator.Input) error
}

// Options configure a Server.
type Options struct {
	App  *emulator.App
	Host Host
	// Admin serves /admin/...; nil answers 404 there.
	Admin http.Handler
	// Webhooks serves the extensions' /runtime/webhooks/... endpoints
	// (Event Grid, blobs); nil answers 404 there.
	Webhooks        http.Handler
	CORS            []string // allowed origins; "*" allows any
	CORSCredentials bool
	// DisableHomepage answers GET / with 204 instead of the homepage
	// (AzureWebJobsDisableHomepage).
	DisableHomepage bool
	MaxBodyBytes    int64              // default DefaultMaxBodyBytes
	Publisher       emulator.Publisher // may be nil
	Clock           emulator.Clock     // default emulator.SystemClock
	// Keys, when set, enforce each trigger's authLevel as Azure does; nil
	// lets every request through, as func start does without --enableAuth.
	Keys KeyChecker
}

// KeyChecker checks the key a request carries for an authLevel of a
// function; *keys.Store implements it.
type KeyChecker interface {
	Allows(r *http.Request, level, function string) bool
}

// Server is the HTTP trigger front end, an http.Handler.
type Server struct {
	opts   Options
	routes atomic.Pointer[routeTable]
}

// New returns a Server for opts.App. It fails when a route template does
// not parse, naming the function.
func New(opts Options) (*Server, error) {
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.Clock == nil {
		opts.Clock = emulator.SystemClock{}
	}
	s := &Server{opts: opts}
	if err := s.SetApp(opts.App); err != nil {
		return nil, err
	}
	return s, nil
}

// SetApp switches to a reloaded app's routes.
func (s *Server) SetApp(a *emulator.App) error {
	t, err := newRouteTable(a)
	if err != nil {
		return err
	}
	s.routes.Store(t)
	return nil
}

// ServeHTTP routes one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.cors(w, r) {
		return
	}
	if r.URL.Path == "/admin" || strings.HasPrefix(r.URL.Path, "/admin/") {
		if s.opts.Admin == nil {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		s.opts.Admin.ServeHTTP(w, r)
		return
	}
	if s.opts.Webhooks != nil && strings.HasPrefix(strings.ToLower(r.URL.Path), "/runtime/webhooks/") {
		s.opts.Webhooks.ServeHTTP(w, r)
		return
	}
	if r.ContentLength > s.opts.MaxBodyBytes {
		w.WriteHeader(http.StatusRequestEntityTooLarge)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes)

	rt, params, ok := s.routes.Load().match(r)
	if !ok {
		if r.URL.Path == "/" {
			s.homepage(w)
			return
		}
		w.WriteHeader(http.StatusNotFound)
		return
	}
	if status := s.authorize(r, rt); status != 0 {
		w.WriteHeader(status)
		return
	}
	if s.opts.Host.Forwards(rt.fn) {
		_ = s.opts.Host.Forward(w, r, rt.fn.Name, Reason, &emulator.Input{HTTP: requestInput(r, nil, false)})
		return
	}
	s.invoke(w, r, rt, params)
}

// authorize answers 404 for a disabled function unless the caller has
// admin rights, then 401 when the request lacks the key its authLevel
// needs; 0 lets it through. Without keys func start grants every
// non-anonymous request admin rights.
func (s *Server) authorize(r *http.Request, rt *routeEntry) int {
	anonymous := strings.EqualFold(rt.trigger.AuthLevel, "anonymous")
	if s.opts.Keys == nil {
		if rt.fn.Disabled && anonymous {
			return http.StatusNotFound
		}
		return 0
	}
	if rt.fn.Disabled && !s.opts.Keys.Allows(r, "admin", rt.fn.Name) {
		return http.StatusNotFound
	}
	if !anonymous && !s.opts.Keys.Allows(r, rt.trigger.AuthLevel, rt.fn.Name) {
		return http.StatusUnauthorized
	}
	return 0
}

// homepage answers GET / with no function mapped there.
func (s *Server) homepage(w http.ResponseWriter) {
	if s.opts.DisableHomepage {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(homepageHTML))
}

const homepageHTML = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Your Functions 4.0 app is up and running</title></head>
<body><h1>Your Functions 4.0 app is up and running</h1>
<p>Served by funcemu. Call your functions under their routes, or see /admin/functions.</p></body></html>
`

func (s *Server) log(level emulator.Level, msg string) {
	if s.opts.Publisher == nil {
		return
	}
	s.opts.Publisher.Publish(emulator.Event{Time: s.opts.Clock.Now(), Kind: emulator.EventLog,
		Log: &emulator.LogEntry{Level: level, Category: emulator.CategoryHost, Message: msg}})
}
