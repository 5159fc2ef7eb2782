package cmd

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/adminclient"
	"github.com/funcemu/funcemu/emulator/journal"
)

// TestStartRecordsInvocationsInTheJournal runs funcemu start on the hello
// fixture, calls a function and checks that the journal holds the call
// with its request, response and handler log once start has shut down.
func TestStartRecordsInvocationsInTheJournal(t *testing.T) {
	t.Parallel()
	app, endpoints, stop := startHello(t)
	resp, err := http.Get(endpoints.HTTP + "/api/hello/Ada")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/hello/Ada = %d %s", resp.StatusCode, body)
	}
	idle, err := http.Get(endpoints.HTTP + "/admin/funcemu/idle?timeout=1m")
	if err != nil {
		t.Fatal(err)
	}
	idle.Body.Close()
	if idle.StatusCode != http.StatusOK {
		t.Fatalf("GET /admin/funcemu/idle = %s, want 200 once the call is done", idle.Status)
	}
	if _, err := adminclient.ReadInstance(filepath.Join(app, ".funcemu")); err != nil {
		t.Fatalf("while running: %v", err)
	}
	if err := stop(); err != nil {
		t.Fatalf("start: %v", err)
	}
	if _, err := os.Stat(adminclient.InstancePath(filepath.Join(app, ".funcemu"))); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("instance file left behind after stop: %v", err)
	}

	j, err := journal.Open(journal.Options{Path: journal.PathIn(filepath.Join(app, ".funcemu"))})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	list, err := j.List(context.Background(), journal.Filter{Function: "hello"})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 {
		t.Fatalf("journal holds %d hello invocations, want 1", len(list))
	}
	rec, err := j.Get(context.Background(), list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Trigger != emulator.TriggerHTTP || rec.End.IsZero() || rec.Input == nil || rec.Input.HTTP == nil ||
		!strings.HasPrefix(rec.Input.HTTP.URL, "/api/hello/Ada") {
		t.Fatalf("recorded invocation = %+v, input %+v", rec.Invocation, rec.Input)
	}
	var sawResponse bool
	for _, out := range rec.Outputs {
		if out.HTTP != nil && out.HTTP.Status == http.StatusOK && string(out.HTTP.Body) == string(body) {
			sawResponse = true
		}
	}
	if !sawResponse {
		t.Errorf("outputs %+v lack the response the caller got (%q)", rec.Outputs, body)
	}
	var sawLog bool
	for _, l := range rec.Logs {
		sawLog = sawLog || strings.Contains(l.Message, "Greeted Ada")
	}
	if !sawLog {
		t.Errorf("logs %+v lack the handler's \"Greeted Ada\"", rec.Logs)
	}
}

// startHello runs funcemu start on a copy of the hello fixture until stop
// (or the test's end) and returns the copy and where it serves.
func startHello(t *testing.T) (string, emulator.Endpoints, func() error) {
	t.Helper()
	return startHelloWith(t, nil)
}

// startHelloWith is startHello with configure changing the copy and the
// options first.
func startHelloWith(t *testing.T, configure func(app string, o *startOptions)) (string, emulator.Endpoints, func() error) {
	t.Helper()
	app := fixtureCopy(t, "hello")
	ready := filepath.Join(t.TempDir(), "ready.json")
	o := &startOptions{dir: app, address: "127.0.0.1", readyFile: ready, noTUI: true, compatBase64: true, portSet: true, noBuild: true}
	if configure != nil {
		configure(app, o)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runStart(ctx, o, io.Discard) }()
	var once sync.Once
	var err error
	stop := func() error {
		once.Do(func() {
			cancel()
			err = <-done
		})
		return err
	}
	t.Cleanup(func() { stop() })
	return app, readyEndpoints(t, ready, done), stop
}

// readyEndpoints polls for the ready file; the handler build can take a while
// on a busy machine, so the timeout is generous and only bounds a hang.
func readyEndpoints(t *testing.T, path string, done <-chan error) emulator.Endpoints {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			t.Fatalf("start ended before ready: %v", err)
		default:
		}
		b, err := os.ReadFile(path)
		if err == nil {
			var e emulator.Endpoints
			if err := json.Unmarshal(b, &e); err != nil {
				t.Fatalf("ready file %s: %v", path, err)
			}
			return e
		}
		if !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("start not ready within 3 minutes")
	return emulator.Endpoints{}
}
