package cmd

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/storage"
	"github.com/funcemu/funcemu/emulator/storage/rest"
)

// bindStorage binds the Blob, Queue and Table ports beside the app, with
// the same flags as `funcemu storage`, and opens the store behind them in
// the background: the handler, which needs only the ports, starts
// meanwhile, and awaitStorage joins before anything uses the store. The
// store runs on the runner's clock, so message visibility and leases
// follow a virtual clock.
func (r *runner) bindStorage(context.Context) error {
	o := r.opts.storageOpts
	o.address = r.opts.address
	o.dataDir = r.dataDir()
	bound, err := bindStorage(&o)
	if err != nil {
		return fmt.Errorf("storage: %w", err)
	}
	if o.certFile != "" {
		r.log(emulator.LevelInfo, "storage: serving HTTPS with certificate %s", o.certFile)
	}
	r.endpoints.Blob, r.endpoints.Queue = bound.ports.BlobURL, bound.ports.QueueURL
	r.endpoints.Table = bound.ports.TableURL
	opened := make(chan storageOpened, 1)
	go func() {
		store, servers, err := bound.open(&o, r.clock, slog.New(&busLogHandler{r: r}))
		opened <- storageOpened{store, servers, err}
	}()
	r.storageOpening = opened
	// Closed here, not by awaitStorage, when a step between fails.
	r.onClose(func() {
		if r.storageOpening != nil {
			if s := <-opened; s.err == nil {
				r.closeStorage(s)
			}
		}
	})
	return nil
}

// storageOpened is the outcome of opening the store in the background.
type storageOpened struct {
	store   *storage.Store
	servers *rest.Servers
	err     error
}

// awaitStorage waits for the store bindStorage opens, before the parts
// that use it (host bindings, triggers, timers, HTTP).
func (r *runner) awaitStorage(context.Context) error {
	s := <-r.storageOpening
	r.storageOpening = nil
	if s.err != nil {
		return fmt.Errorf("storage: %w", s.err)
	}
	r.store = s.store
	done := make(chan struct{})
	go func() {
		select {
		case err := <-s.servers.Err():
			r.fail(err)
		case <-done:
		}
	}()
	r.onClose(func() {
		close(done)
		r.closeStorage(s)
	})
	return nil
}

// closeStorage stops serving storage and closes the store.
func (r *runner) closeStorage(s storageOpened) {
	ctx, cancel := r.closeContext(closeBudget)
	defer cancel()
	_ = s.servers.Close(ctx)
	_ = s.store.Close()
}

// withStorageEnv points the handler at the running storage: a setting
// whose value is UseDevelopmentStorage=true becomes the explicit
// development connection string with the real ports, because the Go SDKs
// cannot expand the shorthand.
func (r *runner) withStorageEnv(env []string) []string {
	if r.endpoints.Blob == "" && r.endpoints.Queue == "" {
		return env
	}
	conn := connectionString(r.endpoints)
	for i, kv := range env {
		k, v, ok := strings.Cut(kv, "=")
		if ok && isDevStorage(v) {
			env[i] = k + "=" + conn
		}
	}
	return env
}

// isDevStorage matches UseDevelopmentStorage=true in any case and spacing.
func isDevStorage(v string) bool {
	k, val, ok := strings.Cut(strings.TrimSuffix(strings.TrimSpace(v), ";"), "=")
	return ok && strings.EqualFold(strings.TrimSpace(k), "UseDevelopmentStorage") &&
		strings.EqualFold(strings.TrimSpace(val), "true")
}

// busLogHandler sends the storage services' log records to the event bus
// as host logs, so they show in the UI instead of garbling it.
type busLogHandler struct {
	r     *runner
	attrs []slog.Attr
}

func (h *busLogHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }

func (h *busLogHandler) Handle(_ context.Context, rec slog.Record) error {
	var b strings.Builder
	b.WriteString("storage: ")
	b.WriteString(rec.Message)
	add := func(a slog.Attr) bool {
		if a.Key != "stack" {
			fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
		}
		return true
	}
	for _, a := range h.attrs {
		add(a)
	}
	rec.Attrs(add)
	level := emulator.LevelWarning
	if rec.Level >= slog.LevelError {
		level = emulator.LevelError
	}
	h.r.log(level, "%s", b.String())
	return nil
}

func (h *busLogHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &busLogHandler{r: h.r, attrs: append(append([]slog.Attr{}, h.attrs...), as...)}
}

func (h *busLogHandler) WithGroup(string) slog.Handler { return h }
