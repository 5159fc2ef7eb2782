package cmd

import (
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"
)

// BenchmarkStartToFirstResponse measures what a developer waits for after
// typing funcemu start with a prebuilt handler (--no-build): from starting
// the process to the first 200 of an HTTP function. funcemu binds its
// HTTP port before the handler starts, so the first GET usually waits in
// the listen backlog; one sent before is retried every 0.2 ms. Each start
// has a fresh data folder. Alternating with it, the floor: the handler
// executable started alone on a port, to its first 200.
//
//	go test ./cmd -run '^$' -bench StartToFirstResponse -benchtime 20x
func BenchmarkStartToFirstResponse(b *testing.B) {
	bin, app := binaries(b)
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
	var took, alone []float64
	for b.Loop() {
		took = append(took, ms(startOnce(b, bin, app, client)))
		b.StopTimer()
		alone = append(alone, ms(startHandlerAlone(b, app, client)))
		b.StartTimer()
	}
	b.ReportMetric(median(took), "ms-median")
	b.ReportMetric(slices.Min(took), "ms-min")
	b.ReportMetric(median(alone), "ms-handler-alone-median")
}

// startHandlerAlone starts app's handler executable by itself, as funcemu
// would, and returns the time to its first 200, then stops it.
func startHandlerAlone(b *testing.B, app string, client *http.Client) time.Duration {
	b.Helper()
	port := strconv.Itoa(freeLoopbackPort(b))
	cmd := exec.Command(filepath.Join(app, "handler"))
	cmd.Dir = app
	cmd.Env = append(os.Environ(), "FUNCTIONS_CUSTOMHANDLER_PORT="+port)
	return timeToFirst200(b, cmd, "http://127.0.0.1:"+port+"/api/forwarded", client)
}

// startOnce starts funcemu on app and returns the time to its first 200,
// then stops it.
func startOnce(b *testing.B, bin, app string, client *http.Client) time.Duration {
	b.Helper()
	port := freeLoopbackPort(b)
	url := "http://127.0.0.1:" + strconv.Itoa(port) + "/api/hello/Ada"
	cmd := exec.Command(bin, "start", app, "--no-build", "--no-watch", "--port", strconv.Itoa(port),
		"--blob-port", "0", "--queue-port", "0", "--data-dir", b.TempDir())
	return timeToFirst200(b, cmd, url, client)
}

// timeToFirst200 starts cmd and returns the time until GET url answers
// 200, then interrupts cmd and waits for it.
func timeToFirst200(b *testing.B, cmd *exec.Cmd, url string, client *http.Client) time.Duration {
	b.Helper()
	var stderr syncBuffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	var gone bool // exited was received from
	defer func() {
		if gone {
			return
		}
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
			gone = true
			b.Fatalf("%s exited before answering: %v\n%s", cmd.Path, err, stderr.String())
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
