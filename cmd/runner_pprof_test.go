package cmd

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

func TestProfilerServesOnLoopbackOnly(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	stop, err := startProfiler(addr, func(err error) { t.Errorf("profiler stopped: %v", err) })
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	resp, err := http.Get("http://" + addr + "/debug/pprof/cmdline")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || len(body) == 0 {
		t.Fatalf("cmdline: %d %q", resp.StatusCode, body)
	}

	for _, bad := range []string{"0.0.0.0:6060", "192.0.2.1:6060", "127.0.0.1"} {
		if _, err := startProfiler(bad, nil); err == nil || !strings.Contains(err.Error(), pprofEnv) {
			t.Errorf("%s: err = %v, want one naming %s", bad, err, pprofEnv)
		}
	}
	off, err := startProfiler("", nil)
	if err != nil {
		t.Fatal(err)
	}
	off()
}
