package cmd

import (
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"testing"
	"time"
)

// BenchmarkStartToFirstResponse measures what a developer waits for after
// typing funcemu start with a prebuilt handler (--no-build): from starting
// the process to the first 200 of an HTTP function, polled by dialing
// again at once (no interval of the benchmark's own is added). Each start
// has a fresh data folder.
//
//	go test ./cmd -run '^$' -bench StartToFirstResponse -benchtime 20x
func BenchmarkStartToFirstResponse(b *testing.B) {
	bin, app := binaries(b)
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
	var took []float64
	for b.Loop() {
		took = append(took, ms(startOnce(b, bin, app, client)))
	}
	b.ReportMetric(median(took), "ms-median")
	b.ReportMetric(slices.Min(took), "ms-min")
}

// startOnce starts funcemu on app and returns the time to its first 200,
// then stops it.
func startOnce(b *testing.B, bin, app string, client *http.Client) time.Duration {
	b.Helper()
	port := freeLoopbackPort(b)
	url := "http://127.0.0.1:" + strconv.Itoa(port) + "/api/hello/Ada"
	cmd := exec.Command(bin, "start", app, "--no-build", "--no-watch", "--port", strconv.Itoa(port),
		"--blob-port", "0", "--queue-port", "0", "--data-dir", b.TempDir())
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	}()
	deadline := start.Add(30 * time.Second)
	for {
		resp, err := client.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Since(start)
			}
		}
		select {
		case err := <-exited:
			b.Fatalf("funcemu exited before answering: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			b.Fatalf("no 200 from %s within 30 s (last: %v)", url, err)
		}
		time.Sleep(200 * time.Microsecond)
	}
}

// freeLoopbackPort is a port free on 127.0.0.1 a moment ago.
func freeLoopbackPort(b *testing.B) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
