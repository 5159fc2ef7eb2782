//go:build unix

package cmd

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// The hot-reload end-to-end tests run the funcemu binary on a generated Go
// app, edit the app's source, and check what callers saw. Waiting is for
// readiness only, with generous limits; nothing asserts a duration.

const reloadGiveUp = 3 * time.Minute

const httpFunctionJSON = `{"bindings":[{"type":"httpTrigger","direction":"in","name":"req","methods":["get"]},` +
	`{"type":"http","direction":"out","name":"res"}]}`

// reloadApp writes a Go custom-handler app whose one HTTP function,
// forwarded to the handler, answers with its version.
func reloadApp(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":                "module reloadapp\n\ngo 1.22\n",
		"host.json":             `{"version":"2.0","customHandler":{"description":{"defaultExecutablePath":"handler"},"enableForwardingHttpRequest":true}}`,
		"local.settings.json":   `{"IsEncrypted":false,"Values":{"FUNCTIONS_WORKER_RUNTIME":"custom"}}`,
		"version/function.json": httpFunctionJSON,
		".gitignore":            "handler\n.funcemu/\nlocal.settings.json\n",
	}
	for rel, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	saveVersion(t, dir, 0)
	return dir
}

// saveVersion saves main.go answering "v<n>" at /api/version and the
// GREETING variable at /api/env.
func saveVersion(t testing.TB, dir string, n int) {
	t.Helper()
	saveFile(t, dir, "main.go", fmt.Sprintf(`package main

import (
	"fmt"
	"net/http"
	"os"
)

const version = %d

func main() {
	http.HandleFunc("/api/version", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "v%%d", version)
	})
	http.HandleFunc("/api/env", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, os.Getenv("GREETING"))
	})
	http.HandleFunc("/work", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, "{\"Outputs\":{},\"Logs\":[\"done by v%%d\"]}", version)
	})
	http.ListenAndServe("127.0.0.1:"+os.Getenv("FUNCTIONS_CUSTOMHANDLER_PORT"), nil)
}
`, n))
}

// saveFile saves rel the way editors do: into a temporary file renamed
// over the old one, so that one save is one change.
func saveFile(t testing.TB, dir, rel, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p+".tmp", []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(p+".tmp", p); err != nil {
		t.Fatal(err)
	}
}

// buildFuncemu is the funcemu binary, shared by the package's tests.
func buildFuncemu(t testing.TB) string {
	t.Helper()
	bin, _ := binaries(t)
	return bin
}

// funcemuRun is a running funcemu start.
type funcemuRun struct {
	url    string         // base URL of the HTTP server
	queue  string         // queue service URL with the account
	events chan jsonEvent // build.finished events after ready

	// Invocations of the queue function "work" by outcome.
	workSucceeded, workFailed atomic.Int64
}

type jsonEvent struct {
	Kind       string `json:"kind"`
	Function   string `json:"function"`
	Status     string `json:"status"`
	DurationMs *int64 `json:"durationMs"`
	Message    string `json:"message"`
	Errors     []struct {
		File string `json:"file"`
		Line int    `json:"line"`
	} `json:"errors"`
}

// startFuncemu runs funcemu start on dir with --json output, stopped with
// SIGINT at cleanup, and waits until it is serving.
func startFuncemu(t testing.TB, bin, dir string, args ...string) *funcemuRun {
	t.Helper()
	ready := filepath.Join(t.TempDir(), "ready.json")
	cmd := exec.Command(bin, append([]string{"start", dir, "--port", "0", "--blob-port", "0", "--queue-port", "0", "--ready-file", ready, "--json"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	})
	run := &funcemuRun{events: make(chan jsonEvent, 4096)}
	go func() {
		defer close(exited)
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 64<<10), 16<<20)
		ready := false // the start-up build comes before ready
		for sc.Scan() {
			var e jsonEvent
			if json.Unmarshal(sc.Bytes(), &e) != nil {
				continue
			}
			ready = ready || e.Kind == "ready"
			if e.Kind == "invocation.finished" && e.Function == "work" {
				if e.Status == "succeeded" {
					run.workSucceeded.Add(1)
				} else {
					run.workFailed.Add(1)
				}
			}
			if ready && e.Kind == "build.finished" {
				select {
				case run.events <- e:
				default: // nobody is reading build events in this test
				}
			}
		}
		_ = cmd.Wait()
	}()
	deadline := time.Now().Add(reloadGiveUp)
	for {
		data, err := os.ReadFile(ready)
		var ep struct{ HTTP, Queue string }
		if err == nil && json.Unmarshal(data, &ep) == nil && ep.HTTP != "" {
			run.url, run.queue = ep.HTTP, ep.Queue
			return run
		}
		select {
		case <-exited:
			t.Fatal("funcemu exited before it was ready")
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("funcemu never wrote its ready file")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// get returns the body of a 200 answer to GET url+path.
func get(client *http.Client, url, path string) (string, error) {
	resp, err := client.Get(url + path)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET %s: status %d: %q", path, resp.StatusCode, body)
	}
	return string(body), nil
}

// askVersion asks the app for its version.
func askVersion(client *http.Client, url string) (int, error) {
	body, err := get(client, url, "/api/version")
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(strings.TrimPrefix(body, "v"))
	if err != nil || !strings.HasPrefix(body, "v") {
		return 0, fmt.Errorf("unexpected body %q", body)
	}
	return n, nil
}

// reloadsUnderTraffic is how many rebuilds the traffic test swaps in: each
// is a real go build, and the traffic around it the largest cost of the
// command tests. Two swaps cover both cases: replacing the handler start
// built, and replacing one that was itself swapped in; a swap that drops
// a request does so on the first rebuild as much as the tenth.
const reloadsUnderTraffic = 2

// denseAfterSwap is how long the traffic stays dense after callers saw a
// new build: the old handler drains its requests and stops meanwhile.
const denseAfterSwap = 200 * time.Millisecond

// trafficPause is the pause between two requests of the traffic test:
// short while dense is set, from a build's end through its swap, so that
// requests are in flight whenever the old handler is retired; long while
// go build runs, when nothing is switched and dense traffic would only
// take the build's CPU.
func trafficPause(dense *atomic.Bool, short, long time.Duration) time.Duration {
	if dense.Load() {
		return short
	}
	return long
}

func TestHotReloadRebuildsUnderTrafficDropNothing(t *testing.T) {
	t.Parallel()
	bin := buildFuncemu(t)
	dir := reloadApp(t)
	// Beside the HTTP traffic, queue messages flow through a queue trigger.
	saveFile(t, dir, "work/function.json",
		`{"bindings":[{"type":"queueTrigger","direction":"in","name":"msg","queueName":"work-items"}]}`)
	saveFile(t, dir, "local.settings.json",
		`{"IsEncrypted":false,"Values":{"FUNCTIONS_WORKER_RUNTIME":"custom","AzureWebJobsStorage":"UseDevelopmentStorage=true"}}`)
	run := startFuncemu(t, bin, dir, "--debounce", "20ms", "--in-memory")
	work := queueClient(t, emulator.Endpoints{Queue: run.queue}, "work-items")
	if _, err := work.Create(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	var sent atomic.Int64

	const callers = 4
	var (
		stop     atomic.Bool
		dense    atomic.Bool // from a build's end until its swap is behind
		requests atomic.Int64
		newest   atomic.Int64 // highest version any caller has seen
		mu       sync.Mutex
		failures []string
		wg       sync.WaitGroup
	)
	fail := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if len(failures) < 20 {
			failures = append(failures, fmt.Sprintf(format, args...))
		}
	}
	for c := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: time.Minute}
			last := -1
			for !stop.Load() {
				v, err := askVersion(client, run.url)
				requests.Add(1)
				if err != nil {
					fail("caller %d: %v", c, err)
					continue
				}
				// Once a caller has seen a build, the one before it never
				// answers that caller again: the switch is at once.
				if v < last {
					fail("caller %d: got v%d after v%d", c, v, last)
				}
				last = v
				time.Sleep(trafficPause(&dense, 0, 40*time.Millisecond))
				for {
					cur := newest.Load()
					if int64(v) <= cur || newest.CompareAndSwap(cur, int64(v)) {
						break
					}
				}
			}
		}()
	}

	wg.Add(1)
	go func() { // one message every few milliseconds while the builds swap
		defer wg.Done()
		for i := 0; !stop.Load(); i++ {
			text := base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("message %d", i)))
			if _, err := work.EnqueueMessage(context.Background(), text, nil); err != nil {
				fail("enqueue %d: %v", i, err)
				continue
			}
			sent.Add(1)
			time.Sleep(trafficPause(&dense, 2*time.Millisecond, 50*time.Millisecond))
		}
	}()

	for n := 1; n <= reloadsUnderTraffic; n++ {
		saveVersion(t, dir, n)
		deadline := time.Now().Add(reloadGiveUp)
		// The traffic is dense from the end of the build, through the
		// swap, until the old handler has had time to drain and stop.
		for built := false; !built; {
			select {
			case e := <-run.events:
				built = e.Status == "succeeded"
			case <-time.After(reloadGiveUp):
				t.Fatalf("no successful build.finished event for v%d", n)
			}
		}
		dense.Store(true)
		for newest.Load() < int64(n) {
			if time.Now().After(deadline) {
				t.Fatalf("v%d never served", n)
			}
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(denseAfterSwap)
		dense.Store(false)
	}
	stop.Store(true)
	wg.Wait()

	if len(failures) > 0 {
		t.Fatalf("%d requests failed or went backwards during %d rebuilds, e.g.:\n%s",
			len(failures), reloadsUnderTraffic, strings.Join(failures, "\n"))
	}
	if requests.Load() < 100 {
		t.Fatalf("only %d requests made; the traffic did not overlap the rebuilds", requests.Load())
	}
	// Every message is processed exactly once, and none by a handler that
	// was not ready: that would be a failed invocation.
	deadline := time.Now().Add(reloadGiveUp)
	for run.workSucceeded.Load() < sent.Load() && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got, want := run.workSucceeded.Load(), sent.Load(); got != want || run.workFailed.Load() != 0 {
		t.Fatalf("%d messages sent, %d processed, %d failed invocations; want all processed once, none failed",
			want, got, run.workFailed.Load())
	}
	if sent.Load() < 20 {
		t.Fatalf("only %d messages sent; the queue traffic did not overlap the rebuilds", sent.Load())
	}
	t.Logf("%d requests and %d queue messages across %d rebuilds, none failed or lost", requests.Load(), sent.Load(), reloadsUnderTraffic)
}

// eventually polls GET url+path until its 200 body satisfies ok.
func eventually(t *testing.T, client *http.Client, url, path string, ok func(string) bool) string {
	t.Helper()
	deadline := time.Now().Add(reloadGiveUp)
	for {
		body, err := get(client, url, path)
		if err == nil && ok(body) {
			return body
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET %s never satisfied the test; last: %q, %v", path, body, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestHotReloadFailedBuildIndexReloadAndSettingsRestart(t *testing.T) {
	t.Parallel()
	bin := buildFuncemu(t)
	dir := reloadApp(t)
	run := startFuncemu(t, bin, dir)
	client := &http.Client{Timeout: time.Minute}

	// A compile error is shown with file and line; the old build serves.
	saveFile(t, dir, "main.go", "package main\n\nfunc main() {\n\tundefinedCall()\n}\n")
	select {
	case e := <-run.events:
		if e.Status != "failed" || len(e.Errors) == 0 || e.Errors[0].File != "main.go" || e.Errors[0].Line != 4 {
			t.Fatalf("build.finished = %+v, want failed with an error at main.go:4", e)
		}
	case <-time.After(reloadGiveUp):
		t.Fatal("no build.finished event for the broken build")
	}
	if v, err := askVersion(client, run.url); err != nil || v != 0 {
		t.Fatalf("after the failed build: v%d, %v; want v0 still serving", v, err)
	}

	// A new function folder is indexed without a build (main.go is still
	// broken, and nothing is rebuilt for a function.json).
	saveFile(t, dir, "env/function.json", httpFunctionJSON)
	eventually(t, client, run.url, "/admin/functions", func(body string) bool {
		return strings.Contains(body, `"name":"env"`)
	})

	// Fixing the code swaps in a build that serves the new function.
	saveVersion(t, dir, 1)
	eventually(t, client, run.url, "/api/version", func(body string) bool { return body == "v1" })
	if body, err := get(client, run.url, "/api/env"); err != nil || body != "" {
		t.Fatalf("/api/env = %q, %v; want an empty GREETING", body, err)
	}

	// New settings restart the handler with the new environment.
	saveFile(t, dir, "local.settings.json", `{"IsEncrypted":false,"Values":{"FUNCTIONS_WORKER_RUNTIME":"custom","GREETING":"hello"}}`)
	eventually(t, client, run.url, "/api/env", func(body string) bool { return body == "hello" })
}

func TestHotReloadAppWithoutBuildRestartsOnNewExecutable(t *testing.T) {
	t.Parallel()
	bin := buildFuncemu(t)
	dir := reloadApp(t)
	src := t.TempDir() // the handler's source lives elsewhere: the app has no go.mod
	for _, name := range []string{"go.mod", "main.go"} {
		if err := os.Rename(filepath.Join(dir, name), filepath.Join(src, name)); err != nil {
			t.Fatal(err)
		}
	}
	buildInto := func(n int) {
		t.Helper()
		saveVersion(t, src, n)
		// Built beside the executable, then renamed over it, as a
		// separate build tool would.
		if err := linkedFixture(src, filepath.Join(dir, "handler.tmp")); err != nil {
			t.Fatalf("build handler v%d: %v", n, err)
		}
		if err := os.Rename(filepath.Join(dir, "handler.tmp"), filepath.Join(dir, "handler")); err != nil {
			t.Fatal(err)
		}
	}
	buildInto(0)
	run := startFuncemu(t, bin, dir)
	client := &http.Client{Timeout: time.Minute}
	if v, err := askVersion(client, run.url); err != nil || v != 0 {
		t.Fatalf("v%d, %v; want v0", v, err)
	}
	// .gitignore lists the handler, yet its change restarts it.
	buildInto(1)
	eventually(t, client, run.url, "/api/version", func(body string) bool { return body == "v1" })
}
