package cmd

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/funcemu/funcemu/emulator"
)

// openStorage opens the app's store and serves Blob and Queue beside the
// app, with the same flags as `funcemu storage`. The store runs on the
// runner's clock, so message visibility and leases follow a virtual clock.
func (r *runner) openStorage(context.Context) error {
	o := r.opts.storageOpts
	o.address = r.opts.address
	o.dataDir = r.dataDir()
	store, servers, err := openStorage(&o, r.clock, slog.New(&busLogHandler{r: r}))
	if err != nil {
		return fmt.Errorf("storage: %w", err)
	}
	if o.certFile != "" {
		r.log(emulator.LevelInfo, "storage: serving HTTPS with certificate %s", o.certFile)
	}
	r.store = store
	r.endpoints.Blob, r.endpoints.Queue = servers.BlobURL, servers.QueueURL
	r.endpoints.Table = servers.TableURL
	done := make(chan struct{})
	go func() {
		select {
		case err := <-servers.Err():
			r.fail(err)
		case <-done:
		}
	}()
	r.onClose(func() {
		close(done)
		ctx, cancel := r.closeContext(closeBudget)
		defer cancel()
		_ = servers.Close(ctx)
		_ = store.Close()
	})
	return nil
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
