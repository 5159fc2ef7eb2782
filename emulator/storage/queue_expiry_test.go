package storage

import (
	"context"
	"testing"
	"time"
)

func TestExpiredMessagesArePurgedOnReceive(t *testing.T) {
	t.Parallel()
	s, clock := openQueueTestStore(t, "file")
	ctx := context.Background()
	if err := s.CreateQueueIfNotExists(ctx, "a", "exp"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if _, err := s.PutMessage(ctx, "a", "exp", NewMessage{Text: "short", TTL: time.Minute}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.PutMessage(ctx, "a", "exp", NewMessage{Text: "long", TTL: -1}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Minute)
	if n, err := s.CountMessages(ctx, "a", "exp"); err != nil || n != 1 {
		t.Fatalf("count = %d, %v; want 1 unexpired", n, err)
	}
	got, err := s.GetMessages(ctx, "a", "exp", 32, time.Minute)
	if err != nil || len(got) != 1 || got[0].Text != "long" {
		t.Fatalf("got %+v, %v", got, err)
	}
	var rows int
	if err := s.db.QueryRow(`SELECT COUNT(*) FROM queue_messages`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != 1 {
		t.Fatalf("%d rows left, want the expired ones purged", rows)
	}
}
