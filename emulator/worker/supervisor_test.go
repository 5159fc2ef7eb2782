package worker

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// patience bounds waits for readiness only; no test asserts a duration.
const patience = 20 * time.Second

// parallel runs the test beside the package's others, each with a
// supervisor and handler of its own, except in the run with spare
// supervisors (TestSpareSupervisorsPassTheSuite), whose tests take spares
// from one pool and check which one they got.
func parallel(t *testing.T) {
	if os.Getenv(prewarmTestsEnv) != "1" {
		t.Parallel()
	}
}

func testExecutable(t *testing.T) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return exe
}

type testSupervisor struct {
	*Supervisor
	events <-chan emulator.Event
}

func startSupervisor(t *testing.T, mode string, edit func(*Options)) (*testSupervisor, error) {
	t.Helper()
	bus := emulator.NewBus()
	events, unsubscribe := bus.Subscribe(1024)
	t.Cleanup(unsubscribe)
	opts := Options{
		Executable: testExecutable(t),
		Dir:        t.TempDir(),
		Env:        append(os.Environ(), "WORKER_TEST_HANDLER="+mode),
		AppRoot:    "/app/root",
		Publisher:  bus,
	}
	if edit != nil {
		edit(&opts)
	}
	s := New(opts)
	t.Cleanup(func() { s.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	return &testSupervisor{s, events}, s.Start(ctx)
}

func mustStart(t *testing.T, mode string, edit func(*Options)) *testSupervisor {
	t.Helper()
	s, err := startSupervisor(t, mode, edit)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	return s
}

// call sends GET path to the serving handler through a lease.
func call(ctx context.Context, s *Supervisor, path string) (string, error) {
	l, err := s.Acquire(ctx)
	if err != nil {
		return "", err
	}
	defer l.Release()
	return get(ctx, l, path)
}

func get(ctx context.Context, l *Lease, path string) (string, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, l.URL()+path, nil)
	resp, err := l.Transport().RoundTrip(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return "", errors.New(resp.Status)
	}
	return string(b), err
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	t.Cleanup(cancel)
	return ctx
}

// waitLog waits for a log event whose message contains substr.
func waitLog(t *testing.T, events <-chan emulator.Event, substr string) *emulator.LogEntry {
	t.Helper()
	timeout := time.After(patience)
	for {
		select {
		case e := <-events:
			if e.Log != nil && strings.Contains(e.Log.Message, substr) {
				return e.Log
			}
		case <-timeout:
			t.Fatalf("no log line containing %q", substr)
		}
	}
}

// processGone reports whether pid no longer runs: no such process, or a
// zombie. A handler killed as its supervisor exits can be left for init to
// collect, and its pid answers signals until init does, though it has
// ended and holds nothing but its exit status.
func processGone(pid int) bool {
	if errors.Is(syscall.Kill(pid, 0), syscall.ESRCH) {
		return true
	}
	if runtime.GOOS != "linux" {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return errors.Is(err, fs.ErrNotExist)
	}
	// The state follows the command name, which is in parentheses and
	// may itself hold spaces or parentheses.
	rest := stat[bytes.LastIndexByte(stat, ')')+1:]
	state := strings.TrimSpace(string(rest))
	return strings.HasPrefix(state, "Z") || strings.HasPrefix(state, "X")
}

func waitGone(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for !processGone(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("process %d still running", pid)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestHandlerGetsCustomHandlerEnvironment(t *testing.T) {
	parallel(t)
	dir := t.TempDir()
	s := mustStart(t, "ok", func(o *Options) {
		o.Dir = dir
		o.Args = []string{"-a", "b"}
		o.Env = append(o.Env, "EXTRA=yes")
	})
	ctx := testContext(t)
	l, err := s.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	body, err := get(ctx, l, "/env")
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{}
	for _, line := range strings.Split(body, "\n") {
		k, v, _ := strings.Cut(line, "=")
		env[k] = v
	}
	port := strings.TrimPrefix(l.URL(), "http://127.0.0.1:")
	guid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	checks := []struct{ key, want string }{
		{"FUNCTIONS_CUSTOMHANDLER_PORT", port},
		{"FUNCTIONS_HTTPWORKER_PORT", port},
		{"FUNCTIONS_APP_ROOT_PATH", "/app/root"},
		{"EXTRA", "yes"},
		{"cwd", dir},
		{"args", "-a b"},
	}
	for _, c := range checks {
		if env[c.key] != c.want {
			t.Errorf("%s = %q, want %q", c.key, env[c.key], c.want)
		}
	}
	if id := env["FUNCTIONS_CUSTOMHANDLER_WORKER_ID"]; !guid.MatchString(id) || env["FUNCTIONS_HTTPWORKER_ID"] != id {
		t.Errorf("worker ids %q / %q, want the same v4 GUID", id, env["FUNCTIONS_HTTPWORKER_ID"])
	}
}

func TestHandlerOutputBecomesLogs(t *testing.T) {
	parallel(t)
	s := mustStart(t, "ok", nil)
	want := map[string]emulator.Level{
		"handler says hello": emulator.LevelInfo,  // stdout
		"handler warns":      emulator.LevelError, // stderr
	}
	// stdout and stderr are separate pipes: their lines may come in any order.
	timeout := time.After(patience)
	for len(want) > 0 {
		select {
		case e := <-s.events:
			if e.Log == nil {
				continue
			}
			level, ok := want[e.Log.Message]
			if !ok {
				continue
			}
			if e.Log.Level != level || e.Log.Category != emulator.CategoryConsole {
				t.Errorf("log %+v, want level %v in %s", e.Log, level, emulator.CategoryConsole)
			}
			delete(want, e.Log.Message)
		case <-timeout:
			t.Fatalf("missing log lines %v", want)
		}
	}
}

func TestStartFailures(t *testing.T) {
	parallel(t)
	tests := []struct {
		name, mode string
		edit       func(*Options)
		want       string
	}{
		{"exits", "exit", nil, "exited during startup (exit status 3)"},
		{"never listens", "mute", func(o *Options) { o.InitTimeout = 200 * time.Millisecond }, "did not answer HTTP on 127.0.0.1:"},
		{"missing executable", "ok", func(o *Options) { o.Executable = "/nonexistent/handler" }, "start handler /nonexistent/handler"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := startSupervisor(t, tc.mode, tc.edit)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Start error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestCrashedHandlerIsRestarted(t *testing.T) {
	parallel(t)
	s := mustStart(t, "ok", func(o *Options) { o.MinBackoff = time.Millisecond })
	ctx := testContext(t)
	first := s.PID()
	_, _ = call(ctx, s.Supervisor, "/crash")
	waitLog(t, s.events, "Handler process exited unexpectedly (pid "+strconv.Itoa(first)+", exit status 2)")
	pid, err := call(ctx, s.Supervisor, "/pid")
	if err != nil {
		t.Fatal(err)
	}
	if pid == strconv.Itoa(first) || pid == "" {
		t.Fatalf("after the crash pid %s answered, want a new process", pid)
	}
}

// The two Close tests run alone: they check the handler is gone the moment
// Close returns, which a machine busy with the parallel tests can delay.
func TestCloseStopsHandlerWithSIGINT(t *testing.T) {
	s := mustStart(t, "ok", nil)
	pid := s.PID()
	s.Close()
	waitLog(t, s.events, "handler got SIGINT")
	if !processGone(pid) {
		t.Fatalf("process %d still running after Close", pid)
	}
}

func TestCloseKillsHandlerIgnoringSIGINT(t *testing.T) {
	s := mustStart(t, "stubborn", func(o *Options) { o.StopGrace = 100 * time.Millisecond })
	pid := s.PID()
	s.Close()
	if !processGone(pid) {
		t.Fatalf("process %d still running after Close", pid)
	}
	if _, err := s.Acquire(testContext(t)); emulator.ErrorCode(err) != emulator.EUNAVAILABLE {
		t.Fatalf("Acquire after Close = %v, want unavailable", err)
	}
}

func TestSwapFailureKeepsOldHandler(t *testing.T) {
	parallel(t)
	s := mustStart(t, "ok", nil)
	ctx := testContext(t)
	before := s.PID()
	if err := s.Swap(ctx, "/nonexistent/handler"); err == nil {
		t.Fatal("Swap to a missing executable succeeded")
	}
	pid, err := call(ctx, s.Supervisor, "/pid")
	if err != nil || pid != strconv.Itoa(before) {
		t.Fatalf("after a failed swap pid %s (%v) answered, want %d", pid, err, before)
	}
}

func TestSwapLetsInflightInvocationFinish(t *testing.T) {
	parallel(t)
	s := mustStart(t, "ok", nil)
	ctx := testContext(t)
	old, err := s.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	oldPID := old.PID()
	blocked := make(chan string, 1)
	go func() {
		body, err := get(ctx, old, "/block")
		if err != nil {
			body = err.Error()
		}
		old.Release()
		blocked <- body
	}()

	if err := s.Swap(ctx, testExecutable(t)); err != nil {
		t.Fatal(err)
	}
	pid, err := call(ctx, s.Supervisor, "/pid")
	if err != nil || pid == strconv.Itoa(oldPID) {
		t.Fatalf("after Swap pid %s (%v) answered, want the new process", pid, err)
	}
	if processGone(oldPID) {
		t.Fatal("old process stopped while an invocation was in flight")
	}
	// The old process is still reachable for the held lease.
	if _, err := get(ctx, old, "/unblock"); err != nil {
		t.Fatal(err)
	}
	if got := <-blocked; got != strconv.Itoa(oldPID) {
		t.Fatalf("in-flight invocation got %q, want %d", got, oldPID)
	}
	waitGone(t, oldPID)
}

func TestSwapUnderLoadFailsNoRequest(t *testing.T) {
	parallel(t)
	s := mustStart(t, "ok", nil)
	ctx := testContext(t)
	stop := make(chan struct{})
	var ok, failed atomic.Int64
	var failures sync.Map
	var wg sync.WaitGroup
	seen := sync.Map{}
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				pid, err := call(ctx, s.Supervisor, "/pid")
				if err != nil {
					failed.Add(1)
					failures.Store(err.Error(), true)
					continue
				}
				ok.Add(1)
				seen.Store(pid, true)
			}
		}()
	}
	var pids []int
	for range 5 {
		pids = append(pids, s.PID())
		if err := s.Swap(ctx, testExecutable(t)); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	if n := failed.Load(); n > 0 {
		failures.Range(func(k, _ any) bool { t.Log(k); return true })
		t.Fatalf("%d of %d requests failed during swaps", n, n+ok.Load())
	}
	for _, pid := range pids {
		waitGone(t, pid)
	}
	if _, served := seen.Load(strconv.Itoa(s.PID())); !served && ok.Load() == 0 {
		t.Fatal("no request was served")
	}
}

func TestRestartUsesNewEnvironment(t *testing.T) {
	parallel(t)
	s := mustStart(t, "ok", nil)
	ctx := testContext(t)
	env := append(os.Environ(), "WORKER_TEST_HANDLER=ok", "EXTRA=restarted")
	if err := s.Restart(ctx, env); err != nil {
		t.Fatal(err)
	}
	body, err := call(ctx, s.Supervisor, "/env")
	if err != nil || !strings.Contains(body, "EXTRA=restarted") {
		t.Fatalf("after Restart /env = %q (%v), want EXTRA=restarted", body, err)
	}
}

func TestRecycleReplacesTheProcess(t *testing.T) {
	parallel(t)
	s := mustStart(t, "ok", nil)
	ctx := testContext(t)
	l, err := s.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	oldPID := l.PID()
	l.Recycle("A function timeout has occurred.")
	l.Release()
	waitLog(t, s.events, "A function timeout has occurred.")
	pid, err := call(ctx, s.Supervisor, "/pid")
	if err != nil || pid == strconv.Itoa(oldPID) {
		t.Fatalf("after Recycle pid %s (%v), want a new process", pid, err)
	}
	waitGone(t, oldPID)
}

// TestCloseKillsEveryProcessTheHandlerStarted stops a handler that ignores
// SIGINT and started a process in its own session: Close must end both.
func TestCloseKillsEveryProcessTheHandlerStarted(t *testing.T) {
	parallel(t)
	s := mustStart(t, "spawner", func(o *Options) { o.StopGrace = 100 * time.Millisecond })
	out, err := call(testContext(t), s.Supervisor, "/spawned")
	if err != nil {
		t.Fatal(err)
	}
	spawned, err := strconv.Atoi(out)
	if err != nil || processGone(spawned) {
		t.Fatalf("spawned process %q is not running", out)
	}
	t.Cleanup(func() { syscall.Kill(spawned, syscall.SIGKILL) }) // if the test fails
	handler := s.PID()
	s.Close()
	waitGone(t, handler)
	waitGone(t, spawned)
}
