package storage

import (
	"context"
	"testing"
	"time"
)

// TestGetMessagesMarksEachMessage: one receive gives every message its
// own receipt, dequeue count and visibility, and only those it returned.
func TestGetMessagesMarksEachMessage(t *testing.T) {
	t.Parallel()
	s := openMemoryStore(t)
	defer s.Close()
	ctx := context.Background()
	if _, err := s.CreateQueue(ctx, "acct", "jobs", nil); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if _, err := s.PutMessage(ctx, "acct", "jobs", NewMessage{Text: "m"}); err != nil {
			t.Fatal(err)
		}
	}
	first, err := s.GetMessages(ctx, "acct", "jobs", 3, time.Minute)
	if err != nil || len(first) != 3 {
		t.Fatalf("got %d messages, %v", len(first), err)
	}
	receipts := map[string]bool{}
	for _, m := range first {
		if m.DequeueCount != 1 || receipts[m.PopReceipt] {
			t.Errorf("message %+v: want dequeue count 1 and a receipt of its own", m)
		}
		receipts[m.PopReceipt] = true
	}
	rest, err := s.GetMessages(ctx, "acct", "jobs", 32, time.Minute)
	if err != nil || len(rest) != 2 {
		t.Fatalf("second receive got %d messages, %v; want the 2 not received", len(rest), err)
	}
	for _, m := range first {
		if err := s.DeleteMessage(ctx, "acct", "jobs", m.ID, m.PopReceipt); err != nil {
			t.Errorf("delete %s with its receipt: %v", m.ID, err)
		}
	}
	for _, m := range rest {
		if err := s.DeleteMessage(ctx, "acct", "jobs", m.ID, m.PopReceipt); err != nil {
			t.Errorf("delete %s with its receipt: %v", m.ID, err)
		}
	}
}
