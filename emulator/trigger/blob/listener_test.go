package blob

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/clock"
	"github.com/funcemu/funcemu/emulator/poll"
	"github.com/funcemu/funcemu/emulator/triggertest"
)

var epoch = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

type harness struct {
	clock   *clock.Virtual
	blobs   *triggertest.Blobs
	queues  *triggertest.Queues
	invoker *triggertest.Invoker
	events  *triggertest.Events
	fn      *emulator.Function
	app     *emulator.App
	watch   emulator.BlobStore // what the listener reads; blobs unless replaced
}

func newHarness(path, dataType string, parallel int) *harness {
	clock := triggertest.NewClock(epoch)
	fn := &emulator.Function{Name: "Thumb", Bindings: []*emulator.Binding{
		{Type: "blobTrigger", Direction: "in", Name: "image", Path: path, DataType: dataType},
	}}
	blobs := triggertest.NewBlobs(clock)
	return &harness{
		clock: clock, blobs: blobs, queues: triggertest.NewQueues(clock), watch: blobs,
		invoker: &triggertest.Invoker{}, events: &triggertest.Events{}, fn: fn,
		app: &emulator.App{Host: emulator.HostConfig{
			Blobs:  emulator.BlobsOptions{MaxDegreeOfParallelism: parallel, PoisonBlobThreshold: 3},
			Queues: emulator.QueuesOptions{MessageEncoding: "base64"},
		}, Functions: []*emulator.Function{fn}},
	}
}

func (h *harness) start(t *testing.T) *Listener {
	t.Helper()
	return h.startWithReceipts(t, h.blobs)
}

// startWithReceipts starts a listener that keeps its receipts in receipts.
func (h *harness) startWithReceipts(t *testing.T, receipts emulator.BlobStore) *Listener {
	t.Helper()
	l, err := NewListener(Options{Function: h.fn, App: h.app, Blobs: h.watch, Queues: h.queues, Receipts: receipts,
		Invoker: h.invoker, Clock: h.clock, Publisher: h.events, HostID: "myhost", Account: "devstoreaccount1",
		BlobEndpoint: "http://127.0.0.1:10000/devstoreaccount1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func (h *harness) waitInvocations(t *testing.T, n int) []emulator.InvokeRequest {
	t.Helper()
	triggertest.Eventually(t, "invocations", func() bool { return len(h.invoker.Requests()) >= n })
	return h.invoker.Requests()
}

func TestBlobWriteBecomesInvocation(t *testing.T) {
	h := newHarness("images/{stem}.{ext}", "", 4)
	h.blobs.Put("images", "x", "", emulator.WriteBlob{}) // the container exists
	h.start(t)
	info := h.blobs.Put("images", "cats/a.b.png", "pixels", emulator.WriteBlob{ContentType: "image/png", Metadata: map[string]string{"owner": "ann"}, ParentID: "inv-0"})
	req := h.waitInvocations(t, 1)[0]

	if req.Function != "Thumb" || req.Trigger != emulator.TriggerBlob || req.ParentID != "inv-0" {
		t.Errorf("request = %+v", req)
	}
	if req.Reason != "New blob detected(LogsAndContainerScan): images/cats/a.b.png" {
		t.Errorf("reason = %q", req.Reason)
	}
	if req.Data["image"] != "pixels" {
		t.Errorf("Data.image = %#v", req.Data["image"])
	}
	m := req.Metadata
	if m["stem"] != "cats/a.b" || m["ext"] != "png" || m["BlobTrigger"] != "images/cats/a.b.png" {
		t.Errorf("captures = %v", m)
	}
	if m["Uri"] != "http://127.0.0.1:10000/devstoreaccount1/images/cats/a.b.png" {
		t.Errorf("Uri = %v", m["Uri"])
	}
	props, _ := m["Properties"].(map[string]any)
	if props["ContentType"] != "image/png" || props["ContentLength"] != int64(6) || props["ETag"] != info.ETag {
		t.Errorf("Properties = %v", props)
	}
	if md, _ := m["Metadata"].(map[string]any); md["owner"] != "ann" {
		t.Errorf("Metadata = %v", m["Metadata"])
	}
	if b := req.Input.Blob; b == nil || b.Container != "images" || b.Name != "cats/a.b.png" || string(b.Content) != "pixels" || b.ETag != info.ETag {
		t.Errorf("input = %+v", req.Input.Blob)
	}
	receipt := "blobreceipts/myhost/Host.Functions.Thumb/" + info.ETag + "/images/cats/a.b.png"
	triggertest.Eventually(t, "receipt", func() bool { _, ok := h.blobs.Content("azure-webjobs-hosts", receipt); return ok })
}

func TestEventGridSourceIsNamedInTheReason(t *testing.T) {
	h := newHarness("in/{name}", "", 1)
	h.fn.Bindings[0].Source = "EventGrid"
	l := h.start(t)
	info := h.blobs.Put("in", "e", "x", emulator.WriteBlob{})
	// An EventGrid-sourced trigger neither scans nor watches: only events run it.
	h.blobs.Put("in", "unannounced", "y", emulator.WriteBlob{})
	if l.BlobEvent(context.Background(), "other", "e", info.ETag) {
		t.Error("BlobEvent took a blob of another container")
	}
	if !l.BlobEvent(context.Background(), "in", "e", info.ETag) {
		t.Fatal("BlobEvent did not take in/e")
	}
	if got := h.waitInvocations(t, 1)[0].Reason; got != "New blob detected(EventGrid): in/e" {
		t.Errorf("reason = %q", got)
	}
	// The same version announced again runs once: the receipt says done.
	triggertest.Eventually(t, "receipt", func() bool { return len(h.blobs.Names("azure-webjobs-hosts")) == 1 })
	l.BlobEvent(context.Background(), "in", "e", info.ETag)
	l.Close() // waits for the run BlobEvent may have started
	if n := len(h.invoker.Requests()); n != 1 {
		t.Errorf("%d invocations, want 1 (in/e once, in/unannounced never)", n)
	}
}

func TestBinaryDataType(t *testing.T) {
	h := newHarness("in/{name}", "binary", 1)
	h.start(t)
	h.blobs.Put("in", "b", "\x00\x01", emulator.WriteBlob{})
	req := h.waitInvocations(t, 1)[0]
	if got, ok := req.Data["image"].([]byte); !ok || string(got) != "\x00\x01" {
		t.Errorf("Data.image = %#v", req.Data["image"])
	}
}

func TestBlobsWrittenWhileStoppedRunOnceAcrossRestarts(t *testing.T) {
	h := newHarness("in/{name}", "", 1)
	h.blobs.Put("in", "old", "1", emulator.WriteBlob{})
	first := h.start(t)
	if got := h.waitInvocations(t, 1)[0].Metadata["name"]; got != "old" {
		t.Fatalf("first run processed %v", got)
	}
	triggertest.Eventually(t, "receipt", func() bool { return len(h.blobs.Names("azure-webjobs-hosts")) == 1 })
	first.Close()

	// A restart scans again: the receipt keeps "old" from running twice,
	// a blob written while stopped runs, and so does a changed "old".
	h.blobs.Put("in", "new", "2", emulator.WriteBlob{})
	h.start(t)
	reqs := h.waitInvocations(t, 2)
	if reqs[1].Metadata["name"] != "new" {
		t.Fatalf("second run processed %v", reqs[1].Metadata["name"])
	}
	h.blobs.Put("in", "old", "changed", emulator.WriteBlob{})
	reqs = h.waitInvocations(t, 3)
	if reqs[2].Metadata["name"] != "old" || reqs[2].Data["image"] != "changed" {
		t.Errorf("third invocation = %+v", reqs[2])
	}
	if n := len(h.invoker.Requests()); n != 3 {
		t.Errorf("invocations = %d, want 3", n)
	}
}

func TestNonMatchingBlobsAreIgnored(t *testing.T) {
	h := newHarness("in/{name}.txt", "", 1)
	h.start(t)
	h.blobs.Put("in", "photo.png", "x", emulator.WriteBlob{})
	h.blobs.Put("in", "note.txt", "y", emulator.WriteBlob{})
	reqs := h.waitInvocations(t, 1)
	// One slot: note.txt ran after photo.png was looked at.
	if len(reqs) != 1 || reqs[0].Metadata["name"] != "note" {
		t.Errorf("requests = %+v", reqs)
	}
}

func TestFailingBlobGoesToPoisonQueue(t *testing.T) {
	h := newHarness("in/{name}", "", 1)
	h.invoker.Func = func(context.Context, emulator.InvokeRequest) error { return errors.New("boom") }
	h.start(t)
	info := h.blobs.Put("in", "bad.csv", "x", emulator.WriteBlob{})
	triggertest.Eventually(t, "poison message", func() bool { return len(h.queues.Messages("webjobs-blobtrigger-poison")) == 1 })
	if n := len(h.invoker.Requests()); n != 3 {
		t.Errorf("attempts = %d, want 3", n)
	}
	text := h.queues.Messages("webjobs-blobtrigger-poison")[0].Text
	body, err := base64.StdEncoding.DecodeString(text)
	if err != nil {
		t.Fatal(err)
	}
	var msg map[string]string
	if err := json.Unmarshal(body, &msg); err != nil {
		t.Fatalf("poison message %s: %v", body, err)
	}
	want := map[string]string{"Type": "BlobTrigger", "FunctionId": "Host.Functions.Thumb", "BlobType": "BlockBlob",
		"ContainerName": "in", "BlobName": "bad.csv", "ETag": info.ETag}
	for k, v := range want {
		if msg[k] != v {
			t.Errorf("poison message %s = %q, want %q", k, msg[k], v)
		}
	}
	if !h.events.Logged(emulator.LevelWarning, "Message has reached MaxDequeueCount of 3. Moving message to queue 'webjobs-blobtrigger-poison'.") {
		t.Errorf("warnings = %q", h.events.Logs(emulator.LevelWarning))
	}
	triggertest.Eventually(t, "receipt", func() bool { return len(h.blobs.Names("azure-webjobs-hosts")) == 1 })
}

// noWatch hides the store's notifications, like a remote account.
type noWatch struct{ *triggertest.Blobs }

func (noWatch) Watch(string) (<-chan emulator.BlobChange, func()) { return nil, func() {} }

func TestWithoutNotificationsScansOnTheClock(t *testing.T) {
	h := newHarness("in/{name}", "", 1)
	h.watch = noWatch{h.blobs}
	h.start(t)
	triggertest.Eventually(t, "first scan and its timer", func() bool {
		p := triggertest.Delays(h.clock)
		return h.blobs.Lists() == 1 && len(p) == 1 && p[0] == poll.ScanInterval
	})
	h.blobs.Put("in", "late", "x", emulator.WriteBlob{})
	h.clock.Advance(poll.ScanInterval)
	if got := h.waitInvocations(t, 1)[0].Metadata["name"]; got != "late" {
		t.Errorf("name = %v", got)
	}
	// The scan cursor is kept where the host keeps it.
	if _, ok := h.blobs.Content("azure-webjobs-hosts", poll.ScanInfoPath("myhost", "devstoreaccount1", "in")); !ok {
		t.Errorf("no scan cursor; hosts container has %v", h.blobs.Names("azure-webjobs-hosts"))
	}
}

func TestDisabledFunctionGetsNoListener(t *testing.T) {
	h := newHarness("in/{name}", "", 1)
	h.fn.Disabled = true
	h.blobs.Put("in", "a", "x", emulator.WriteBlob{})
	l := h.start(t)
	l.Close()
	if h.blobs.Lists() != 0 {
		t.Errorf("lists = %d, want 0", h.blobs.Lists())
	}
}

func TestNamePrefix(t *testing.T) {
	tests := []struct{ path, want string }{
		{"in/{name}", ""},
		{"in/photos/{name}.jpg", "photos/"},
		{"in", ""},
		{"in/fixed.txt", "fixed.txt"},
	}
	for _, tc := range tests {
		if got := namePrefix(tc.path); got != tc.want {
			t.Errorf("namePrefix(%q) = %q, want %q", tc.path, got, tc.want)
		}
	}
}

func TestNewListenerErrors(t *testing.T) {
	h := newHarness("in/{name.x}", "", 1)
	_, err := NewListener(Options{Function: h.fn, App: h.app, Blobs: h.blobs, Queues: h.queues, Invoker: h.invoker, HostID: "h"})
	if err == nil || !strings.Contains(err.Error(), `function Thumb: binding "image": path`) {
		t.Errorf("err = %v", err)
	}
	h = newHarness("in/{name}", "", 1)
	_, err = NewListener(Options{Function: h.fn, App: h.app, Blobs: h.blobs, Queues: h.queues, Invoker: h.invoker})
	if err == nil || !strings.Contains(err.Error(), "HostID is required") {
		t.Errorf("err = %v", err)
	}
}

func TestEventGridBlobThatKeepsFailingGoesToPoisonQueue(t *testing.T) {
	h := newHarness("in/{name}", "", 1)
	h.fn.Bindings[0].Source = "EventGrid"
	h.invoker.Func = func(context.Context, emulator.InvokeRequest) error { return errors.New("boom") }
	l := h.start(t)
	info := h.blobs.Put("in", "bad.csv", "x", emulator.WriteBlob{})
	l.BlobEvent(context.Background(), "in", "bad.csv", info.ETag)
	triggertest.Eventually(t, "poison message", func() bool { return len(h.queues.Messages("webjobs-blobtrigger-poison")) == 1 })
	triggertest.Eventually(t, "receipt", func() bool { return len(h.blobs.Names("azure-webjobs-hosts")) == 1 })
	if n := len(h.invoker.Requests()); n != 3 {
		t.Errorf("attempts = %d, want poisonBlobThreshold 3", n)
	}
	// The same event delivered again runs nothing: the version is done.
	l.BlobEvent(context.Background(), "in", "bad.csv", info.ETag)
	l.Close()
	if n := len(h.invoker.Requests()); n != 3 {
		t.Errorf("attempts after a repeated event = %d, want 3", n)
	}
}

// receiptLookups counts the receipt reads of a listener.
type receiptLookups struct {
	emulator.BlobStore
	mu    sync.Mutex
	reads int
}

func (r *receiptLookups) ReadBlob(ctx context.Context, container, name string) (io.ReadCloser, *emulator.BlobInfo, error) {
	if container == poll.HostsContainer {
		r.mu.Lock()
		r.reads++
		r.mu.Unlock()
	}
	return r.BlobStore.ReadBlob(ctx, container, name)
}

func (r *receiptLookups) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.reads
}

// TestRestartScanListsReceiptsOnce: a restart over a container of blobs
// already done looks no receipt up one by one; the blobs done stay done
// and the one written while stopped runs once.
func TestRestartScanListsReceiptsOnce(t *testing.T) {
	h := newHarness("in/{name}", "", 4)
	for i := range 20 {
		h.blobs.Put("in", fmt.Sprintf("old-%02d", i), "x", emulator.WriteBlob{})
	}
	first := h.start(t)
	h.waitInvocations(t, 20)
	triggertest.Eventually(t, "receipts", func() bool { return len(h.blobs.Names("azure-webjobs-hosts")) == 20 })
	first.Close()

	h.blobs.Put("in", "new", "y", emulator.WriteBlob{})
	counting := &receiptLookups{BlobStore: h.blobs}
	h.startWithReceipts(t, counting)
	reqs := h.waitInvocations(t, 21)
	if reqs[20].Metadata["name"] != "new" {
		t.Fatalf("after the restart %v ran, want new", reqs[20].Metadata["name"])
	}
	triggertest.Eventually(t, "the new receipt", func() bool { return len(h.blobs.Names("azure-webjobs-hosts")) == 21 })
	if n := len(h.invoker.Requests()); n != 21 {
		t.Fatalf("invocations = %d, want 21: a blob done before ran again", n)
	}
	if n := counting.count(); n != 0 {
		t.Fatalf("the scan read %d receipts one by one, want none", n)
	}
}
