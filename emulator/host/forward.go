package host

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httputil"
	"net/url"

	"github.com/funcemu/funcemu/emulator"
)

// Forward streams r to the handler at its original path and query and
// streams the handler's response back, as for a function with forwarding
// or proxying on (see Forwarded). Any status the handler answers with is
// passed through and counts as success; redirects are not followed. A
// failure to reach the handler answers 500 with an empty body. Forwarded
// invocations are not retried: the request body is streamed once.
func (h *Host) Forward(w http.ResponseWriter, r *http.Request, function, reason string, input *emulator.Input) error {
	app := h.App()
	fn := app.Function(function)
	if fn == nil {
		http.NotFound(w, r)
		return emulator.Errorf(emulator.ENOTFOUND, "function %q not found", function)
	}
	inv := h.begin(fn, emulator.TriggerHTTP, reason, "", 0, input)
	ctx, timer := h.withTimeout(r.Context(), app, fn, inv)
	defer timer.stop()

	rec := &recorder{ResponseWriter: w, limit: journalBodyLimit}
	err := h.forward(ctx, rec, r.WithContext(ctx), fn, inv, timer)
	if err != nil && !rec.wrote {
		w.WriteHeader(http.StatusInternalServerError)
		rec.status = http.StatusInternalServerError
	}
	inv.Outputs = append(inv.Outputs, emulator.Output{Binding: httpBindingName(fn), HTTP: rec.response()})
	h.finish(inv, err)
	return err
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
	var proxyErr error
	proxy := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.Out.URL.Scheme = target.Scheme
			pr.Out.URL.Host = target.Host
			pr.Out.Host = pr.In.Host // the original Host header, as the real host copies it
			h.setHostHeaders(pr.Out.Header, inv.ID)
			pr.Out.Header["X-Ms-Invocation-Id"] = []string{inv.ID}
		},
		Transport: lease.Transport(),
		ErrorHandler: func(rw http.ResponseWriter, _ *http.Request, err error) {
			proxyErr = err
		},
	}
	proxy.ServeHTTP(w, r)
	if proxyErr != nil {
		return h.failed(timer, lease, inv, proxyErr)
	}
	return nil
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
