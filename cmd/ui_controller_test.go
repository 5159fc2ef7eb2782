package cmd

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/storage"
	"github.com/funcemu/funcemu/tui"
)

// openHelloRunner opens a runner for funcemu start on a copy of the built hello
// fixture, on a free port, closed at the test's end, and returns it with
// the UI controller start would give the terminal UI.
func openHelloRunner(t *testing.T, configure func(o *startOptions)) (*runner, *uiController) {
	t.Helper()
	app := fixtureCopy(t, "hello")
	o := &startOptions{dir: app, address: "127.0.0.1", noTUI: true, compatBase64: true, portSet: true,
		debounce: 50 * time.Millisecond}
	if configure != nil {
		configure(o)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := newRunner(o, io.Discard)
	r.quit = cancel
	t.Cleanup(func() {
		cancel()
		r.close()
	})
	if err := r.open(ctx); err != nil {
		t.Fatalf("open: %v", err)
	}
	return r, newUIController(ctx, r)
}

// subscribe returns the runner's events from now on.
func subscribe(t *testing.T, r *runner) <-chan emulator.Event {
	events, unsubscribe := r.bus.Subscribe(4096)
	t.Cleanup(unsubscribe)
	return events
}

// awaitEvent returns the first event that match accepts. The timeout only
// bounds a hang; a build on a busy machine can take a while.
func awaitEvent(t *testing.T, events <-chan emulator.Event, what string, match func(emulator.Event) bool) emulator.Event {
	t.Helper()
	timeout := time.After(3 * time.Minute)
	for {
		select {
		case e, ok := <-events:
			if !ok {
				t.Fatalf("events ended before %s", what)
			}
			if match(e) {
				return e
			}
		case <-timeout:
			t.Fatalf("no %s within 3 minutes", what)
		}
	}
}

func isFinished(function, trigger string) func(emulator.Event) bool {
	return func(e emulator.Event) bool {
		return e.Kind == emulator.EventInvocationFinished && e.Invocation.Function == function &&
			e.Invocation.Trigger == trigger
	}
}

// awaitRecorded waits until the journal, written in the background, holds
// invocation id.
func awaitRecorded(t *testing.T, r *runner, id string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		_, err := r.journal.Get(context.Background(), id)
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("invocation %s not in the journal within a minute: %v", id, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestUIControllerInvokesRebuildsAndReplays(t *testing.T) {
	t.Parallel()
	// The handler is prebuilt and a --build command stands in for go build:
	// this test's subject is what the controller does with a rebuild (the
	// events, the swap), the same for either kind of build; go build's
	// rebuilds are the hot-reload tests' subject.
	r, c := openHelloRunner(t, func(o *startOptions) { o.buildCmd = "true" })
	ctx := context.Background()

	t.Run("invoke fires the function as the admin API does", func(t *testing.T) {
		events := subscribe(t, r)
		if err := c.Invoke(ctx, "hello", "from the ui"); err != nil {
			t.Fatal(err)
		}
		e := awaitEvent(t, events, "finished manual hello invocation", isFinished("hello", emulator.TriggerManual))
		if e.Invocation.Status != emulator.StatusSucceeded {
			t.Fatalf("invocation %+v, want it succeeded", e.Invocation)
		}
	})

	t.Run("invoke names a function that does not exist", func(t *testing.T) {
		err := c.Invoke(ctx, "nope", "")
		if err == nil || !strings.Contains(err.Error(), "nope") {
			t.Fatalf("Invoke(nope) = %v, want an error naming nope", err)
		}
	})

	t.Run("replay sends a recorded http request again", func(t *testing.T) {
		events := subscribe(t, r)
		resp, err := http.Get(r.endpoints.HTTP + "/api/hello/Ada")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		first := awaitEvent(t, events, "finished http hello invocation", isFinished("hello", emulator.TriggerHTTP))
		awaitRecorded(t, r, first.Invocation.ID)
		if err := c.Replay(ctx, first.Invocation.ID); err != nil {
			t.Fatal(err)
		}
		again := awaitEvent(t, events, "replayed hello invocation", isFinished("hello", emulator.TriggerHTTP))
		if again.Invocation.ID == first.Invocation.ID {
			t.Fatal("the replay reported the recorded invocation, not a new one")
		}
		if in := again.Invocation.Input; in == nil || in.HTTP == nil || !strings.HasPrefix(in.HTTP.URL, "/api/hello/Ada") {
			t.Fatalf("replayed input %+v, want the request to /api/hello/Ada", again.Invocation.Input)
		}
	})

	t.Run("replay names an invocation the journal lacks", func(t *testing.T) {
		if err := c.Replay(ctx, "ffffffff-0000"); err == nil {
			t.Fatal("Replay of an unknown id succeeded")
		}
	})

	t.Run("queues list, peek and move a poison message back", func(t *testing.T) {
		s := r.store
		for _, q := range []string{"uiorders", "uiorders-poison"} {
			if _, err := s.CreateQueue(ctx, uiAccount, q, nil); err != nil {
				t.Fatal(err)
			}
		}
		for _, text := range []string{"keep", "bad order"} {
			if _, err := s.PutMessage(ctx, uiAccount, "uiorders-poison", storage.NewMessage{Text: text}); err != nil {
				t.Fatal(err)
			}
		}
		want := tui.QueueInfo{Name: "uiorders", Depth: 0, PoisonDepth: 2}
		if got := uiQueue(t, c, "uiorders"); got != want {
			t.Fatalf("queue %+v, want %+v", got, want)
		}
		peeked, err := c.PeekMessages(ctx, tui.PoisonQueueName("uiorders"), 32)
		if err != nil {
			t.Fatal(err)
		}
		if len(peeked) != 2 || peeked[1].Body != "bad order" {
			t.Fatalf("peeked %+v, want the two poison messages", peeked)
		}
		if err := c.RequeuePoison(ctx, "uiorders", peeked[1].ID); err != nil {
			t.Fatal(err)
		}
		want = tui.QueueInfo{Name: "uiorders", Depth: 1, PoisonDepth: 1}
		if got := uiQueue(t, c, "uiorders"); got != want {
			t.Fatalf("after the move, queue %+v, want %+v", got, want)
		}
		live, err := c.PeekMessages(ctx, "uiorders", 32)
		if err != nil || len(live) != 1 || live[0].Body != "bad order" {
			t.Fatalf("uiorders holds %+v (%v), want the moved message", live, err)
		}
		left, err := c.PeekMessages(ctx, "uiorders-poison", 32)
		if err != nil || len(left) != 1 || left[0].Body != "keep" {
			t.Fatalf("uiorders-poison holds %+v (%v), want the other message visible", left, err)
		}
		if err := c.RequeuePoison(ctx, "uiorders", "no-such-id"); err == nil || !strings.Contains(err.Error(), "no-such-id") {
			t.Fatalf("moving an unknown message: %v, want an error naming it", err)
		}
		none, err := c.PeekMessages(ctx, "never-made-poison", 32)
		if err != nil || len(none) != 0 {
			t.Fatalf("peek of a missing queue = %+v, %v; want none and no error", none, err)
		}
	})

	t.Run("rebuild publishes build events", func(t *testing.T) {
		events := subscribe(t, r)
		if err := c.Rebuild(ctx); err != nil {
			t.Fatal(err)
		}
		awaitEvent(t, events, "build.started", func(e emulator.Event) bool { return e.Kind == emulator.EventBuildStarted })
		done := awaitEvent(t, events, "build.finished", func(e emulator.Event) bool { return e.Kind == emulator.EventBuildFinished })
		if done.Build.State != emulator.BuildSucceeded {
			t.Fatalf("build %+v, want it succeeded", done.Build)
		}
		awaitEvent(t, events, "the swap", func(e emulator.Event) bool {
			return e.Kind == emulator.EventLog && strings.Contains(e.Log.Message, "Swapped in the new build")
		})
	})
}

// uiQueue is the named queue as the Queues view lists it.
func uiQueue(t *testing.T, c *uiController, name string) tui.QueueInfo {
	t.Helper()
	qs, err := c.Queues(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		if strings.HasSuffix(q.Name, "-poison") {
			t.Errorf("poison queue %s listed on its own", q.Name)
		}
		if q.Name == name {
			return q
		}
	}
	t.Fatalf("queues %+v lack %s", qs, name)
	return tui.QueueInfo{}
}

func TestUIControllerRefusals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	starting := newUIController(ctx, newRunner(&startOptions{}, io.Discard))
	noWatch, _ := openHelloRunner(t, func(o *startOptions) { o.noWatch, o.noBuild = true, true })
	tests := []struct {
		name string
		do   func() error
		want string
	}{
		{"invoke while starting", func() error { return starting.Invoke(ctx, "hello", "") }, "still starting"},
		{"replay while starting", func() error { return starting.Replay(ctx, "abc") }, "still starting"},
		{"rebuild while starting", func() error { return starting.Rebuild(ctx) }, "still starting"},
		{"rebuild with --no-watch", func() error { return newUIController(ctx, noWatch).Rebuild(ctx) }, "--no-watch"},
		{"queues while starting", func() error { _, err := starting.Queues(ctx); return err }, "still starting"},
		{"invoke while stopping", func() error {
			if err := noWatch.background.Close(ctx); err != nil {
				return err
			}
			return newUIController(ctx, noWatch).Invoke(ctx, "hello", "")
		}, "stopping"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.do()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestStartPrintsLinesWithoutATerminal(t *testing.T) {
	t.Parallel()
	pipeR, pipeW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pipeR.Close() })
	var printed bytes.Buffer
	copied := make(chan struct{})
	go func() {
		defer close(copied)
		io.Copy(&printed, pipeR)
	}()

	app := fixtureCopy(t, "hello")
	ready := filepath.Join(t.TempDir(), "ready.json")
	o := &startOptions{dir: app, address: "127.0.0.1", readyFile: ready, compatBase64: true, portSet: true, noWatch: true, noBuild: true}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runStart(ctx, o, pipeW) }()
	t.Cleanup(cancel)
	readyEndpoints(t, ready, done)
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("start: %v", err)
	}
	pipeW.Close()
	<-copied

	for _, want := range []string{"Functions:", "hello:", "/api/hello"} {
		if !strings.Contains(printed.String(), want) {
			t.Errorf("start printed %q, want it to contain %q", printed.String(), want)
		}
	}
}

func TestUseUIOnlyInATerminal(t *testing.T) {
	t.Parallel()
	_, pipe, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pipe.Close() })
	quit := func() {}
	tests := []struct {
		name   string
		stdout io.Writer
		opts   startOptions
		quit   context.CancelFunc
	}{
		{"buffer", &bytes.Buffer{}, startOptions{}, quit},
		{"pipe", pipe, startOptions{}, quit},
		{"pipe with --no-tui", pipe, startOptions{noTUI: true}, quit},
		{"pipe with --json", pipe, startOptions{json: true}, quit},
		{"a command that cannot be quit", pipe, startOptions{}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRunner(&tc.opts, tc.stdout)
			r.quit = tc.quit
			if r.useUI() {
				t.Fatal("useUI() = true without a terminal")
			}
		})
	}
}
