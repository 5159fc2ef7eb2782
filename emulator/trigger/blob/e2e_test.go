package blob_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/app"
	"github.com/funcemu/funcemu/emulator/host"
	"github.com/funcemu/funcemu/emulator/trigger/blob"
	"github.com/funcemu/funcemu/emulator/trigger/queue"
	"github.com/funcemu/funcemu/emulator/triggertest"
	"github.com/funcemu/funcemu/emulator/worker"
	"github.com/funcemu/funcemu/internal/fixturebuild"
)

// fixtureHost is a fixture app running for real: its handler built and
// started under the worker supervisor, the function host with the
// bindings' output and input hooks, on in-memory stores.
type fixtureHost struct {
	app    *emulator.App
	host   *host.Host
	queues *triggertest.Queues
	blobs  *triggertest.Blobs
	bus    *emulator.Bus

	mu     sync.Mutex
	events []emulator.Event
}

type pool struct{ s *worker.Supervisor }

func (p pool) Acquire(ctx context.Context) (host.Lease, error) {
	l, err := p.s.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	return l, nil
}

func startFixture(t *testing.T, name string) *fixtureHost {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "..", "fixtures", name))
	if err != nil {
		t.Fatal(err)
	}
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	a, err := app.Load(dir, app.Options{Environ: env})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	exe := filepath.Join(t.TempDir(), "handler")
	if err := fixturebuild.Linked(dir, exe); err != nil {
		t.Fatalf("build %s: %v", name, err)
	}
	f := &fixtureHost{app: a, bus: emulator.NewBus(),
		queues: triggertest.NewQueues(emulator.SystemClock{}), blobs: triggertest.NewBlobs(emulator.SystemClock{})}
	events, unsubscribe := f.bus.Subscribe(4096)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for e := range events {
			f.mu.Lock()
			f.events = append(f.events, e)
			f.mu.Unlock()
		}
	}()
	t.Cleanup(func() { unsubscribe(); <-done })

	sup := worker.New(worker.Options{Executable: exe, Dir: dir, Env: app.HandlerEnv(a, env), AppRoot: dir, Publisher: f.bus})
	if err := sup.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sup.Close() })
	writer := newWriter(t, a, env, f.queues, f.blobs, emulator.SystemClock{})
	f.host = host.New(host.Options{App: a, Worker: pool{sup}, Publisher: f.bus, CompatBase64Outputs: true,
		Outputs: writer.Write, Inputs: writer.Read})
	return f
}

func (f *fixtureHost) listen(t *testing.T, l interface {
	Start(context.Context) error
	Close() error
}) {
	t.Helper()
	if err := l.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
}

// finished returns the finished invocations of a function.
func (f *fixtureHost) finished(function string) []*emulator.Invocation {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*emulator.Invocation
	for _, e := range f.events {
		if e.Kind == emulator.EventInvocationFinished && e.Invocation.Function == function {
			out = append(out, e.Invocation)
		}
	}
	return out
}

func (f *fixtureHost) logged(part string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, e := range f.events {
		if e.Log != nil && strings.Contains(e.Log.Message, part) {
			return true
		}
	}
	return false
}

// TestQueueChainEndToEnd runs fixtures/queue-chain's handler process: an
// order message runs Archive, whose blob runs Notify, whose message lands
// on "notifications", each invocation naming its parent.
func TestQueueChainEndToEnd(t *testing.T) {
	t.Parallel()
	f := startFixture(t, "queue-chain")
	ql, err := queue.NewListener(queue.Options{Function: f.app.Function("Archive"), App: f.app, Store: f.queues, Invoker: f.host, Publisher: f.bus})
	if err != nil {
		t.Fatal(err)
	}
	bl, err := blob.NewListener(blob.Options{Function: f.app.Function("Notify"), App: f.app, Blobs: f.blobs, Queues: f.queues,
		Invoker: f.host, Publisher: f.bus, HostID: "e2e"})
	if err != nil {
		t.Fatal(err)
	}
	f.listen(t, ql)
	f.listen(t, bl)

	ctx := context.Background()
	if err := f.queues.CreateQueue(ctx, "orders"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.queues.Put(ctx, "orders", emulator.PutMessage{Text: base64.StdEncoding.EncodeToString([]byte(`{"id":9,"item":"tea"}`))}); err != nil {
		t.Fatal(err)
	}
	triggertest.Eventually(t, "the notification", func() bool { return len(f.queues.Messages("notifications")) == 1 })
	triggertest.Eventually(t, "both invocations recorded", func() bool { return len(f.finished("Notify")) == 1 })

	archived, ok := f.blobs.Content("archive", "9.json")
	if !ok || archived != `{"dequeueCount":"1","id":9,"item":"tea"}` {
		t.Errorf("archived blob = %q, %v", archived, ok)
	}
	msg := f.queues.Messages("notifications")[0]
	text, err := base64.StdEncoding.DecodeString(msg.Text)
	if err != nil {
		t.Fatal(err)
	}
	var note map[string]string
	if err := json.Unmarshal(text, &note); err != nil {
		t.Fatalf("notification %q: %v", text, err)
	}
	if note["blob"] != "9" || note["content"] != archived {
		t.Errorf("notification = %v", note)
	}
	archives, notifies := f.finished("Archive"), f.finished("Notify")
	if len(archives) != 1 || len(notifies) != 1 {
		t.Fatalf("finished: %d Archive, %d Notify", len(archives), len(notifies))
	}
	if archives[0].Status != emulator.StatusSucceeded || notifies[0].ParentID != archives[0].ID || msg.ParentID != notifies[0].ID {
		t.Errorf("chain: archive %+v, notify %+v, message parent %q", archives[0], notifies[0], msg.ParentID)
	}
	if out := archives[0].Outputs; len(out) != 1 || out[0].Blob == nil || out[0].Blob.Name != "9.json" {
		t.Errorf("Archive outputs = %+v", out)
	}
	if !f.logged("archived order 9") {
		t.Error("the handler's log line is missing")
	}
}

// TestPoisonEndToEnd runs fixtures/poison's always-failing handler until
// its message reaches work-poison.
func TestPoisonEndToEnd(t *testing.T) {
	t.Parallel()
	f := startFixture(t, "poison")
	ql, err := queue.NewListener(queue.Options{Function: f.app.Function("Work"), App: f.app, Store: f.queues, Invoker: f.host, Publisher: f.bus})
	if err != nil {
		t.Fatal(err)
	}
	f.listen(t, ql)
	ctx := context.Background()
	if err := f.queues.CreateQueue(ctx, "work"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.queues.Put(ctx, "work", emulator.PutMessage{Text: base64.StdEncoding.EncodeToString([]byte("job-1"))}); err != nil {
		t.Fatal(err)
	}
	triggertest.Eventually(t, "work-poison", func() bool { return len(f.queues.Messages("work-poison")) == 1 })
	triggertest.Eventually(t, "three finished runs", func() bool { return len(f.finished("Work")) >= 3 })
	runs := f.finished("Work")
	if len(runs) != 3 {
		t.Fatalf("runs = %d, want 3", len(runs))
	}
	for _, r := range runs {
		if r.Status != emulator.StatusFailed || r.Reason != "New queue message detected on 'work'." {
			t.Errorf("run = %+v", r)
		}
	}
	if !f.logged("Message has reached MaxDequeueCount of 3. Moving message to queue 'work-poison'.") {
		t.Error("the poison warning is missing")
	}
}
