package cmd

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/funcemu/funcemu/emulator/admin"
	"github.com/funcemu/funcemu/emulator/host"
	httptrigger "github.com/funcemu/funcemu/emulator/trigger/http"
)

// shutdownGrace bounds the HTTP server's wait for requests in flight at
// shutdown, and then for the invocations they started in the background.
const shutdownGrace = 2 * time.Second

// bindHTTP binds the HTTP port before the handler starts: a request sent
// while the handler and the store are still starting waits in the listen
// backlog and is answered once serveHTTP serves, instead of being refused
// and retried, and no client has to poll to learn when funcemu is up. It
// comes after the build, so a start waiting for a build to be fixed still
// refuses connections.
func (r *runner) bindHTTP(context.Context) error {
	ln, err := listen(r.opts.address, r.opts.port)
	if err != nil {
		return err
	}
	r.httpListener = ln
	// Closed here when a later step fails; serveHTTP's server owns it
	// once it serves.
	r.onClose(func() {
		if r.httpListener != nil {
			r.httpListener.Close()
		}
	})
	return nil
}

// serveHTTP serves the HTTP triggers and the admin API on the port
// bindHTTP bound.
func (r *runner) serveHTTP(ctx context.Context) error {
	ln := r.httpListener
	r.httpListener = nil
	port := ln.Addr().(*net.TCPAddr).Port
	displayURL := "http://localhost:" + strconv.Itoa(port)
	adm := admin.New(admin.Options{
		App:        r.host.App,
		Invoker:    r.host,
		BaseURL:    func() string { return displayURL },
		Version:    host.DefaultVersion,
		Context:    ctx,
		Started:    r.started,
		Idle:       r.idle,
		ClockMover: r.clockMover(),
		Replay:     r.replay,
		Background: &r.background,
	})
	guard := admin.GuardOptions{Address: r.opts.address, Origins: r.opts.corsOrigins()}
	webhooks := r.eventGridWebhooks()
	disableHome, _ := r.config().Lookup("AzureWebJobsDisableHomepage")
	opts := httptrigger.Options{
		App:             r.app,
		Host:            r.host,
		Webhooks:        webhooks,
		CORS:            r.opts.corsOrigins(),
		CORSCredentials: r.opts.corsCredentials,
		DisableHomepage: isTrue(disableHome),
		Publisher:       r.bus,
	}
	if r.keys != nil { // a nil *keys.Store in the interface would not be nil
		opts.Keys, guard.Keys = r.keys, r.keys
	}
	opts.Admin = admin.Guard(adm, guard)
	if opts.Webhooks != nil {
		// Webhooks stay keyless as under func start, but a web page or a
		// rebound host name may not fire them either.
		opts.Webhooks = admin.Guard(opts.Webhooks, admin.GuardOptions{Address: guard.Address, Origins: guard.Origins,
			ProofHeaders: []string{"aeg-event-type"}})
	}
	srv, err := httptrigger.New(opts)
	if err != nil {
		ln.Close()
		return err
	}
	r.onAppReload = append(r.onAppReload, srv.SetApp)
	httpServer := &http.Server{Handler: srv, ReadHeaderTimeout: 30 * time.Second}
	go func() {
		if err := httpServer.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			r.fail(fmt.Errorf("serve http: %w", err))
		}
	}()
	r.onClose(func() {
		shutdownCtx, cancel := r.closeContext(shutdownGrace)
		defer cancel()
		_ = httpServer.Shutdown(shutdownCtx)
		// No request can start an invocation now; the UI cannot either
		// once the group is closed.
		_ = r.background.Close(shutdownCtx)
	})
	r.endpoints.HTTP = "http://" + net.JoinHostPort(dialHost(r.opts.address), strconv.Itoa(port))
	return nil
}
