package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// groupOf holds the writer busy with one write until release is closed,
// so that the writes started meanwhile queue up and commit as one group.
// ctxs, when not nil, are the writes' contexts.
func groupOf(t *testing.T, s *Store, writes []writeFunc, ctxs ...context.Context) []error {
	return groupOfSized(t, s, writes, 0, ctxs...)
}

// groupOfSized is groupOf with each write declaring size bytes of content.
func groupOfSized(t *testing.T, s *Store, writes []writeFunc, size int, ctxs ...context.Context) []error {
	t.Helper()
	ctx := context.Background()
	started, release := make(chan struct{}), make(chan struct{})
	blockerDone := make(chan error, 1)
	go func() {
		blockerDone <- s.write(ctx, func(*sql.Tx) error {
			close(started)
			<-release
			return nil
		})
	}()
	<-started
	errs := make([]error, len(writes))
	var wg sync.WaitGroup
	for i, fn := range writes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wctx := ctx
			if ctxs != nil {
				wctx = ctxs[i]
			}
			errs[i] = s.writeSized(wctx, size, fn)
		}()
	}
	waitQueued(t, s, len(writes))
	close(release)
	wg.Wait()
	if err := <-blockerDone; err != nil {
		t.Fatal(err)
	}
	return errs
}

// waitQueued waits until n writers are blocked handing their write to the
// busy writer.
func waitQueued(t *testing.T, s *Store, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for int(s.writer.waiting.Load()) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d writes queued", s.writer.waiting.Load(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

func insertItem(ctx context.Context, v string) writeFunc {
	return func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, 'x')`, v)
		return err
	}
}

func metaKeys(t *testing.T, s *Store) map[string]int {
	t.Helper()
	rows, err := s.db.Query(`SELECT key FROM meta WHERE key LIKE 'gc-%'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		out[k]++
	}
	return out
}

func openFileStore(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "store.db")
	s, err := Open(Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	return s, path
}

// TestGroupCommitFailingWriteKeepsOthers: in one shared transaction, a
// write that fails after writing is undone alone; the others commit, and
// the group took one commit.
func TestGroupCommitFailingWriteKeepsOthers(t *testing.T) {
	t.Parallel()
	s, _ := openFileStore(t)
	defer s.Close()
	ctx := context.Background()
	boom := errors.New("boom")
	writes := []writeFunc{insertItem(ctx, "gc-a"), insertItem(ctx, "gc-b"),
		func(tx *sql.Tx) error {
			if err := insertItem(ctx, "gc-failed")(tx); err != nil {
				return err
			}
			return boom
		},
		insertItem(ctx, "gc-c"),
		insertItem(ctx, "gc-pre"), // a constraint violation: meta.key is unique
	}
	if err := s.write(ctx, insertItem(ctx, "gc-pre")); err != nil {
		t.Fatal(err)
	}
	before := s.writer.commits.get()
	errs := groupOf(t, s, writes)
	for i, want := range []bool{true, true, false, true, false} {
		if (errs[i] == nil) != want {
			t.Errorf("write %d: err = %v", i, errs[i])
		}
	}
	if !errors.Is(errs[2], boom) {
		t.Errorf("failing write's error = %v, want its own", errs[2])
	}
	got := metaKeys(t, s)
	for _, k := range []string{"gc-a", "gc-b", "gc-c"} {
		if got[k] != 1 {
			t.Errorf("%s stored %d times, want 1", k, got[k])
		}
	}
	if got["gc-failed"] != 0 {
		t.Errorf("the failed write's row was kept")
	}
	if n := s.writer.commits.get() - before; n > 3 {
		t.Errorf("%d commits for a blocker and a group of %d, want them grouped", n, len(writes))
	}
}

// TestGroupCommitBrokenTransactionRetriesOthers: a write that ends the
// shared transaction itself (as an I/O error would) loses nothing of the
// others, which run again alone, exactly once each.
func TestGroupCommitBrokenTransactionRetriesOthers(t *testing.T) {
	t.Parallel()
	s, _ := openFileStore(t)
	defer s.Close()
	ctx := context.Background()
	writes := []writeFunc{insertItem(ctx, "gc-1"), insertItem(ctx, "gc-2"),
		func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `ROLLBACK`); err != nil {
				return err
			}
			return errors.New("broke the transaction")
		},
		insertItem(ctx, "gc-3"),
	}
	errs := groupOf(t, s, writes)
	if errs[0] != nil || errs[1] != nil || errs[3] != nil || errs[2] == nil {
		t.Fatalf("errs = %v", errs)
	}
	got := metaKeys(t, s)
	for _, k := range []string{"gc-1", "gc-2", "gc-3"} {
		if got[k] != 1 {
			t.Errorf("%s stored %d times, want 1", k, got[k])
		}
	}
}

// TestGroupCommitCanceledWriteKeepsOthers: a request canceled while its
// statements run fails with its context's error and leaves nothing; the
// rest of its group commits.
func TestGroupCommitCanceledWriteKeepsOthers(t *testing.T) {
	t.Parallel()
	s, _ := openFileStore(t)
	defer s.Close()
	ctx := context.Background()
	cctx, cancel := context.WithCancel(ctx)
	writes := []writeFunc{insertItem(ctx, "gc-x"),
		func(tx *sql.Tx) error {
			err := insertItem(cctx, "gc-canceled")(tx)
			cancel()
			return err
		},
		insertItem(ctx, "gc-y"),
	}
	errs := groupOf(t, s, writes, ctx, cctx, ctx)
	if errs[0] != nil || errs[2] != nil {
		t.Fatalf("errs = %v", errs)
	}
	if !errors.Is(errs[1], context.Canceled) {
		t.Errorf("canceled write: err = %v", errs[1])
	}
	got := metaKeys(t, s)
	if got["gc-x"] != 1 || got["gc-y"] != 1 || got["gc-canceled"] != 0 {
		t.Errorf("stored %v", got)
	}
}

// TestConcurrentWritesSeeOwnAndSurviveReopen: many writers putting
// messages at once each read back their own message as soon as the put
// returns, and every acknowledged message is there after reopening.
func TestConcurrentWritesSeeOwnAndSurviveReopen(t *testing.T) {
	t.Parallel()
	s, path := openFileStore(t)
	ctx := context.Background()
	const writers, each = 16, 25
	for w := range writers {
		if err := s.CreateQueueIfNotExists(ctx, "devstoreaccount1", fmt.Sprintf("queue-%d", w)); err != nil {
			t.Fatal(err)
		}
	}
	ids := make(chan string, writers*each)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := fmt.Sprintf("queue-%d", w)
			for i := range each {
				m, err := s.PutMessage(ctx, "devstoreaccount1", q, NewMessage{Text: fmt.Sprint(i)})
				if err != nil {
					t.Error(err)
					return
				}
				n, err := s.CountMessages(ctx, "devstoreaccount1", q)
				if err != nil || n != i+1 {
					t.Errorf("%s after put %d: count = %d, %v", q, i+1, n, err)
				}
				ids <- m.ID
			}
		}()
	}
	wg.Wait()
	close(ids)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	var n int
	if err := s2.db.QueryRow(`SELECT COUNT(*) FROM queue_messages`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != writers*each {
		t.Fatalf("%d messages after reopening, want %d", n, writers*each)
	}
	for id := range ids {
		var one int
		if err := s2.db.QueryRow(`SELECT 1 FROM queue_messages WHERE id = ?`, id).Scan(&one); err != nil {
			t.Fatalf("acknowledged message %s lost: %v", id, err)
		}
	}
}

// TestWriteAfterCloseFails: the writer refuses work once the store closed.
func TestWriteAfterCloseFails(t *testing.T) {
	t.Parallel()
	s, _ := openFileStore(t)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.write(context.Background(), insertItem(context.Background(), "gc-late")); !errors.Is(err, errStoreClosed) {
		t.Fatalf("write after close: %v", err)
	}
}

// TestGroupCommitBoundsContentPerGroup: writes of a chunk each are not
// grouped (SQLite holds a transaction's pages in memory), small ones are.
func TestGroupCommitBoundsContentPerGroup(t *testing.T) {
	t.Parallel()
	s, _ := openFileStore(t)
	defer s.Close()
	ctx := context.Background()
	before := s.writer.commits.get()
	if errs := groupOfSized(t, s, []writeFunc{insertItem(ctx, "gc-big1"), insertItem(ctx, "gc-big2"), insertItem(ctx, "gc-big3")}, maxGroupBytes); errs[0] != nil || errs[1] != nil || errs[2] != nil {
		t.Fatal(errs)
	}
	if n := s.writer.commits.get() - before; n != 4 {
		t.Errorf("%d commits for a blocker and three chunk-sized writes, want 4", n)
	}
	before = s.writer.commits.get()
	if errs := groupOf(t, s, []writeFunc{insertItem(ctx, "gc-s1"), insertItem(ctx, "gc-s2"), insertItem(ctx, "gc-s3")}); errs[0] != nil || errs[1] != nil || errs[2] != nil {
		t.Fatal(errs)
	}
	if n := s.writer.commits.get() - before; n != 2 {
		t.Errorf("%d commits for a blocker and three small writes, want 2", n)
	}
	if got := metaKeys(t, s); len(got) != 6 {
		t.Errorf("stored %v", got)
	}
}
