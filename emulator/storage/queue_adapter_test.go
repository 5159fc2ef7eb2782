package storage

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/clock"
)

func openQueueTestStore(t *testing.T, kind string) (*Store, *clock.Virtual) {
	t.Helper()
	clock := clock.NewVirtual(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC))
	path := ""
	if kind == "file" {
		path = filepath.Join(t.TempDir(), "s.db")
	}
	s, err := Open(Options{Path: path, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, clock
}

func woken(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

func TestQueueStoreAdapter(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{"file", "memory"} {
		t.Run(kind, func(t *testing.T) {
			s, clock := openQueueTestStore(t, kind)
			ctx := context.Background()
			qs := s.QueueStore("devstoreaccount1")
			if err := qs.CreateQueue(ctx, "jobs"); err != nil {
				t.Fatal(err)
			}
			if err := qs.CreateQueue(ctx, "jobs"); err != nil {
				t.Fatalf("create again: %v", err)
			}
			watch, stop := qs.Watch("jobs")
			defer stop()

			put, err := qs.Put(ctx, "jobs", emulator.PutMessage{Text: "a", ParentID: "inv-1"})
			if err != nil {
				t.Fatal(err)
			}
			if !woken(watch) {
				t.Fatal("Put did not wake the watcher")
			}
			if _, err := qs.Put(ctx, "jobs", emulator.PutMessage{Text: "later", Visibility: time.Minute}); err != nil {
				t.Fatal(err)
			}
			if woken(watch) {
				t.Fatal("a hidden message woke the watcher")
			}
			next, ok, err := qs.NextVisible(ctx, "jobs")
			if err != nil || !ok || !next.Equal(clock.Now().Add(time.Minute)) {
				t.Fatalf("NextVisible = %v %v %v, want now+1m", next, ok, err)
			}
			if n, err := qs.Count(ctx, "jobs"); err != nil || n != 2 {
				t.Fatalf("Count = %d, %v", n, err)
			}

			got, err := qs.Receive(ctx, "jobs", 32, time.Minute)
			if err != nil || len(got) != 1 {
				t.Fatalf("Receive = %v, %v", got, err)
			}
			m := got[0]
			if m.ID != put.ID || m.ParentID != "inv-1" || m.DequeueCount != 1 || m.Text != "a" {
				t.Fatalf("received %+v", m)
			}
			receipt, err := qs.SetVisibility(ctx, "jobs", m.ID, m.PopReceipt, 0)
			if err != nil {
				t.Fatal(err)
			}
			if !woken(watch) {
				t.Fatal("making a message visible again did not wake the watcher")
			}
			err = qs.Delete(ctx, "jobs", m.ID, m.PopReceipt)
			if emulator.ErrorCode(err) != emulator.ECONFLICT {
				t.Fatalf("stale receipt: %v (code %s), want conflict", err, emulator.ErrorCode(err))
			}
			if err := qs.Delete(ctx, "jobs", m.ID, receipt); err != nil {
				t.Fatal(err)
			}
			if err := qs.Delete(ctx, "jobs", m.ID, receipt); emulator.ErrorCode(err) != emulator.ENOTFOUND {
				t.Fatalf("second delete: %v, want not found", err)
			}
			if _, err := qs.Put(ctx, "missing", emulator.PutMessage{Text: "x"}); emulator.ErrorCode(err) != emulator.ENOTFOUND {
				t.Fatalf("put to a missing queue: %v, want not found", err)
			}
			if _, err := qs.Receive(ctx, "missing", 1, time.Minute); emulator.ErrorCode(err) != emulator.ENOTFOUND {
				t.Fatalf("receive from a missing queue: %v, want not found", err)
			}
			clock.Advance(2 * time.Minute)
			if _, ok, _ := qs.NextVisible(ctx, "jobs"); ok {
				t.Fatal("NextVisible reports a message that is already visible")
			}
		})
	}
}

func TestSubscriptionsEndAndStayPerQueue(t *testing.T) {
	t.Parallel()
	s, _ := openQueueTestStore(t, "memory")
	ctx := context.Background()
	for _, q := range []string{"aaa", "bbb"} {
		if err := s.CreateQueueIfNotExists(ctx, "acct", q); err != nil {
			t.Fatal(err)
		}
	}
	a, stopA := s.SubscribeQueue("acct", "aaa")
	b, stopB := s.SubscribeQueue("acct", "bbb")
	defer stopB()
	if _, err := s.PutMessage(ctx, "acct", "bbb", NewMessage{Text: "x"}); err != nil {
		t.Fatal(err)
	}
	if woken(a) || !woken(b) {
		t.Fatal("the wake-up went to the wrong queue")
	}
	stopA()
	stopA() // idempotent
	if _, err := s.PutMessage(ctx, "acct", "aaa", NewMessage{Text: "x"}); err != nil {
		t.Fatal(err)
	}
	if woken(a) {
		t.Fatal("an ended subscription was woken")
	}
}

func TestMessagesComeInInsertionOrderAtEqualVisibility(t *testing.T) {
	t.Parallel()
	s, _ := openQueueTestStore(t, "file")
	ctx := context.Background()
	if err := s.CreateQueueIfNotExists(ctx, "a", "ord"); err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"1", "2", "3", "4"} {
		if _, err := s.PutMessage(ctx, "a", "ord", NewMessage{Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.GetMessages(ctx, "a", "ord", 3, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].Text != "1" || got[1].Text != "2" || got[2].Text != "3" {
		t.Fatalf("got %+v, want 1,2,3", got)
	}
}

func TestBlobSubscribersGetChanges(t *testing.T) {
	t.Parallel()
	s, _ := openQueueTestStore(t, "memory")
	ch, stop := s.SubscribeBlobs("acct", "c")
	s.NotifyBlob(BlobChange{Account: "acct", Container: "c", Name: "x", Kind: BlobCreated})
	s.NotifyBlob(BlobChange{Account: "acct", Container: "other", Name: "y", Kind: BlobCreated})
	select {
	case c := <-ch:
		if c.Name != "x" || c.Kind != BlobCreated {
			t.Fatalf("got %+v", c)
		}
	default:
		t.Fatal("no change delivered")
	}
	if len(ch) != 0 {
		t.Fatal("a change of another container was delivered")
	}
	stop()
	s.NotifyBlob(BlobChange{Account: "acct", Container: "c", Name: "z"})
	if len(ch) != 0 {
		t.Fatal("an ended subscription got a change")
	}
}
