package cmd

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/journal"
)

// TestRequestBeforeTheListenersIsServed opens a runner step by step and
// calls an HTTP function as soon as HTTP is served, before the journal's
// database, the queue listeners and the ready file exist: the call is
// answered, the message it enqueued reaches the queue-triggered function
// once its listener starts, the journal records the call made before it
// opened, and the ready file appears only once every part is open.
func TestRequestBeforeTheListenersIsServed(t *testing.T) {
	t.Parallel()
	app := fixtureCopy(t, "hello")
	// A queue-triggered function on the queue GET /api/hello writes to.
	if err := os.MkdirAll(filepath.Join(app, "greeted"), 0o755); err != nil {
		t.Fatal(err)
	}
	fn := `{"bindings":[{"type":"queueTrigger","direction":"in","name":"msg","queueName":"greetings"}]}`
	if err := os.WriteFile(filepath.Join(app, "greeted", "function.json"), []byte(fn), 0o644); err != nil {
		t.Fatal(err)
	}
	ready := filepath.Join(t.TempDir(), "ready.json")
	o := &startOptions{dir: app, address: "127.0.0.1", readyFile: ready, noTUI: true, compatBase64: true,
		portSet: true, noBuild: true, noWatch: true}
	r := newRunner(o, io.Discard)
	events, unsubscribe := r.bus.Subscribe(4096)
	defer unsubscribe()
	defer r.close()
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()

	steps := r.steps()
	served := slices.IndexFunc(steps, func(s step) bool { return s.name == "http" })
	for _, later := range []string{"journal file", "triggers", "timers", "watch", "ready"} {
		if i := slices.IndexFunc(steps, func(s step) bool { return s.name == later }); i < served {
			t.Fatalf("step %q opens before HTTP is served", later)
		}
	}
	for _, s := range steps[:served+1] {
		if err := s.run(ctx); err != nil {
			t.Fatalf("step %s: %v", s.name, err)
		}
	}
	if status := getStatus(t, r.endpoints.HTTP+"/api/hello/Ada"); status != 200 {
		t.Fatalf("GET /api/hello/Ada before the listeners = %d, want 200", status)
	}
	if _, err := os.Stat(ready); err == nil {
		t.Fatal("the ready file exists before every part is open")
	}
	for _, s := range steps[served+1:] {
		if err := s.run(ctx); err != nil {
			t.Fatalf("step %s: %v", s.name, err)
		}
	}
	if _, err := os.Stat(ready); err != nil {
		t.Fatalf("no ready file once open: %v", err)
	}
	waitInvocation(t, events, "greeted")
	waitRecorded(t, r.journal, "hello")
}

// getStatus sends GET url and returns the status.
func getStatus(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// waitInvocation waits for an invocation of function to start.
func waitInvocation(t *testing.T, events <-chan emulator.Event, function string) {
	t.Helper()
	timeout := time.After(patience)
	for {
		select {
		case e := <-events:
			if e.Kind == emulator.EventInvocationStarted && e.Invocation.Function == function {
				return
			}
		case <-timeout:
			t.Fatalf("%s was not invoked", function)
		}
	}
}

// waitRecorded waits until the journal holds an invocation of function.
func waitRecorded(t *testing.T, j *journal.Journal, function string) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for {
		list, err := j.List(context.Background(), journal.Filter{Function: function})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the journal holds no %s invocation", function)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestRequestDuringTheStartWaitsForIt binds the HTTP port before the
// handler starts and the store is ready: a request sent then is accepted,
// answered by no step before HTTP is served (the handler and the store
// are ready by then), and answered 200 once it is.
func TestRequestDuringTheStartWaitsForIt(t *testing.T) {
	t.Parallel()
	app := builtFixture(t, "hello")
	o := &startOptions{dir: app, address: "127.0.0.1", noTUI: true, compatBase64: true,
		portSet: true, noBuild: true, noWatch: true, storageOpts: storageOptions{dataDir: t.TempDir()}}
	r := newRunner(o, io.Discard)
	defer r.close()
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()

	steps := r.steps()
	index := func(name string) int { return slices.IndexFunc(steps, func(s step) bool { return s.name == name }) }
	bound, served := index("http port"), index("http")
	for _, need := range []string{"handler", "storage", "host"} {
		if i := index(need); i < bound || i > served {
			t.Fatalf("step %q does not open between binding the HTTP port and serving it", need)
		}
	}
	if build := index("build"); build > bound {
		t.Fatal("the HTTP port is bound before the build: a broken build would hold requests")
	}
	for _, s := range steps[:bound+1] {
		if err := s.run(ctx); err != nil {
			t.Fatalf("step %s: %v", s.name, err)
		}
	}
	url := "http://" + r.httpListener.Addr().String() + "/api/hello/Ada"
	answered := make(chan int, 1)
	go func() {
		resp, err := http.Get(url)
		if err != nil {
			answered <- -1
			return
		}
		resp.Body.Close()
		answered <- resp.StatusCode
	}()
	for _, s := range steps[bound+1 : served] {
		if err := s.run(ctx); err != nil {
			t.Fatalf("step %s: %v", s.name, err)
		}
		select {
		case status := <-answered:
			t.Fatalf("the request was answered (%d) after step %q, before HTTP is served", status, s.name)
		default:
		}
	}
	if journal := index("journal"); journal > index("host") {
		t.Fatal("the journal subscribes after the host exists: it could miss the first invocation")
	}
	if r.sup.PID() == 0 || r.store == nil {
		t.Fatal("handler or store not ready when HTTP is served")
	}
	if err := steps[served].run(ctx); err != nil {
		t.Fatalf("step http: %v", err)
	}
	select {
	case status := <-answered:
		if status != 200 {
			t.Fatalf("the request sent during the start = %d, want 200", status)
		}
	case <-ctx.Done():
		t.Fatal("the request sent during the start was never answered")
	}
}
