// Package host is the function host: it runs one invocation of a function
// on the custom handler (the {Data, Metadata} envelope of default mode, or
// the forwarded HTTP request), applies the real host's response rules,
// retries by the function's retry policy, enforces functionTimeout and
// publishes the invocation's events.
package host

import (
	"context"
	"net/http"
	"net/http/httputil"
	"sync"
	"sync/atomic"

	"github.com/funcemu/funcemu/emulator"
)

// DefaultVersion is the Functions host version funcemu presents to
// handlers in X-Azure-Functions-HostVersion and User-Agent.
const DefaultVersion = "4.1037.0.0"

// Worker is the handler process pool invocations go to.
type Worker interface {
	// Acquire waits for a ready handler and holds it for one invocation.
	Acquire(ctx context.Context) (Lease, error)
}

// Lease is a hold on one handler process.
type Lease interface {
	URL() string // http://127.0.0.1:PORT
	Transport() http.RoundTripper
	Release()
	// Recycle kills the process after a function timeout and starts a
	// new one; reason is logged.
	Recycle(reason string)
}

// OutputWriter applies an invocation's output binding values (queue
// messages, blobs) and returns what it wrote, for the journal. An error
// fails the invocation.
type OutputWriter func(ctx context.Context, fn *emulator.Function, inv *emulator.Invocation, outputs map[string]*emulator.OutputValue) ([]emulator.Output, error)

// InputReader adds the values of a function's non-trigger input bindings
// (such as blob inputs) to req.Data before the envelope is built; it may
// read req.Data and req.Metadata for binding expressions. An error fails
// the invocation.
type InputReader func(ctx context.Context, fn *emulator.Function, req *emulator.InvokeRequest) error

// Options configure a Host.
type Options struct {
	App       *emulator.App
	Worker    Worker
	Publisher emulator.Publisher // may be nil
	Clock     emulator.Clock     // default emulator.SystemClock
	Version   string             // default DefaultVersion

	// CompatBase64Outputs reproduces a quirk of the real host (section 2.4
	// rule 4 of the host notes): a string output value for a binding
	// without dataType "binary" that happens to be valid base64 (such as
	// "test" or "abcd") is decoded and written as those bytes. funcemu
	// turns it on by default (flag --compat-base64-outputs) so an app
	// behaves here as on Azure; turn it off to write strings as given.
	CompatBase64Outputs bool

	// Outputs writes non-HTTP output bindings; nil leaves them unwritten
	// (they are still returned in the Result).
	Outputs OutputWriter
	// Inputs reads non-trigger input bindings; nil reads none.
	Inputs InputReader
}

// Host runs invocations. It is safe for concurrent use.
type Host struct {
	opts  Options
	app   atomic.Pointer[emulator.App]
	proxy *httputil.ReverseProxy // for forwarded requests
	// retryWarned holds the functions already warned about retries.
	retryWarned sync.Map
}

// New returns a Host for opts.
func New(opts Options) *Host {
	if opts.Clock == nil {
		opts.Clock = emulator.SystemClock{}
	}
	if opts.Version == "" {
		opts.Version = DefaultVersion
	}
	h := &Host{opts: opts}
	h.proxy = h.newProxy()
	h.app.Store(opts.App)
	return h
}

// App returns the app the host runs.
func (h *Host) App() *emulator.App { return h.app.Load() }

// SetApp replaces the app (after its folder was reloaded); invocations
// already running finish with the app they started with.
func (h *Host) SetApp(a *emulator.App) { h.app.Store(a) }

// Forwarded reports whether HTTP requests to fn are streamed to the
// handler instead of sent in the invocation envelope: forwarding or
// proxying is on in host.json and fn has exactly one input binding, an
// httpTrigger, and exactly one output binding, an http.
func Forwarded(a *emulator.App, fn *emulator.Function) bool {
	if !a.Host.CustomHandler.Forwards() {
		return false
	}
	in, out := fn.Inputs(), fn.Outputs()
	return len(in) == 1 && in[0].Kind() == emulator.BindingHTTPTrigger &&
		len(out) == 1 && out[0].Kind() == emulator.BindingHTTP
}

// log publishes a log line.
func (h *Host) log(level emulator.Level, category, fn, invocationID, msg string) {
	if h.opts.Publisher == nil {
		return
	}
	h.opts.Publisher.Publish(emulator.Event{
		Time: h.opts.Clock.Now(),
		Kind: emulator.EventLog,
		Log: &emulator.LogEntry{Level: level, Category: category, Message: msg,
			Function: fn, InvocationID: invocationID},
	})
}

// publishInvocation publishes a copy of inv, so later changes to inv do
// not race with readers.
func (h *Host) publishInvocation(kind emulator.EventKind, inv *emulator.Invocation) {
	if h.opts.Publisher == nil {
		return
	}
	c := *inv
	h.opts.Publisher.Publish(emulator.Event{Time: h.opts.Clock.Now(), Kind: kind, Invocation: &c})
}

// Forwards reports whether HTTP requests to fn are streamed to the
// handler, for the app the host runs now.
func (h *Host) Forwards(fn *emulator.Function) bool { return Forwarded(h.App(), fn) }
