package blob_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/app"
	"github.com/funcemu/funcemu/emulator/azstore"
	"github.com/funcemu/funcemu/emulator/bindings"
	"github.com/funcemu/funcemu/emulator/trigger/blob"
	"github.com/funcemu/funcemu/emulator/trigger/queue"
	"github.com/funcemu/funcemu/emulator/triggertest"
)

// chainHost stands in for the function host: it runs a Go function per
// function name as the handler and applies outputs through the bindings
// writer, as the host's Outputs hook does.
type chainHost struct {
	app      *emulator.App
	writer   *bindings.Bindings
	handlers map[string]func(req emulator.InvokeRequest) map[string]json.RawMessage

	mu   sync.Mutex
	seen []*emulator.Invocation
	reqs []emulator.InvokeRequest
}

func (h *chainHost) Invoke(ctx context.Context, req emulator.InvokeRequest) (*emulator.Result, error) {
	fn := h.app.Function(req.Function)
	inv := &emulator.Invocation{ID: emulator.NewGUID(), Function: fn.Name, Trigger: req.Trigger, ParentID: req.ParentID, Input: req.Input}
	h.mu.Lock()
	h.seen = append(h.seen, inv)
	h.reqs = append(h.reqs, req)
	h.mu.Unlock()
	values := map[string]*emulator.OutputValue{}
	for name, v := range h.handlers[fn.Name](req) {
		for _, b := range fn.Outputs() {
			if b.Name == name {
				values[name] = &emulator.OutputValue{Binding: b, Value: v}
			}
		}
	}
	written, err := h.writer.Write(ctx, fn, inv, values)
	inv.Outputs = written
	return &emulator.Result{Invocation: inv}, err
}

func (h *chainHost) invocations() ([]*emulator.Invocation, []emulator.InvokeRequest) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]*emulator.Invocation(nil), h.seen...), append([]emulator.InvokeRequest(nil), h.reqs...)
}

// TestQueueChainFixture runs fixtures/queue-chain's functions, as loaded
// from their function.json files, through the queue trigger, a blob
// output, the blob trigger and a queue output, and checks that each step
// names the invocation before it as its parent.
func TestQueueChainFixture(t *testing.T) {
	a, err := app.Load(filepath.Join("..", "..", "..", "fixtures", "queue-chain"), app.Options{Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	clock := triggertest.NewClock(time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC))
	queues, blobs := triggertest.NewQueues(clock), triggertest.NewBlobs(clock)
	writer := newWriter(t, a, []string{}, queues, blobs, clock)
	host := &chainHost{app: a, writer: writer, handlers: chainHandlers()}

	ql, err := queue.NewListener(queue.Options{Function: a.Function("Archive"), App: a, Store: queues, Invoker: host, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	bl, err := blob.NewListener(blob.Options{Function: a.Function("Notify"), App: a, Blobs: blobs, Queues: queues,
		Invoker: host, Clock: clock, HostID: "chain-host"})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range []interface{ Start(context.Context) error }{ql, bl} {
		if err := l.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { ql.Close(); bl.Close() })

	ctx := context.Background()
	if err := queues.CreateQueue(ctx, "orders"); err != nil {
		t.Fatal(err)
	}
	if _, err := queues.Put(ctx, "orders", emulator.PutMessage{Text: base64.StdEncoding.EncodeToString([]byte(`{"id":7,"item":"tea"}`))}); err != nil {
		t.Fatal(err)
	}
	triggertest.Eventually(t, "a notification", func() bool { return len(queues.Messages("notifications")) == 1 })

	if got, ok := blobs.Content("archive", "7.json"); !ok || got != `{"id":7,"item":"tea"}` {
		t.Errorf("archived blob = %q, %v", got, ok)
	}
	note, err := base64.StdEncoding.DecodeString(queues.Messages("notifications")[0].Text)
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"blob\": \"7\",\n  \"content\": \"{\\\"id\\\":7,\\\"item\\\":\\\"tea\\\"}\"\n}"
	if string(note) != want {
		t.Errorf("notification = %s, want %s", note, want)
	}
	invs, reqs := host.invocations()
	if len(invs) != 2 || invs[0].Function != "Archive" || invs[1].Function != "Notify" {
		t.Fatalf("invocations = %+v", invs)
	}
	if invs[0].ParentID != "" || invs[1].ParentID != invs[0].ID {
		t.Errorf("Notify's parent = %q, want Archive's %q", invs[1].ParentID, invs[0].ID)
	}
	if queues.Messages("notifications")[0].ParentID != invs[1].ID {
		t.Error("the notification does not name Notify as its parent")
	}
	if !strings.HasPrefix(reqs[1].Reason, "New blob detected(LogsAndContainerScan): archive/7.json") {
		t.Errorf("reason = %q", reqs[1].Reason)
	}
}

// chainHandlers stand in for fixtures/queue-chain's handler: Archive
// stores the order as the blob, Notify returns the blob's name and content.
func chainHandlers() map[string]func(emulator.InvokeRequest) map[string]json.RawMessage {
	return map[string]func(emulator.InvokeRequest) map[string]json.RawMessage{
		"Archive": func(req emulator.InvokeRequest) map[string]json.RawMessage {
			return map[string]json.RawMessage{"archived": json.RawMessage(req.Data["order"].(string))}
		},
		"Notify": func(req emulator.InvokeRequest) map[string]json.RawMessage {
			msg, _ := json.Marshal(map[string]string{"blob": req.Metadata["name"].(string), "content": req.Data["doc"].(string)})
			return map[string]json.RawMessage{"$return": msg}
		},
	}
}

// newWriter builds the bindings as funcemu start does: connections go
// through azstore.Stores, whose embedded side is the given stores.
func newWriter(t *testing.T, a *emulator.App, environ []string, queues emulator.QueueStore, blobs emulator.BlobStore, clock emulator.Clock) *bindings.Bindings {
	t.Helper()
	stores := &azstore.Stores{Lookup: app.NewConfig(a, environ).Lookup, EmbeddedQueues: queues, EmbeddedBlobs: blobs}
	if err := stores.Check(a); err != nil {
		t.Fatal(err)
	}
	return bindings.New(bindings.Options{App: a, Clock: clock,
		QueueStore: func(c string) (emulator.QueueStore, error) { q, _, err := stores.Queues(c); return q, err },
		BlobStore:  func(c string) (emulator.BlobStore, error) { b, _, err := stores.Blobs(c); return b, err },
	})
}
