// Package admin serves the Functions host admin API that func start
// exposes (host status and ping, the function list and metadata, and POST
// /admin/functions/{name} to invoke a function) and funcemu's own calls
// under /admin/funcemu/: invoke and wait, replay, the virtual clock, and
// idle. The idle tracker (Idle) and the replay hook live here because
// those calls are their only way in; the work itself is done by the host
// and the journal, which the command wires in through Options. Every route
// sits behind Guard.
package admin

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/internal/background"
)

// Reason is the Executing line's reason for admin invocations.
const Reason = "This function was programmatically called via the host APIs."

// Options configure the admin API.
type Options struct {
	App     func() *emulator.App // the app served now
	Invoker emulator.Invoker
	// BaseURL is where the host is reached, e.g. http://localhost:7071.
	BaseURL func() string
	Version string
	// Context bounds asynchronous invocations; canceled at shutdown.
	Context context.Context
	Clock   emulator.Clock
	Started time.Time // process start, for processUptime
	// Done, when set, is called with the outcome of each asynchronous
	// invocation (for tests and logs).
	Done func(*emulator.Result, error)
	// Background runs the asynchronous invocations; its owner closes it
	// at shutdown to wait for them. Default: a group of the handler's own.
	Background *background.Group
	// Idle, when set, serves GET /admin/funcemu/idle.
	Idle *Idle
	// ClockMover, when set (a virtual clock), serves GET
	// /admin/funcemu/clock and POST /admin/funcemu/clock/advance.
	ClockMover ClockMover
	// Replay, when set, serves POST /admin/funcemu/replay: it runs a
	// recorded trigger input again the way its trigger did.
	Replay Replayer
}

// Handler serves /admin/....
type Handler struct {
	opts Options
	mux  *http.ServeMux
}

// New returns the admin API handler.
func New(opts Options) *Handler {
	if opts.Clock == nil {
		opts.Clock = emulator.SystemClock{}
	}
	if opts.Context == nil {
		opts.Context = context.Background()
	}
	if opts.Background == nil {
		opts.Background = &background.Group{}
	}
	h := &Handler{opts: opts, mux: http.NewServeMux()}
	h.mux.HandleFunc("GET /admin/host/status", h.status)
	h.mux.HandleFunc("GET /admin/host/ping", ping)
	h.mux.HandleFunc("POST /admin/host/ping", ping)
	h.mux.HandleFunc("GET /admin/functions", h.list)
	h.mux.HandleFunc("GET /admin/functions/{name}", h.one)
	h.mux.HandleFunc("GET /admin/functions/{name}/status", h.functionStatus)
	h.mux.HandleFunc("POST /admin/functions/{name}", h.invoke)
	h.mux.HandleFunc("POST /admin/funcemu/invoke/{name}", h.invokeAndWait)
	if opts.Idle != nil {
		h.mux.HandleFunc("GET /admin/funcemu/idle", h.idle)
	}
	if opts.ClockMover != nil {
		h.mux.HandleFunc("GET /admin/funcemu/clock", h.clockNow)
		h.mux.HandleFunc("POST /admin/funcemu/clock/advance", h.clockAdvance)
	}
	if opts.Replay != nil {
		h.mux.HandleFunc("POST /admin/funcemu/replay", h.replay)
	}
	return h
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Unknown admin paths and methods answer 404 with no body, like the
	// host's MVC fallthrough.
	if _, pattern := h.mux.Handler(r); pattern == "" {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	h.mux.ServeHTTP(w, r)
}

func ping(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) }

// hostStatus is the HostStatus model.
type hostStatus struct {
	ID                             string `json:"id"`
	State                          string `json:"state"`
	Version                        string `json:"version"`
	VersionDetails                 string `json:"versionDetails"`
	ProcessUptime                  int64  `json:"processUptime"`
	FunctionAppContentEditingState string `json:"functionAppContentEditingState"`
}

func (h *Handler) status(w http.ResponseWriter, _ *http.Request) {
	name, _ := os.Hostname()
	writeJSON(w, http.StatusOK, hostStatus{
		ID:                             strings.ToLower(name),
		State:                          "Running",
		Version:                        h.opts.Version,
		VersionDetails:                 h.opts.Version + " (funcemu)",
		ProcessUptime:                  h.opts.Clock.Now().Sub(h.opts.Started).Milliseconds(),
		FunctionAppContentEditingState: "Unknown",
	})
}

func (h *Handler) list(w http.ResponseWriter, _ *http.Request) {
	a := h.opts.App()
	out := make([]functionMetadata, 0, len(a.Functions))
	for _, fn := range a.Functions {
		out = append(out, h.metadata(a, fn))
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *Handler) one(w http.ResponseWriter, r *http.Request) {
	a := h.opts.App()
	fn := a.Function(r.PathValue("name"))
	if fn == nil {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	writeJSON(w, http.StatusOK, h.metadata(a, fn))
}

func (h *Handler) functionStatus(w http.ResponseWriter, r *http.Request) {
	a := h.opts.App()
	name := r.PathValue("name")
	for _, b := range a.Broken {
		if strings.EqualFold(b.Name, name) {
			writeJSON(w, http.StatusOK, map[string][]string{"errors": {b.Error()}})
			return
		}
	}
	if a.Function(name) == nil {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
