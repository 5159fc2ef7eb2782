package eventgrid

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator/clock"
)

// recorder is a Target that fails the first failures deliveries.
type recorder struct {
	mu         sync.Mutex
	deliveries []Delivery
	failures   int
	changed    chan struct{}
}

func newRecorder(failures int) *recorder {
	return &recorder{failures: failures, changed: make(chan struct{}, 100)}
}

func (r *recorder) Deliver(_ context.Context, d *Delivery) error {
	r.mu.Lock()
	r.deliveries = append(r.deliveries, *d)
	fail := len(r.deliveries) <= r.failures
	r.mu.Unlock()
	r.changed <- struct{}{}
	if fail {
		return errors.New("function failed")
	}
	return nil
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.deliveries)
}

// waitCount waits for n deliveries; nothing else moves the virtual clock.
func (r *recorder) waitCount(t *testing.T, n int) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for r.count() < n {
		select {
		case <-r.changed:
		case <-deadline:
			t.Fatalf("%d deliveries, want %d", r.count(), n)
		}
	}
}

// settle waits until the broker has scheduled its retry (or finished).
func settle(t *testing.T, b *Broker, v *clock.Virtual, pendingTimers int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for v.Pending() != pendingTimers {
		if time.Now().After(deadline) {
			t.Fatalf("%d timers pending, want %d", v.Pending(), pendingTimers)
		}
		time.Sleep(time.Millisecond)
	}
}

var start = time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)

func storageEvent(name string) Event {
	return BlobEvent(BlobChange{Account: "devstoreaccount1", Container: "c", Name: name, API: "PutBlob", Time: start})
}

func TestRetriesFollowEventGridScheduleOnTheVirtualClock(t *testing.T) {
	t.Parallel()
	v := clock.NewVirtual(start)
	rec := newRecorder(3)
	b := NewBroker(BrokerOptions{Clock: v, Target: rec, Config: &Config{Subscriptions: []Subscription{
		{Name: "sub", Topic: StorageTopicName, Function: "F", EventDeliverySchema: SchemaEventGrid}}}})
	defer b.Close()
	if n := b.Publish(StorageTopicName, []Event{storageEvent("a")}, Cause{Source: "PutBlob c/a"}); n != 1 {
		t.Fatalf("Publish started %d deliveries", n)
	}
	rec.waitCount(t, 1)
	// A delivery waiting for its retry leaves the broker idle for exec.
	settle(t, b, v, 1)
	deadline := time.Now().Add(10 * time.Second)
	for b.Busy() && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if b.Busy() || b.Pending() != 1 {
		t.Errorf("waiting for a retry: busy %v, pending %d", b.Busy(), b.Pending())
	}
	for i, wait := range []time.Duration{10 * time.Second, 30 * time.Second, time.Minute} {
		settle(t, b, v, 1)
		v.Advance(wait - time.Millisecond)
		if rec.count() != i+1 {
			t.Fatalf("attempt %d ran before its %s wait", i+2, wait)
		}
		v.Advance(time.Millisecond)
		rec.waitCount(t, i+2)
	}
	settle(t, b, v, 0) // the fourth attempt succeeded
	if b.Pending() != 0 {
		t.Errorf("%d deliveries pending after success", b.Pending())
	}
	last := rec.deliveries[3]
	if last.Attempt != 4 || last.Subscription != "sub" || last.Cause.Source != "PutBlob c/a" {
		t.Errorf("last delivery = %+v", last)
	}
}

func TestMaxAttemptsDeadLetters(t *testing.T) {
	t.Parallel()
	v := clock.NewVirtual(start)
	rec := newRecorder(100)
	var mu sync.Mutex
	var letters []string
	var bodies [][]byte
	b := NewBroker(BrokerOptions{Clock: v, Target: rec,
		DeadLetter: func(_ context.Context, container, name string, body []byte) error {
			mu.Lock()
			defer mu.Unlock()
			letters, bodies = append(letters, container+"/"+name), append(bodies, body)
			return nil
		},
		Config: &Config{Subscriptions: []Subscription{{Name: "my-sub", Topic: "orders", Function: "F",
			EventDeliverySchema: SchemaEventGrid, RetryPolicy: &RetryPolicy{MaxDeliveryAttempts: 2},
			DeadLetter: &DeadLetterDestination{Container: "dead"}}}}})
	defer b.Close()
	e := mustEvent(t, `{"id":"e1","subject":"s","eventType":"T","eventTime":"2026-12-02T08:00:00Z","data":{},"dataVersion":"1"}`)
	b.Publish("orders", []Event{e}, Cause{})
	rec.waitCount(t, 1)
	settle(t, b, v, 1)
	v.Advance(10 * time.Second)
	rec.waitCount(t, 2)
	settle(t, b, v, 0)
	deadline := time.Now().Add(10 * time.Second)
	for b.Pending() != 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(letters) != 1 || !strings.HasPrefix(letters[0], "dead/MY-SUB/2026/12/2/8/") || !strings.HasSuffix(letters[0], ".json") {
		t.Fatalf("dead letters %v", letters)
	}
	var got []map[string]any
	if err := json.Unmarshal(bodies[0], &got); err != nil || len(got) != 1 {
		t.Fatalf("dead letter body %s: %v", bodies[0], err)
	}
	if got[0]["id"] != "e1" || got[0]["deadLetterReason"] != "MaxDeliveryAttemptsExceeded" || got[0]["deliveryAttempts"] != 2.0 {
		t.Errorf("dead letter = %v", got[0])
	}
}

func TestTimeToLiveEndsRetries(t *testing.T) {
	t.Parallel()
	v := clock.NewVirtual(start)
	rec := newRecorder(100)
	b := NewBroker(BrokerOptions{Clock: v, Target: rec, Config: &Config{Subscriptions: []Subscription{{Name: "sub",
		Topic: StorageTopicName, Function: "F", RetryPolicy: &RetryPolicy{EventTimeToLiveInMinutes: 1}}}}})
	defer b.Close()
	b.Publish(StorageTopicName, []Event{storageEvent("a")}, Cause{})
	rec.waitCount(t, 1)
	settle(t, b, v, 1)
	v.Advance(10 * time.Second)
	rec.waitCount(t, 2)
	settle(t, b, v, 1)
	v.Advance(30 * time.Second) // 40 s: the next wait (1 min) outlives the 1 min TTL
	rec.waitCount(t, 3)
	settle(t, b, v, 0)
	if rec.count() != 3 {
		t.Errorf("%d attempts, want 3", rec.count())
	}
}

func TestPublishMatchesTopicAndFilter(t *testing.T) {
	t.Parallel()
	rec := newRecorder(0)
	b := NewBroker(BrokerOptions{Target: rec, Config: &Config{Subscriptions: []Subscription{
		{Name: "a", Topic: StorageTopicName, Function: "A", EventDeliverySchema: SchemaCloudEvents},
		{Name: "b", Topic: StorageTopicName, Function: "B", Filter: &Filter{SubjectEndsWith: ".png"}},
		{Name: "c", Topic: "orders", Function: "C"},
	}}})
	defer b.Close()
	if n := b.Publish(StorageTopicName, []Event{storageEvent("x.txt")}, Cause{}); n != 1 {
		t.Fatalf("%d deliveries, want 1 (b filters .txt out, c is another topic)", n)
	}
	rec.waitCount(t, 1)
	if d := rec.deliveries[0]; d.Function != "A" || d.Event.Schema != SchemaCloudEvents {
		t.Errorf("delivery = %+v", d)
	}
}
