package host

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"

	"github.com/funcemu/funcemu/emulator"
)

// Forward streams r to the handler at its original path and query and
// streams the handler's response back, as for a function with forwarding
// or proxying on (see Forwarded). Any status the handler answers with is
// passed through and counts as success; redirects are not followed. A
// failure to reach the handler answers 500 with an empty body. Forwarded
// invocations are not retried: the request body is streamed once.
func (h *Host) Forward(w http.ResponseWriter, r *http.Request, function, reason string, input *emulator.Input) error {
	_, err := h.forwardAs(w, r, function, emulator.TriggerHTTP, reason, input)
	return err
}

func (h *Host) forwardAs(w http.ResponseWriter, r *http.Request, function, trigger, reason string, input *emulator.Input) (*emulator.Invocation, error) {
	app := h.App()
	fn := app.Function(function)
	if fn == nil {
		http.NotFound(w, r)
		return nil, emulator.Errorf(emulator.ENOTFOUND, "function %q not found", function)
	}
	inv := h.begin(fn, emulator.InvocationIDFrom(r.Context()), trigger, reason, "", 0, input)
	ctx, timer := h.withTimeout(r.Context(), app, fn, inv)
	defer timer.stop()

	rec := &recorder{ResponseWriter: w, limit: journalBodyLimit}
	err := h.forward(ctx, rec, r.WithContext(ctx), fn, inv, timer)
	if err != nil && !rec.wrote {
		status := http.StatusInternalServerError
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			status = http.StatusRequestEntityTooLarge // the caller's body ran over the limit
		}
		w.WriteHeader(status)
		rec.status = status
	}
	inv.Outputs = append(inv.Outputs, emulator.Output{Binding: httpBindingName(fn), HTTP: rec.response()})
	h.finish(inv, err)
	return inv, err
}

func (h *Host) forward(ctx context.Context, w *recorder, r *http.Request, fn *emulator.Function, inv *emulator.Invocation, timer *timeout) error {
	lease, err := h.opts.Worker.Acquire(ctx)
	if err != nil {
		return timer.explain(fmt.Errorf("handler not available: %w", err))
	}
	defer lease.Release()
	target, err := url.Parse(lease.URL())
	if err != nil {
		return fmt.Errorf("handler url: %w", err)
	}
	fr := &forwardRequest{target: target, invocationID: inv.ID, transport: lease.Transport()}
	h.proxy.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), forwardKey{}, fr)))
	if fr.err != nil {
		return h.failed(timer, lease, inv, fr.err)
	}
	return nil
}

// forwardKey carries a forwardRequest through the shared proxy.
type forwardKey struct{}

// forwardRequest is one forwarded request's target and outcome.
type forwardRequest struct {
	target       *url.URL
	invocationID string
	transport    http.RoundTripper
	err          error
}

// newProxy returns the reverse proxy all forwarded requests share; each
// request's target comes from its context.
func (h *Host) newProxy() *httputil.ReverseProxy {
	return &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			fr := pr.In.Context().Value(forwardKey{}).(*forwardRequest)
			pr.Out.URL.Scheme = fr.target.Scheme
			pr.Out.URL.Host = fr.target.Host
			pr.Out.Host = pr.In.Host // the original Host header, as the real host copies it
			h.setHostHeaders(pr.Out.Header, fr.invocationID)
			pr.Out.Header["X-Ms-Invocation-Id"] = []string{fr.invocationID}
		},
		Transport: roundTripperFunc(func(r *http.Request) (*http.Response, error) {
			return r.Context().Value(forwardKey{}).(*forwardRequest).transport.RoundTrip(r)
		}),
		BufferPool: &bufferPool{},
		ErrorHandler: func(_ http.ResponseWriter, r *http.Request, err error) {
			r.Context().Value(forwardKey{}).(*forwardRequest).err = err
		},
	}
}

type roundTripperFunc func(*http.Request) (*http.Response, error)

func (f roundTripperFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// bufferPool reuses the proxy's copy buffers.
type bufferPool struct{ p sync.Pool }

func (b *bufferPool) Get() []byte {
	if v, ok := b.p.Get().(*[]byte); ok {
		return *v
	}
	return make([]byte, 32<<10)
}

func (b *bufferPool) Put(buf []byte) { b.p.Put(&buf) }

// invokeForwarded runs a manual invocation of a forwarded function: the
// handler gets a POST at the route's literal path (up to its first
// parameter) with the manual input as the body.
func (h *Host) invokeForwarded(ctx context.Context, app *emulator.App, fn *emulator.Function, req emulator.InvokeRequest) (*emulator.Result, error) {
	body := ""
	if req.Input != nil && req.Input.Manual != nil {
		body = req.Input.Manual.Input
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://localhost"+literalPath(app, fn), strings.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("build the forwarded request: %w", err)
	}
	w := &bufferWriter{header: http.Header{}}
	inv, err := h.forwardAs(w, hreq, fn.Name, req.Trigger, req.Reason, req.Input)
	status := w.status
	if status == 0 {
		status = http.StatusOK
	}
	res := &emulator.Result{Invocation: inv, HTTP: &emulator.HTTPResponse{Status: status, Headers: w.header, Body: w.body.Bytes()}}
	return res, err
}

// bufferWriter keeps a response in memory.
type bufferWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferWriter) Header() http.Header { return b.header }

func (b *bufferWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

func (b *bufferWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

// literalPath is the route's path up to its first parameter.
func literalPath(app *emulator.App, fn *emulator.Function) string {
	r := fn.Name
	if tr := fn.Trigger(); tr != nil && tr.Route != "" {
		r = tr.Route
	}
	if i := strings.IndexByte(r, '{'); i >= 0 {
		r = r[:i]
	}
	p := "/" + strings.Trim(r, "/")
	if app.Host.RoutePrefix != "" {
		p = "/" + strings.Trim(app.Host.RoutePrefix, "/") + p
	}
	return strings.TrimSuffix(p, "/")
}

// recorder passes a response through while keeping its status, headers
// and the first bytes of its body for the journal.
type recorder struct {
	http.ResponseWriter
	limit  int
	status int
	wrote  bool
	body   []byte
}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(p []byte) (int, error) {
	if !r.wrote {
		r.WriteHeader(http.StatusOK)
	}
	if room := r.limit - len(r.body); room > 0 {
		r.body = append(r.body, p[:min(room, len(p))]...)
	}
	return r.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach Flush on the real writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Flush streams what was written so far.
func (r *recorder) Flush() {
	if !r.wrote {
		r.WriteHeader(http.StatusOK)
	}
	http.NewResponseController(r.ResponseWriter).Flush()
}

func (r *recorder) response() *emulator.HTTPResponse {
	return &emulator.HTTPResponse{Status: r.status, Headers: r.Header().Clone(), Body: r.body}
}
