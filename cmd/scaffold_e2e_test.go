package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/scaffold"
)

// newApp runs funcemu init and then new for every template, the way a
// first-time user starts, and returns the app folder.
func newApp(t *testing.T, functions map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "firstapp")
	run := func(args ...string) {
		t.Helper()
		out, err := runFuncemu(t, "", args...)
		if err != nil {
			t.Fatalf("funcemu %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	run("init", dir)
	for name, template := range functions {
		run("new", "--app", dir, "--template", template, "--name", name)
	}
	return dir
}

// TestFirstRunEveryTemplate has start build and start an app made of one
// function per template, as a first run does, and fires each function
// through its own trigger (the timer by hand). It is also the test of start
// building a Go module that has no handler yet: the tests of other
// subjects start prebuilt handlers with --no-build.
func TestFirstRunEveryTemplate(t *testing.T) {
	t.Parallel()
	functions := map[string]string{"hello": "http", "orders": "queue", "uploads": "blob", "nightly": "timer", "notes": "table"}
	covered := map[string]bool{}
	for _, tpl := range functions {
		covered[tpl] = true
	}
	for _, tpl := range scaffold.Templates {
		if !covered[tpl] {
			t.Fatalf("template %q has no function in this test", tpl)
		}
	}
	dir := newApp(t, functions)
	r := launch(t, []string{"start", dir, "--port", "0", "--blob-port", "0", "--queue-port", "0", "--no-watch"})

	// One timestamp, funcemu's: the generated handler logs plain lines.
	// The console prints the functions on the ready event, beside the
	// ready file launch waited for, so they are waited for too.
	listed := []string{"Build succeeded", "Z] handler listening on 127.0.0.1:"}
	for name := range functions {
		listed = append(listed, name+":")
	}
	waitOutput(t, r, listed...)
	if _, err := os.Stat(filepath.Join(dir, "handler")); err != nil {
		t.Fatalf("handler not built: %v", err)
	}

	t.Run("http", func(t *testing.T) {
		resp, body := do(t, "GET", r.url+"/api/hello", "", nil)
		if resp.StatusCode != 200 || body != "Hello, world!" {
			t.Fatalf("GET /api/hello = %d %q, want 200 %q", resp.StatusCode, body, "Hello, world!")
		}
		resp, body = do(t, "POST", r.url+"/api/hello?name=Ada", "", nil)
		if resp.StatusCode != 200 || body != "Hello, Ada!" {
			t.Fatalf("POST /api/hello?name=Ada = %d %q", resp.StatusCode, body)
		}
	})

	if r.blob == "" || r.queue == "" {
		t.Fatalf("ready file has no storage endpoints: blob %q, queue %q", r.blob, r.queue)
	}

	// The queue and blob sources are written with the Go SDKs and the
	// development connection string, as the app's other code would.
	t.Run("queue", func(t *testing.T) {
		enqueue(t, r, "orders-items", "order 42")
		id := finishedInvocation(t, dir, "orders", emulator.TriggerQueue)
		waitOutput(t, r, "orders processed message: order 42", "Executed 'Functions.orders' (Succeeded, Id="+id)
	})

	t.Run("blob", func(t *testing.T) {
		uploadBlob(t, r, "uploads-input", "a.txt", "hello blob")
		id := finishedInvocation(t, dir, "uploads", emulator.TriggerBlob)
		waitOutput(t, r, "uploads saw blob a.txt (10 bytes)", "Executed 'Functions.uploads' (Succeeded, Id="+id)
	})

	// The table template saves through its table output and reads back
	// through its table input; the entity is there for the Go SDK too.
	t.Run("table", func(t *testing.T) {
		checkTableTemplate(t, r.url, connectionString(emulator.Endpoints{Blob: r.blob, Queue: r.queue, Table: r.table}))
	})

	t.Run("timer", func(t *testing.T) {
		resp, body := do(t, "POST", r.url+"/admin/functions/nightly", `{"input":""}`, map[string]string{"Content-Type": "application/json"})
		if resp.StatusCode != 202 {
			t.Fatalf("POST /admin/functions/nightly = %d %q, want 202", resp.StatusCode, body)
		}
		id := finishedInvocation(t, dir, "nightly", emulator.TriggerManual)
		waitOutput(t, r, "nightly ran", "Executed 'Functions.nightly' (Succeeded, Id="+id)
	})
}
