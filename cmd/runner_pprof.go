package cmd

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// pprofEnv names a loopback address (127.0.0.1:6060) where funcemu serves
// Go's profiler (net/http/pprof), to profile a running funcemu under load:
//
//	go tool pprof http://127.0.0.1:6060/debug/pprof/profile?seconds=10
const pprofEnv = "FUNCEMU_PPROF"

// serveProfiler serves net/http/pprof on the loopback address in
// FUNCEMU_PPROF, when it is set.
func (r *runner) serveProfiler(context.Context) error {
	stop, err := startProfiler(os.Getenv(pprofEnv), func(err error) {
		r.log(emulator.LevelWarning, "profiler stopped: %v", err)
	})
	if err != nil {
		return err
	}
	r.onClose(stop)
	return nil
}

// startProfiler serves net/http/pprof on addr, a loopback address ("" to
// serve nothing), until stop is called; stopped tells of the server
// ending on its own.
func startProfiler(addr string, stopped func(error)) (stop func(), err error) {
	if addr == "" {
		return func() {}, nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("%s=%q: %w", pprofEnv, addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("%s=%q: the profiler serves on a loopback address only (127.0.0.1:PORT)", pprofEnv, addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", pprofEnv, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			stopped(err)
		}
	}()
	return func() { srv.Close() }, nil
}
