package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator/azstore/azuritetest"
	"github.com/funcemu/funcemu/internal/fixturebuild"
)

// patience bounds waits for readiness only; no test asserts a duration.
const patience = 60 * time.Second

// binDir holds the funcemu binary and a built copy of fixtures/hello,
// shared by every test of the package and removed at the end.
var (
	binDir     string
	binOnce    sync.Once
	binErr     error
	funcemuBin string
)

// funcemuName is the name under which this test binary runs as funcemu:
// binaries links it as binDir/funcemu, and TestMain runs Main when started
// by that name, so end-to-end tests run the real command line without
// building the binary again.
const funcemuName = "funcemu"

func TestMain(m *testing.M) {
	if filepath.Base(os.Args[0]) == funcemuName {
		os.Exit(Main())
	}
	if queue := os.Getenv(enqueueEnv); queue != "" {
		os.Exit(enqueueAndExit(queue)) // the test binary as a command for exec
	}
	fixturebuild.LeanLinks()
	waitingTestsParallel()
	azuritetest.Prewarm()
	code := m.Run()
	azuritetest.StopShared()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	fixtureCache.remove()
	os.Exit(code)
}

// binaries returns funcemu (this test binary under the name funcemu) and
// the hello fixture built once.
func binaries(t testing.TB) (funcemu, app string) {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "funcemu-e2e-")
		if binErr != nil {
			return
		}
		funcemuBin = filepath.Join(binDir, funcemuName)
		binErr = linkSelf(funcemuBin)
	})
	if binErr != nil {
		t.Fatalf("prepare the funcemu binary: %v", binErr)
	}
	return funcemuBin, builtFixture(t, "hello")
}

// linkSelf makes path a hard link to (or else a copy of) this test binary.
func linkSelf(path string) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	if os.Link(self, path) == nil {
		return nil
	}
	b, err := os.ReadFile(self)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o755)
}

func goBuild(dir, out, pkg string) error {
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Dir = dir
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build in %s: %v\n%s", dir, err, b)
	}
	return nil
}

// copyDir copies a fixture's source files: never its .funcemu data folder
// nor a built handler, which running the README's commands leaves in
// fixtures/, so a test never reads another run's leftovers.
func copyDir(src, dst string) error {
	return filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			if info.Name() == ".funcemu" {
				return filepath.SkipDir
			}
			return os.MkdirAll(target, 0o755)
		}
		if rel == "handler" || rel == "handler.exe" {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
}

// syncBuffer collects a process's output safely.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// running is a funcemu start run by a test, in-process (launch) or as a
// process of its own (launchProcess).
type running struct {
	cmd    *exec.Cmd // the process; nil in-process
	pid    int       // the pid the ready file names
	url    string    // from the ready file
	blob   string    // the Blob service with its account, when storage runs
	queue  string    // the Queue service with its account, when storage runs
	table  string    // the Table service with its account, when storage runs
	stdout *syncBuffer
	stderr *syncBuffer
	exited chan struct{}
	err    error
	cancel context.CancelFunc // stops an in-process start, as Ctrl-C does
}

// startFixture runs funcemu start on app in-process with a random port and
// a data folder of the test's own (app is shared by tests), and waits for
// its ready file. It is stopped at the end of the test.
func startFixture(t testing.TB, app string, args ...string) *running {
	t.Helper()
	argv := append([]string{"start", app, "--port", "0", "--blob-port", "0", "--queue-port", "0", "--no-build"}, args...)
	return launch(t, withOwnDataDir(t, argv))
}

// startFixtureProcess is startFixture as a process of its own.
func startFixtureProcess(t testing.TB, app string, args ...string) *running {
	t.Helper()
	argv := append([]string{"start", app, "--port", "0", "--blob-port", "0", "--queue-port", "0", "--no-build"}, args...)
	return launchProcess(t, withOwnDataDir(t, argv))
}

// withOwnDataDir gives a start a temporary data folder unless argv names
// one or keeps state in memory, so tests sharing an app folder never share,
// nor lock, its state.
func withOwnDataDir(t testing.TB, argv []string) []string {
	if argv[0] != "start" || slices.Contains(argv, "--data-dir") || slices.Contains(argv, "--in-memory") {
		return argv
	}
	return append(argv, "--data-dir", t.TempDir())
}

// launch runs funcemu in-process with argv plus --ready-file and waits
// until ready; it is stopped at the end of the test.
func launch(t testing.TB, argv []string) *running {
	t.Helper()
	return launchEnv(t, argv, nil)
}

// launchEnv is launch with extra environment variables for funcemu.
func launchEnv(t testing.TB, argv, env []string) *running {
	t.Helper()
	argv, ready := readyArgs(t, argv)
	f, streams := newTestFactory(t, "", env...)
	r := &running{pid: os.Getpid(), stdout: streams.out, stderr: streams.err, exited: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() {
		if code := run(ctx, f, argv); code != 0 {
			r.err = fmt.Errorf("exit status %d", code)
		}
		close(r.exited)
	}()
	t.Cleanup(func() {
		cancel()
		<-r.exited
	})
	r.await(t, ready)
	return r
}

// interrupt stops an in-process start as Ctrl-C does and returns how it
// ended.
func (r *running) interrupt() error {
	r.cancel()
	<-r.exited
	return r.err
}

// launchProcess runs the funcemu binary with argv plus --ready-file and
// waits until ready, for the tests of what only a process shows: signals,
// kills and pids. The process is killed at the end of the test.
func launchProcess(t testing.TB, argv []string) *running {
	t.Helper()
	bin, _ := binaries(t)
	argv, ready := readyArgs(t, argv)
	r := &running{cmd: exec.Command(bin, argv...), stdout: &syncBuffer{}, stderr: &syncBuffer{}, exited: make(chan struct{})}
	r.cmd.Stdout, r.cmd.Stderr = r.stdout, r.stderr
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r.pid = r.cmd.Process.Pid
	go func() {
		r.err = r.cmd.Wait()
		close(r.exited)
	}()
	t.Cleanup(func() {
		r.cmd.Process.Kill()
		<-r.exited
	})
	r.await(t, ready)
	return r
}

// readyArgs adds --ready-file, and free storage ports to a start.
func readyArgs(t testing.TB, argv []string) ([]string, string) {
	ready := filepath.Join(t.TempDir(), "ready.json")
	argv = append(argv, "--ready-file", ready)
	if argv[0] == "start" && !slices.Contains(argv, "--blob-port") {
		// Azurite's fixed ports would collide between tests run in parallel.
		argv = append(argv, "--blob-port", "0", "--queue-port", "0")
	}
	return argv, ready
}

// await waits for the ready file and reads the endpoints from it.
func (r *running) await(t testing.TB, ready string) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for {
		b, err := os.ReadFile(ready)
		if err == nil {
			var e struct {
				HTTP  string `json:"http"`
				Blob  string `json:"blob"`
				Queue string `json:"queue"`
				Table string `json:"table"`
				PID   int    `json:"pid"`
			}
			if err := json.Unmarshal(b, &e); err != nil {
				t.Fatalf("ready file %s: %v", b, err)
			}
			if e.PID != r.pid || !strings.HasPrefix(e.HTTP, "http://127.0.0.1:") {
				t.Fatalf("ready file %s, want pid %d and a loopback URL", b, r.pid)
			}
			r.url, r.blob, r.queue, r.table = e.HTTP, e.Blob, e.Queue, e.Table
			return
		}
		select {
		case <-r.exited:
			t.Fatalf("funcemu exited before ready: %v\nstdout:\n%s\nstderr:\n%s", r.err, r.stdout, r.stderr)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("funcemu not ready\nstdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
		}
	}
}

// do sends a request and returns the response with its body read.
func do(t testing.TB, method, url, body string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body == "" {
		req.Body = nil
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// processGone reports whether pid no longer runs (a zombie counts as gone).
func processGone(pid int) bool {
	if err := syscall.Kill(pid, 0); err == syscall.ESRCH {
		return true
	}
	if runtime.GOOS != "linux" {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	fields := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
	return len(fields) > 0 && fields[0] == "Z"
}

func waitGone(t testing.TB, pid int) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for !processGone(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("process %d still running", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
