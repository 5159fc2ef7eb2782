package queue

import (
	"context"
	"encoding/base64"
	"errors"
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
	store   *triggertest.Queues
	invoker *triggertest.Invoker
	events  *triggertest.Events
	fn      *emulator.Function
	app     *emulator.App
}

func newHarness(t *testing.T, cfg emulator.QueuesOptions, dataType string) *harness {
	t.Helper()
	clock := triggertest.NewClock(epoch)
	fn := &emulator.Function{Name: "Work", Bindings: []*emulator.Binding{
		{Type: "queueTrigger", Direction: "in", Name: "msg", QueueName: "jobs", DataType: dataType},
	}}
	if cfg.BatchSize == 0 {
		cfg.BatchSize = 16
	}
	if cfg.NewBatchThreshold == 0 {
		cfg.NewBatchThreshold = 8
	}
	if cfg.MaxDequeueCount == 0 {
		cfg.MaxDequeueCount = 5
	}
	return &harness{
		clock:   clock,
		store:   triggertest.NewQueues(clock),
		invoker: &triggertest.Invoker{},
		events:  &triggertest.Events{},
		fn:      fn,
		app:     &emulator.App{Host: emulator.HostConfig{Queues: cfg}, Functions: []*emulator.Function{fn}},
	}
}

func (h *harness) start(t *testing.T) *Listener {
	t.Helper()
	l, err := NewListener(Options{Function: h.fn, App: h.app, Store: h.store, Invoker: h.invoker,
		Clock: h.clock, Publisher: h.events, Account: "devstoreaccount1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func (h *harness) put(t *testing.T, queue, text string) *emulator.QueueMessageInfo {
	t.Helper()
	ctx := context.Background()
	if err := h.store.CreateQueue(ctx, queue); err != nil {
		t.Fatal(err)
	}
	m, err := h.store.Put(ctx, queue, emulator.PutMessage{Text: text, ParentID: "parent-1"})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func (h *harness) waitInvocations(t *testing.T, n int) []emulator.InvokeRequest {
	t.Helper()
	triggertest.Eventually(t, "invocations", func() bool { return len(h.invoker.Requests()) >= n })
	return h.invoker.Requests()
}

func TestMessageBecomesInvocation(t *testing.T) {
	tests := []struct {
		name     string
		encoding string
		dataType string
		text     string
		want     any
	}{
		{"base64 text", "base64", "", base64.StdEncoding.EncodeToString([]byte(`{"orderId":7,"note":"hi"}`)), `{"orderId":7,"note":"hi"}`},
		{"plain text", "none", "", "hello", "hello"},
		{"binary", "base64", "binary", base64.StdEncoding.EncodeToString([]byte{0, 1, 2}), []byte{0, 1, 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, emulator.QueuesOptions{MessageEncoding: tc.encoding}, tc.dataType)
			h.start(t)
			m := h.put(t, "jobs", tc.text)
			req := h.waitInvocations(t, 1)[0]

			if req.Function != "Work" || req.Trigger != emulator.TriggerQueue || req.ParentID != "parent-1" {
				t.Errorf("request = %+v", req)
			}
			if req.Reason != "New queue message detected on 'jobs'." {
				t.Errorf("reason = %q", req.Reason)
			}
			switch want := tc.want.(type) {
			case string:
				if req.Data["msg"] != want {
					t.Errorf("Data.msg = %#v, want %q", req.Data["msg"], want)
				}
			case []byte:
				if got, ok := req.Data["msg"].([]byte); !ok || string(got) != string(want) {
					t.Errorf("Data.msg = %#v, want %v", req.Data["msg"], want)
				}
			}
			if req.Metadata["Id"] != m.ID || req.Metadata["DequeueCount"] != int64(1) {
				t.Errorf("Id/DequeueCount = %v/%v", req.Metadata["Id"], req.Metadata["DequeueCount"])
			}
			if req.Metadata["InsertionTime"] != epoch || req.Metadata["NextVisibleTime"] != epoch.Add(10*time.Minute) {
				t.Errorf("times = %v, %v", req.Metadata["InsertionTime"], req.Metadata["NextVisibleTime"])
			}
			if pr, _ := req.Metadata["PopReceipt"].(string); pr == "" {
				t.Error("PopReceipt missing")
			}
			if q := req.Input.Queue; q == nil || q.Queue != "jobs" || q.Body != tc.text || q.ID != m.ID || q.Account != "devstoreaccount1" {
				t.Errorf("input = %+v", req.Input)
			}
			triggertest.Eventually(t, "message deleted", func() bool { return len(h.store.Messages("jobs")) == 0 })
		})
	}
}

func TestJSONPropertiesJoinMetadata(t *testing.T) {
	h := newHarness(t, emulator.QueuesOptions{MessageEncoding: "none"}, "")
	h.start(t)
	h.put(t, "jobs", `{"orderId":7,"note":"hi","id":"body-id"}`)
	req := h.waitInvocations(t, 1)[0]
	if req.Metadata["orderId"] != "7" || req.Metadata["note"] != "hi" {
		t.Errorf("metadata = %v", req.Metadata)
	}
	if _, ok := req.Metadata["Id"]; ok || req.Metadata["id"] != "body-id" {
		t.Errorf("the body's id should replace the message Id: %v", req.Metadata)
	}
	if req.Metadata["QueueTrigger"] != `{"orderId":7,"note":"hi","id":"body-id"}` {
		t.Errorf("QueueTrigger = %v", req.Metadata["QueueTrigger"])
	}
}

func TestFailingMessageEndsInPoisonQueue(t *testing.T) {
	h := newHarness(t, emulator.QueuesOptions{MessageEncoding: "none", MaxDequeueCount: 3}, "")
	h.invoker.Func = func(context.Context, emulator.InvokeRequest) error { return errors.New("boom") }
	h.start(t)
	h.put(t, "jobs", "bad")
	triggertest.Eventually(t, "poisoned", func() bool { return len(h.store.Messages("jobs-poison")) == 1 })

	reqs := h.invoker.Requests()
	if len(reqs) != 3 {
		t.Fatalf("invocations = %d, want 3", len(reqs))
	}
	for i, r := range reqs {
		if r.Metadata["DequeueCount"] != int64(i+1) {
			t.Errorf("attempt %d DequeueCount = %v", i, r.Metadata["DequeueCount"])
		}
	}
	if p := h.store.Messages("jobs-poison")[0]; p.Text != "bad" || p.ParentID != "parent-1" {
		t.Errorf("poison message = %+v", p)
	}
	triggertest.Eventually(t, "original deleted", func() bool { return len(h.store.Messages("jobs")) == 0 })
	if !h.events.Logged(emulator.LevelWarning, "Message has reached MaxDequeueCount of 3. Moving message to queue 'jobs-poison'.") {
		t.Errorf("warnings = %q", h.events.Logs(emulator.LevelWarning))
	}
}

func TestVisibilityTimeoutDelaysRetry(t *testing.T) {
	h := newHarness(t, emulator.QueuesOptions{MessageEncoding: "none", VisibilityTimeout: 30 * time.Second}, "")
	var fail sync.Once
	h.invoker.Func = func(context.Context, emulator.InvokeRequest) error {
		err := errors.New("first attempt fails")
		ran := false
		fail.Do(func() { ran = true })
		if ran {
			return err
		}
		return nil
	}
	h.start(t)
	h.put(t, "jobs", "x")
	h.waitInvocations(t, 1)
	// The listener sleeps on the clock until the message is visible again.
	triggertest.Eventually(t, "a wake-up at the visibility timeout", func() bool {
		for _, d := range triggertest.Delays(h.clock) {
			if d == 30*time.Second {
				return true
			}
		}
		return false
	})
	if n := len(h.invoker.Requests()); n != 1 {
		t.Fatalf("retried before the visibility timeout: %d invocations", n)
	}
	h.clock.Advance(30 * time.Second)
	reqs := h.waitInvocations(t, 2)
	if reqs[1].Metadata["DequeueCount"] != int64(2) {
		t.Errorf("second DequeueCount = %v", reqs[1].Metadata["DequeueCount"])
	}
	triggertest.Eventually(t, "message deleted", func() bool { return len(h.store.Messages("jobs")) == 0 })
}

func TestInvalidBase64IsPoisonedWithoutInvocation(t *testing.T) {
	h := newHarness(t, emulator.QueuesOptions{MessageEncoding: "base64"}, "")
	h.start(t)
	h.put(t, "jobs", "not base64!")
	triggertest.Eventually(t, "poisoned", func() bool { return len(h.store.Messages("jobs-poison")) == 1 })
	if n := len(h.invoker.Requests()); n != 0 {
		t.Errorf("invocations = %d, want 0", n)
	}
	if !h.events.Logged(emulator.LevelError, "is not valid base64") {
		t.Errorf("errors = %q", h.events.Logs(emulator.LevelError))
	}
}

func TestOverDequeuedMessageIsPoisonedWithoutInvocation(t *testing.T) {
	h := newHarness(t, emulator.QueuesOptions{MessageEncoding: "none", MaxDequeueCount: 2}, "")
	h.put(t, "jobs", "stale")
	ctx := context.Background()
	for range 2 { // received twice by a host that died
		ms, err := h.store.Receive(ctx, "jobs", 1, 0)
		if err != nil || len(ms) != 1 {
			t.Fatal(ms, err)
		}
	}
	h.start(t)
	triggertest.Eventually(t, "poisoned", func() bool { return len(h.store.Messages("jobs-poison")) == 1 })
	if n := len(h.invoker.Requests()); n != 0 {
		t.Errorf("invocations = %d, want 0", n)
	}
}

func TestWaitsForQueueCreatedLater(t *testing.T) {
	h := newHarness(t, emulator.QueuesOptions{MessageEncoding: "none"}, "")
	h.start(t)
	triggertest.Eventually(t, "a receive on the missing queue", func() bool { return h.store.Receives() > 0 })
	h.put(t, "jobs", "late")
	if got := h.waitInvocations(t, 1)[0].Data["msg"]; got != "late" {
		t.Errorf("Data.msg = %v", got)
	}
}

func TestVisibilityRenewedWhileRunning(t *testing.T) {
	h := newHarness(t, emulator.QueuesOptions{MessageEncoding: "none"}, "")
	release := make(chan struct{})
	h.invoker.Func = func(context.Context, emulator.InvokeRequest) error { <-release; return nil }
	h.start(t)
	h.put(t, "jobs", "slow")
	h.waitInvocations(t, 1)
	for i := 1; i <= 2; i++ {
		triggertest.Eventually(t, "renewal timer", func() bool {
			p := triggertest.Delays(h.clock)
			return len(p) > 0 && p[0] == 5*time.Minute
		})
		h.clock.Advance(5 * time.Minute)
		triggertest.Eventually(t, "renewal", func() bool { return h.store.Renewals() == i })
	}
	close(release)
	// Deleting with the renewed pop receipt works.
	triggertest.Eventually(t, "message deleted", func() bool { return len(h.store.Messages("jobs")) == 0 })
	if n := len(h.invoker.Requests()); n != 1 {
		t.Errorf("invocations = %d, want 1", n)
	}
}

func TestBatchAndThresholdBoundConcurrency(t *testing.T) {
	h := newHarness(t, emulator.QueuesOptions{MessageEncoding: "none", BatchSize: 2, NewBatchThreshold: 1}, "")
	release := make(chan struct{})
	h.invoker.Func = func(context.Context, emulator.InvokeRequest) error { <-release; return nil }
	for range 7 {
		h.put(t, "jobs", "m")
	}
	h.start(t)
	h.waitInvocations(t, 2)
	for range 7 {
		release <- struct{}{}
	}
	triggertest.Eventually(t, "all processed", func() bool { return len(h.store.Messages("jobs")) == 0 })
	// Receives of two, the next one only once at most one is in flight:
	// never more than batchSize + newBatchThreshold at once.
	if m := h.invoker.MaxConcurrent(); m > 3 || m < 2 {
		t.Errorf("max concurrent = %d, want 2..3", m)
	}
}

func TestDisabledFunctionGetsNoListener(t *testing.T) {
	h := newHarness(t, emulator.QueuesOptions{MessageEncoding: "none"}, "")
	h.fn.Disabled = true
	h.put(t, "jobs", "x")
	l := h.start(t)
	l.Close()
	if h.store.Receives() != 0 {
		t.Errorf("receives = %d, want 0", h.store.Receives())
	}
	if !h.events.Logged(emulator.LevelInfo, "Function 'Functions.Work' is disabled") {
		t.Errorf("logs = %q", h.events.Logs(emulator.LevelInfo))
	}
}

func TestCloseHandsRunningMessageBack(t *testing.T) {
	h := newHarness(t, emulator.QueuesOptions{MessageEncoding: "none"}, "")
	h.invoker.Func = func(ctx context.Context, _ emulator.InvokeRequest) error { <-ctx.Done(); return ctx.Err() }
	l := h.start(t)
	h.put(t, "jobs", "x")
	h.waitInvocations(t, 1)
	l.Close()
	ms := h.store.Messages("jobs")
	if len(ms) != 1 || ms[0].NextVisibleTime.After(h.clock.Now()) {
		t.Errorf("messages after close = %+v", ms)
	}
}

func TestPoisonQueueName(t *testing.T) {
	tests := []struct{ queue, want string }{
		{"jobs", "jobs-poison"},
		{"jobs-poison", ""},
		{strings.Repeat("q", 56), strings.Repeat("q", 56) + "-poison"},
		{strings.Repeat("q", 57), ""},
	}
	for _, tc := range tests {
		if got := poisonQueue(tc.queue); got != tc.want {
			t.Errorf("poisonQueue(%q) = %q, want %q", tc.queue, got, tc.want)
		}
	}
}

func TestNewListenerNeedsQueueTrigger(t *testing.T) {
	fn := &emulator.Function{Name: "Web", Bindings: []*emulator.Binding{{Type: "httpTrigger", Direction: "in", Name: "req"}}}
	_, err := NewListener(Options{Function: fn, App: &emulator.App{}, Store: triggertest.NewQueues(emulator.SystemClock{}), Invoker: &triggertest.Invoker{}})
	if err == nil || !strings.Contains(err.Error(), "Web has no queueTrigger") {
		t.Errorf("err = %v", err)
	}
}

// noWatch hides the store's notifications, like a remote account.
type noWatch struct{ *triggertest.Queues }

func (noWatch) Watch(string) (<-chan struct{}, func()) { return nil, func() {} }

func TestWithoutNotificationsPollsWithBackoff(t *testing.T) {
	h := newHarness(t, emulator.QueuesOptions{MessageEncoding: "none"}, "")
	l, err := NewListener(Options{Function: h.fn, App: h.app, Store: noWatch{h.store}, Invoker: h.invoker, Clock: h.clock})
	if err != nil {
		t.Fatal(err)
	}
	l.Start(context.Background())
	t.Cleanup(func() { l.Close() })
	triggertest.Eventually(t, "first poll delay", func() bool {
		p := triggertest.Delays(h.clock)
		return len(p) == 1 && p[0] == poll.MinPollingInterval
	})
	h.put(t, "jobs", "polled")
	h.clock.Advance(poll.MinPollingInterval)
	if got := h.waitInvocations(t, 1)[0].Data["msg"]; got != "polled" {
		t.Errorf("Data.msg = %v", got)
	}
}

// flaky fails its first receives, like an unreachable account.
type flaky struct {
	noWatch
	mu    sync.Mutex
	fails int
}

func (f *flaky) Receive(ctx context.Context, q string, n int, v time.Duration) ([]*emulator.QueueMessageInfo, error) {
	f.mu.Lock()
	failing := f.fails > 0
	f.fails--
	f.mu.Unlock()
	if failing {
		return nil, emulator.Errorf(emulator.EUNAVAILABLE, "dial tcp 10.0.0.5:10001: connection refused")
	}
	return f.noWatch.Receive(ctx, q, n, v)
}

func TestStorageFailuresAreReportedOnceAndRecoveryToo(t *testing.T) {
	h := newHarness(t, emulator.QueuesOptions{MessageEncoding: "none"}, "")
	h.fn.Bindings[0].Connection = "Remote"
	store := &flaky{noWatch: noWatch{h.store}, fails: 3}
	l, err := NewListener(Options{Function: h.fn, App: h.app, Store: store, Invoker: h.invoker, Clock: h.clock, Publisher: h.events})
	if err != nil {
		t.Fatal(err)
	}
	l.Start(context.Background())
	t.Cleanup(func() { l.Close() })
	h.put(t, "jobs", "after the outage")
	for range 3 {
		triggertest.Eventually(t, "a backoff timer", func() bool { return len(triggertest.Delays(h.clock)) == 1 })
		h.clock.Advance(triggertest.Delays(h.clock)[0])
	}
	h.waitInvocations(t, 1)
	warnings := h.events.Logs(emulator.LevelWarning)
	if len(warnings) != 1 || !strings.Contains(warnings[0], "Work") || !strings.Contains(warnings[0], "Remote") {
		t.Errorf("warnings = %q, want one naming the function and setting", warnings)
	}
	if !h.events.Logged(emulator.LevelInfo, "storage in setting 'Remote' works again after 3 failed attempts") {
		t.Errorf("infos = %q", h.events.Logs(emulator.LevelInfo))
	}
}

func TestPendingCountsTheQueue(t *testing.T) {
	h := newHarness(t, emulator.QueuesOptions{MessageEncoding: "none"}, "")
	l, err := NewListener(Options{Function: h.fn, App: h.app, Store: h.store, Invoker: h.invoker, Clock: h.clock})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if n, err := l.Pending(ctx); n != 0 || err != nil {
		t.Errorf("missing queue: Pending = %d, %v", n, err)
	}
	h.put(t, "jobs", "a")
	h.put(t, "jobs", "b")
	if n, err := l.Pending(ctx); n != 2 || err != nil {
		t.Errorf("Pending = %d, %v; want 2", n, err)
	}
}
