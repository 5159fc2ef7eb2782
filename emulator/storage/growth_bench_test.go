package storage

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"
)

// Growth: how the cost of an operation grows with what the store holds.
// Each benchmark measures the small and the large case side by side in
// one file store, alternating, and reports both and their ratio.

// BenchmarkQueueCycleBacklog: one cycle (Put Message, Get Messages of one,
// Delete Message) on an empty queue and on a queue with 20,000 visible
// messages ahead, in the same database. Budget: ratio ≤ 1.5.
func BenchmarkQueueCycleBacklog(b *testing.B) {
	const backlog = 20_000
	s, err := Open(Options{Path: filepath.Join(b.TempDir(), "growth.db")})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	for _, q := range []string{"empty", "backlog"} {
		if err := s.CreateQueueIfNotExists(ctx, acct, q); err != nil {
			b.Fatal(err)
		}
	}
	fillQueue(b, s, "backlog", backlog)
	cycle := func(q string) time.Duration {
		start := time.Now()
		if _, err := s.PutMessage(ctx, acct, q, NewMessage{Text: "x"}); err != nil {
			b.Fatal(err)
		}
		msgs, err := s.GetMessages(ctx, acct, q, 1, 30*time.Second)
		if err != nil || len(msgs) != 1 {
			b.Fatalf("get: %d messages, %v", len(msgs), err)
		}
		if err := s.DeleteMessage(ctx, acct, q, msgs[0].ID, msgs[0].PopReceipt); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	var empty, full []time.Duration
	b.ResetTimer()
	for range b.N {
		empty = append(empty, cycle("empty"))
		full = append(full, cycle("backlog"))
	}
	b.StopTimer()
	reportGrowth(b, "us-empty", median(empty), fmt.Sprintf("us-%dk", backlog/1000), median(full))
}

// fillQueue puts n messages from 8 writers at once.
func fillQueue(tb testing.TB, s *Store, q string, n int) {
	tb.Helper()
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 8 {
				if _, err := s.PutMessage(context.Background(), acct, q, NewMessage{Text: "backlog"}); err != nil {
					tb.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// BenchmarkListBlobs100k: listing a whole container, every page of 5,000,
// with 1,000 and with 100,000 blobs. ratio compares the time per blob.
func BenchmarkListBlobs100k(b *testing.B) {
	s, err := Open(Options{Path: filepath.Join(b.TempDir(), "growth.db")})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	seedBlobs(b, s, "small", 1_000)
	seedBlobs(b, s, "big", 100_000)
	list := func(container string, want int) time.Duration {
		start := time.Now()
		n, marker := 0, ""
		for {
			page, err := s.ListBlobs(context.Background(), acct, container, ListBlobsOptions{ListOptions: ListOptions{Marker: marker}})
			if err != nil {
				b.Fatal(err)
			}
			n += len(page.Items)
			if marker = page.NextMarker; marker == "" {
				break
			}
		}
		if n != want {
			b.Fatalf("listed %d blobs of %s, want %d", n, container, want)
		}
		return time.Since(start)
	}
	var small, big []time.Duration
	b.ResetTimer()
	for range b.N {
		small = append(small, list("small", 1_000))
		big = append(big, list("big", 100_000))
	}
	b.StopTimer()
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(median(small)), "ms-list-1k")
	b.ReportMetric(ms(median(big)), "ms-list-100k")
	b.ReportMetric(float64(median(big))/100/float64(median(small)), "per-blob-ratio")
}

// seedBlobs creates a container of n empty block blobs in one transaction.
func seedBlobs(tb testing.TB, s *Store, container string, n int) {
	tb.Helper()
	ctx := context.Background()
	if _, err := s.CreateContainer(ctx, acct, container, ContainerOptions{}); err != nil {
		tb.Fatal(err)
	}
	c, err := s.loadContainer(ctx, s.db, acct, container)
	if err != nil {
		tb.Fatal(err)
	}
	now := s.clock.Now().UnixNano()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	for i := range n {
		if _, err := tx.ExecContext(ctx, `INSERT INTO blobs (container_id, name, blob_type, etag, created, last_modified, content_type)
			VALUES (?, ?, 'BlockBlob', ?, ?, ?, 'application/octet-stream')`,
			c.id, fmt.Sprintf("blob-%07d", i), fmt.Sprintf(`"0x%X"`, i+1), now, now); err != nil {
			tb.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}

func median(d []time.Duration) time.Duration {
	s := append([]time.Duration(nil), d...)
	slices.Sort(s)
	return s[len(s)/2]
}

// reportGrowth reports the small and large medians in microseconds and
// their ratio.
func reportGrowth(b *testing.B, smallName string, small time.Duration, bigName string, big time.Duration) {
	us := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1000 }
	b.ReportMetric(us(small), smallName)
	b.ReportMetric(us(big), bigName)
	b.ReportMetric(float64(big)/float64(small), "ratio")
}
