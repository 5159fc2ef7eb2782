package cmd

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/admin"
	"github.com/funcemu/funcemu/emulator/app"
	"github.com/funcemu/funcemu/emulator/build"
	"github.com/funcemu/funcemu/emulator/host"
	httptrigger "github.com/funcemu/funcemu/emulator/trigger/http"
	"github.com/funcemu/funcemu/emulator/worker"
	"github.com/funcemu/funcemu/tui"
)

// shutdownGrace bounds the HTTP server's wait for requests in flight at
// shutdown; with the handler's stop grace it keeps Ctrl-C under 5 s.
const shutdownGrace = 2 * time.Second

// runStart runs funcemu start until ctx is canceled.
func runStart(ctx context.Context, o *startOptions, stdout io.Writer) error {
	started := time.Now()
	a, err := loadApp(o.dir, o.functions)
	if err != nil {
		return err
	}
	o.resolve(a)

	bus := emulator.NewBus()
	events, unsubscribe := bus.Subscribe(8192)
	printer := tui.NewPrinter(stdout, tui.PrinterOptions{
		JSON:    o.json,
		Verbose: o.verbose || tui.CIEnvironment(os.Getenv),
		Color:   !o.json && isTerminal(stdout),
	})
	printed := make(chan struct{})
	go func() {
		defer close(printed)
		_ = printer.Run(context.Background(), events) // until unsubscribed
	}()
	defer func() {
		unsubscribe()
		<-printed
	}()
	bus.Publish(emulator.Event{Time: time.Now(), Kind: emulator.EventAppLoaded, App: a})

	exe := executablePath(a)
	if !o.noBuild && fileExists(filepath.Join(a.Dir, "go.mod")) {
		if _, err := build.Run(ctx, build.Options{
			Dir: a.Dir, Output: exe, TempDir: filepath.Join(a.Dir, ".funcemu", "build"), Publisher: bus,
		}); err != nil {
			return err
		}
	}

	ln, err := listen(o.address, o.port)
	if err != nil {
		return err
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port

	sup := worker.New(worker.Options{
		Executable:   exe,
		Args:         a.Host.CustomHandler.Arguments,
		Dir:          a.Host.CustomHandler.WorkingDirectory,
		Env:          app.HandlerEnv(a, os.Environ()),
		AppRoot:      a.Dir,
		InitTimeout:  a.Host.CustomHandler.InitializationTimeout,
		DrainTimeout: a.Host.FunctionTimeout,
		Publisher:    bus,
	})
	defer sup.Close()
	if err := sup.Start(ctx); err != nil {
		return fmt.Errorf("start the custom handler: %w", err)
	}

	h := host.New(host.Options{
		App:                 a,
		Worker:              workerPool{sup},
		Publisher:           bus,
		CompatBase64Outputs: o.compatBase64,
	})
	displayURL := "http://localhost:" + strconv.Itoa(port)
	adm := admin.New(admin.Options{
		App:     h.App,
		Invoker: h,
		BaseURL: func() string { return displayURL },
		Version: host.DefaultVersion,
		Context: ctx,
		Started: started,
	})
	cfg := app.NewConfig(a, os.Environ())
	disableHome, _ := cfg.Lookup("AzureWebJobsDisableHomepage")
	srv, err := httptrigger.New(httptrigger.Options{
		App:             a,
		Host:            h,
		Admin:           adm,
		CORS:            o.corsOrigins(),
		CORSCredentials: o.corsCredentials,
		DisableHomepage: isTrue(disableHome),
		Publisher:       bus,
	})
	if err != nil {
		return err
	}
	httpServer := &http.Server{Handler: srv, ReadHeaderTimeout: 30 * time.Second}
	serveErr := make(chan error, 1)
	go func() { serveErr <- httpServer.Serve(ln) }()

	endpoints := &emulator.Endpoints{HTTP: "http://" + net.JoinHostPort(dialHost(o.address), strconv.Itoa(port)), PID: os.Getpid()}
	bus.Publish(emulator.Event{Time: time.Now(), Kind: emulator.EventReady, Ready: endpoints})
	if o.readyFile != "" {
		if err := writeReadyFile(o.readyFile, endpoints); err != nil {
			return err
		}
		defer os.Remove(o.readyFile)
	}

	select {
	case <-ctx.Done():
	case err := <-serveErr:
		return fmt.Errorf("serve http: %w", err)
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	_ = httpServer.Shutdown(shutdownCtx)
	return nil
}

// workerPool lets the host use the supervisor's leases.
type workerPool struct{ s *worker.Supervisor }

func (p workerPool) Acquire(ctx context.Context) (host.Lease, error) {
	l, err := p.s.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	return l, nil
}

// dialHost is the host to reach a listener bound to address.
func dialHost(address string) string {
	if ip := net.ParseIP(address); address == "" || ip != nil && ip.IsUnspecified() {
		return "127.0.0.1"
	}
	return address
}

// writeReadyFile writes the endpoints atomically, so a reader never sees
// half a file.
func writeReadyFile(path string, e *emulator.Endpoints) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write ready file: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write ready file: %w", err)
	}
	return nil
}

func isTrue(s string) bool { return s == "1" || strings.EqualFold(s, "true") }

// isTerminal reports whether w is a character device.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
