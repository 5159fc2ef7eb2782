package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// TestQueueStore runs the queue contract against stores from newStore.
func TestQueueStore(t *testing.T, newStore func(t *testing.T) emulator.QueueStore) {
	tests := []struct {
		name string
		run  func(t *testing.T, s emulator.QueueStore, q string)
	}{
		{"CreateQueueTwice", queueCreateTwice},
		{"PutReturnsTheMessage", queuePut},
		{"ReceiveHidesMessages", queueReceive},
		{"ReceiveAtMostN", queueReceiveAtMostN},
		{"DeleteWithReceipt", queueDelete},
		{"SetVisibilityKeepsText", queueSetVisibility},
		{"StaleReceiptConflicts", queueStaleReceipt},
		{"InitialVisibility", queueInitialVisibility},
		{"TTL", queueTTL},
		{"Count", queueCount},
		{"MissingQueue", queueMissing},
		{"WatchOrPoll", queueWatch},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			q := uniqueName(t, "contract")
			if tc.name != "MissingQueue" {
				must(t, "create queue", s.CreateQueue(testContext(t), q))
			}
			tc.run(t, s, q)
		})
	}
}

func queueCreateTwice(t *testing.T, s emulator.QueueStore, q string) {
	must(t, "create an existing queue", s.CreateQueue(testContext(t), q))
}

func queuePut(t *testing.T, s emulator.QueueStore, q string) {
	m, err := s.Put(testContext(t), q, emulator.PutMessage{Text: "hello", ParentID: "parent-1"})
	must(t, "put", err)
	if m.ID == "" || m.PopReceipt == "" {
		t.Errorf("put: ID %q, PopReceipt %q, want both set", m.ID, m.PopReceipt)
	}
	if m.Text != "hello" {
		t.Errorf("put: Text %q, want hello", m.Text)
	}
	if m.InsertionTime.IsZero() || !m.ExpirationTime.After(m.InsertionTime) {
		t.Errorf("put: InsertionTime %v, ExpirationTime %v, want expiry after insertion", m.InsertionTime, m.ExpirationTime)
	}
	if m.DequeueCount != 0 {
		t.Errorf("put: DequeueCount %d, want 0", m.DequeueCount)
	}
}

func queueReceive(t *testing.T, s emulator.QueueStore, q string) {
	ctx := testContext(t)
	texts := []string{"one", "two", "three"}
	for _, text := range texts {
		_, err := s.Put(ctx, q, emulator.PutMessage{Text: text, ParentID: "parent-1"})
		must(t, "put "+text, err)
	}
	got, err := s.Receive(ctx, q, 10, time.Minute)
	must(t, "receive", err)
	var gotTexts []string
	for _, m := range got {
		gotTexts = append(gotTexts, m.Text)
		if m.DequeueCount != 1 {
			t.Errorf("receive %q: DequeueCount %d, want 1", m.Text, m.DequeueCount)
		}
		if m.ID == "" || m.PopReceipt == "" {
			t.Errorf("receive %q: ID %q, PopReceipt %q, want both set", m.Text, m.ID, m.PopReceipt)
		}
		if !m.NextVisibleTime.After(m.InsertionTime) {
			t.Errorf("receive %q: NextVisibleTime %v not after InsertionTime %v", m.Text, m.NextVisibleTime, m.InsertionTime)
		}
		// Stores that cannot keep the parent (an account's messages have
		// no metadata) return none; others return what was put.
		if m.ParentID != "" && m.ParentID != "parent-1" {
			t.Errorf("receive %q: ParentID %q, want parent-1 or empty", m.Text, m.ParentID)
		}
	}
	slices.Sort(gotTexts)
	want := slices.Sorted(slices.Values(texts))
	if !slices.Equal(gotTexts, want) {
		t.Fatalf("receive: texts %q, want %q", gotTexts, want)
	}
	again, err := s.Receive(ctx, q, 10, time.Minute)
	must(t, "receive again", err)
	if len(again) != 0 {
		t.Errorf("receive again: %d messages, want none while they are invisible", len(again))
	}
}

func queueReceiveAtMostN(t *testing.T, s emulator.QueueStore, q string) {
	ctx := testContext(t)
	for range 3 {
		_, err := s.Put(ctx, q, emulator.PutMessage{Text: "m"})
		must(t, "put", err)
	}
	got, err := s.Receive(ctx, q, 2, time.Minute)
	must(t, "receive 2", err)
	if len(got) != 2 {
		t.Fatalf("receive 2: %d messages, want 2", len(got))
	}
	rest, err := s.Receive(ctx, q, 2, time.Minute)
	must(t, "receive the rest", err)
	if len(rest) != 1 {
		t.Fatalf("receive the rest: %d messages, want 1", len(rest))
	}
}

func receiveOne(t *testing.T, s emulator.QueueStore, q string, vis time.Duration) *emulator.QueueMessageInfo {
	t.Helper()
	got, err := s.Receive(testContext(t), q, 1, vis)
	must(t, "receive", err)
	if len(got) != 1 {
		t.Fatalf("receive: %d messages, want 1", len(got))
	}
	return got[0]
}

func queueDelete(t *testing.T, s emulator.QueueStore, q string) {
	ctx := testContext(t)
	_, err := s.Put(ctx, q, emulator.PutMessage{Text: "bye"})
	must(t, "put", err)
	m := receiveOne(t, s, q, time.Minute)
	must(t, "delete", s.Delete(ctx, q, m.ID, m.PopReceipt))
	wantCode(t, "delete again", s.Delete(ctx, q, m.ID, m.PopReceipt), emulator.ENOTFOUND)
	n, err := s.Count(ctx, q)
	must(t, "count", err)
	if n != 0 {
		t.Errorf("count after delete: %d, want 0", n)
	}
}

func queueSetVisibility(t *testing.T, s emulator.QueueStore, q string) {
	ctx := testContext(t)
	_, err := s.Put(ctx, q, emulator.PutMessage{Text: "retry me"})
	must(t, "put", err)
	m := receiveOne(t, s, q, time.Minute)
	receipt, err := s.SetVisibility(ctx, q, m.ID, m.PopReceipt, 0)
	must(t, "set visibility 0", err)
	if receipt == "" || receipt == m.PopReceipt {
		t.Errorf("set visibility: receipt %q, want a new one (old %q)", receipt, m.PopReceipt)
	}
	again := receiveOne(t, s, q, time.Minute)
	if again.ID != m.ID || again.Text != "retry me" || again.DequeueCount != 2 {
		t.Errorf("receive after set visibility: ID %q text %q dequeue count %d, want %q %q 2",
			again.ID, again.Text, again.DequeueCount, m.ID, "retry me")
	}
	hidden, err := s.SetVisibility(ctx, q, again.ID, again.PopReceipt, time.Hour)
	must(t, "set visibility 1h", err)
	got, err := s.Receive(ctx, q, 1, time.Minute)
	must(t, "receive while hidden", err)
	if len(got) != 0 {
		t.Errorf("receive while hidden for an hour: %d messages, want none", len(got))
	}
	must(t, "delete with the receipt of set visibility", s.Delete(ctx, q, again.ID, hidden))
}

func queueStaleReceipt(t *testing.T, s emulator.QueueStore, q string) {
	ctx := testContext(t)
	_, err := s.Put(ctx, q, emulator.PutMessage{Text: "x"})
	must(t, "put", err)
	m := receiveOne(t, s, q, time.Minute)
	fresh, err := s.SetVisibility(ctx, q, m.ID, m.PopReceipt, time.Minute)
	must(t, "set visibility", err)
	wantCode(t, "delete with the stale receipt", s.Delete(ctx, q, m.ID, m.PopReceipt), emulator.ECONFLICT)
	_, err = s.SetVisibility(ctx, q, m.ID, m.PopReceipt, 0)
	wantCode(t, "set visibility with the stale receipt", err, emulator.ECONFLICT)
	must(t, "delete with the fresh receipt", s.Delete(ctx, q, m.ID, fresh))
}

func queueInitialVisibility(t *testing.T, s emulator.QueueStore, q string) {
	ctx := testContext(t)
	m, err := s.Put(ctx, q, emulator.PutMessage{Text: "later", Visibility: time.Hour})
	must(t, "put invisible", err)
	if !m.NextVisibleTime.After(m.InsertionTime.Add(59 * time.Minute)) {
		t.Errorf("put: NextVisibleTime %v, want about an hour after %v", m.NextVisibleTime, m.InsertionTime)
	}
	got, err := s.Receive(ctx, q, 1, time.Minute)
	must(t, "receive", err)
	if len(got) != 0 {
		t.Errorf("receive: %d messages, want none before the initial visibility passes", len(got))
	}
	n, err := s.Count(ctx, q)
	must(t, "count", err)
	if n != 1 {
		t.Errorf("count: %d, want 1 (invisible messages count)", n)
	}
}

func queueTTL(t *testing.T, s emulator.QueueStore, q string) {
	ctx := testContext(t)
	m, err := s.Put(ctx, q, emulator.PutMessage{Text: "short", TTL: time.Hour})
	must(t, "put with TTL", err)
	if d := m.ExpirationTime.Sub(m.InsertionTime); d < 59*time.Minute || d > 61*time.Minute {
		t.Errorf("put with 1h TTL: expires %v after insertion, want 1h", d)
	}
	def, err := s.Put(ctx, q, emulator.PutMessage{Text: "default"})
	must(t, "put with default TTL", err)
	if d := def.ExpirationTime.Sub(def.InsertionTime); d < 7*24*time.Hour-time.Minute || d > 7*24*time.Hour+time.Minute {
		t.Errorf("put with default TTL: expires %v after insertion, want 7 days", d)
	}
	never, err := s.Put(ctx, q, emulator.PutMessage{Text: "forever", TTL: -1})
	must(t, "put never expiring", err)
	if !never.ExpirationTime.IsZero() && never.ExpirationTime.Before(never.InsertionTime.AddDate(100, 0, 0)) {
		t.Errorf("put never expiring: ExpirationTime %v, want zero or far in the future", never.ExpirationTime)
	}
}

func queueCount(t *testing.T, s emulator.QueueStore, q string) {
	ctx := testContext(t)
	n, err := s.Count(ctx, q)
	must(t, "count empty", err)
	if n != 0 {
		t.Errorf("count empty: %d, want 0", n)
	}
	for range 3 {
		_, err := s.Put(ctx, q, emulator.PutMessage{Text: "c"})
		must(t, "put", err)
	}
	receiveOne(t, s, q, time.Minute)
	n, err = s.Count(ctx, q)
	must(t, "count", err)
	if n != 3 {
		t.Errorf("count: %d, want 3 (visible and invisible)", n)
	}
}

func queueMissing(t *testing.T, s emulator.QueueStore, q string) {
	ctx := testContext(t)
	_, err := s.Put(ctx, q, emulator.PutMessage{Text: "x"})
	wantCode(t, "put on a missing queue", err, emulator.ENOTFOUND)
	_, err = s.Receive(ctx, q, 1, time.Minute)
	wantCode(t, "receive from a missing queue", err, emulator.ENOTFOUND)
	_, err = s.Count(ctx, q)
	wantCode(t, "count a missing queue", err, emulator.ENOTFOUND)
}

// queueWatch checks notifications where the store gives them, and the
// "poll instead" answers where it does not.
func queueWatch(t *testing.T, s emulator.QueueStore, q string) {
	ctx := testContext(t)
	ch, stop := s.Watch(q)
	defer stop()
	if ch == nil {
		_, ok, err := s.NextVisible(ctx, q)
		must(t, "next visible", err)
		if ok {
			t.Errorf("next visible: ok for a store whose Watch is nil, want false (listeners poll)")
		}
		return
	}
	m, err := s.Put(ctx, q, emulator.PutMessage{Text: "later", Visibility: time.Hour})
	must(t, "put invisible", err)
	at, ok, err := s.NextVisible(ctx, q)
	must(t, "next visible", err)
	if !ok || at.Before(m.InsertionTime.Add(59*time.Minute)) {
		t.Errorf("next visible: %v ok=%v, want about an hour after %v", at, ok, m.InsertionTime)
	}
	drain(ch)
	_, err = s.Put(ctx, q, emulator.PutMessage{Text: "now"})
	must(t, "put", err)
	select {
	case <-ch:
	case <-time.After(waitTimeout):
		t.Fatal("watch: no notification after a put")
	}
}

func drain[T any](ch <-chan T) {
	for {
		select {
		case <-ch:
		default:
			return
		}
	}
}
