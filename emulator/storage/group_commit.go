package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
)

// Group commit: every write transaction of the store runs on one writer
// goroutine, which takes the writes waiting when it becomes free and runs
// them in one shared transaction, each inside a SAVEPOINT of its own. One
// BEGIN and one COMMIT (one fsync with DurabilityFull) serve the whole
// group, and writers never contend for SQLite's write lock, whose busy
// handler sleeps for milliseconds. Nothing waits to fill a group: a lone
// write commits at once, and groups form from what arrived meanwhile.
//
// The promises of a single transaction hold for each write:
//   - a write is acknowledged (write returns nil) only after the shared
//     transaction committed;
//   - a write that fails is rolled back to its savepoint and only it fails;
//   - if the shared transaction itself breaks (an I/O error, a commit that
//     fails, a request's context canceled while its statements ran, which
//     interrupts the connection), nothing of it is kept and every write of
//     the group that had not failed on its own runs again, alone.
// A write function may therefore run more than once: it must only assign
// its results, never accumulate them across runs.

// maxGroup bounds how many writes share a transaction, so one commit
// never waits behind an unbounded group.
const maxGroup = 64

// maxGroupBytes bounds the blob content a group writes: SQLite keeps a
// transaction's pages in memory until it commits, so chunk writes are
// not grouped beyond this.
const maxGroupBytes = 1 << 20

// writeFunc is one write transaction's work.
type writeFunc func(*sql.Tx) error

type writeRequest struct {
	ctx  context.Context
	fn   writeFunc
	size int // bytes of blob content written, if any
	done chan error
}

// groupWriter is the store's single writer.
type groupWriter struct {
	db       *sql.DB
	requests chan *writeRequest // unbuffered: a send succeeds only while the writer runs
	quit     chan struct{}
	stopped  chan struct{}
	stopOnce sync.Once
	// commits counts transactions committed and waiting the writers
	// handing over a write, for tests.
	commits countingInt
	waiting atomic.Int32
}

type countingInt struct {
	mu sync.Mutex
	n  int
}

func (c *countingInt) add() {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
}

func (c *countingInt) get() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

var errStoreClosed = errors.New("storage is closed")

func startGroupWriter(db *sql.DB) *groupWriter {
	w := &groupWriter{db: db, requests: make(chan *writeRequest), quit: make(chan struct{}), stopped: make(chan struct{})}
	go w.run()
	return w
}

// stop ends the writer after the group it is committing.
func (w *groupWriter) stop() {
	w.stopOnce.Do(func() { close(w.quit) })
	<-w.stopped
}

// write runs fn in a write transaction shared with other writers and
// returns once that transaction committed (nil) or fn's own error.
func (s *Store) write(ctx context.Context, fn writeFunc) error {
	return s.writeSized(ctx, 0, fn)
}

// writeSized is write for fn writing size bytes of blob content.
func (s *Store) writeSized(ctx context.Context, size int, fn writeFunc) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r := &writeRequest{ctx: ctx, fn: fn, size: size, done: make(chan error, 1)}
	s.writer.waiting.Add(1)
	select {
	case s.writer.requests <- r:
		s.writer.waiting.Add(-1)
	case <-s.writer.quit:
		s.writer.waiting.Add(-1)
		return errStoreClosed
	}
	// Once taken, the write runs to its end whatever happens to ctx: its
	// caller must learn whether it committed.
	return <-r.done
}

// exec runs one write statement through the writer.
func (s *Store) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	var res sql.Result
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		res, err = tx.ExecContext(ctx, query, args...)
		return err
	})
	return res, err
}

func (w *groupWriter) run() {
	defer close(w.stopped)
	group := make([]*writeRequest, 0, maxGroup)
	var next *writeRequest // taken but left for the next group
	for {
		if next == nil {
			select {
			case next = <-w.requests:
			case <-w.quit:
				return
			}
		}
		group = append(group[:0], next)
		content := next.size
		next = nil
		// One yield lets the request goroutines that are runnable reach
		// their send and join this group: on few cores they otherwise
		// run only once the writer blocks in SQLite, and most writes
		// commit alone.
		runtime.Gosched()
	gather:
		for len(group) < maxGroup {
			select {
			case r := <-w.requests:
				if content+r.size > maxGroupBytes && r.size > 0 {
					next = r
					break gather
				}
				group = append(group, r)
				content += r.size
			default:
				break gather
			}
		}
		w.commitGroup(group)
		clear(group)
	}
}

// commitGroup runs a group in one transaction and answers each request.
func (w *groupWriter) commitGroup(group []*writeRequest) {
	if len(group) == 1 {
		r := group[0]
		r.done <- w.runAlone(r)
		return
	}
	errs := make([]error, len(group))
	for i, r := range group {
		errs[i] = r.ctx.Err()
	}
	if err := w.runShared(group, errs); err != nil {
		// The shared transaction is gone: every request that had not
		// failed on its own runs again by itself.
		for i, r := range group {
			if errs[i] == nil {
				errs[i] = w.runAlone(r)
			}
		}
	}
	for i, r := range group {
		r.done <- errs[i]
	}
}

// runShared runs the requests of group whose errs entry is nil in one
// transaction, with a savepoint each, and sets errs to what each request
// itself returned. When it fails, nothing was committed and errs holds
// only the requests' own failures.
func (w *groupWriter) runShared(group []*writeRequest, errs []error) error {
	bg := context.Background()
	tx, err := w.db.BeginTx(bg, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	for i, r := range group {
		if errs[i] != nil {
			continue
		}
		if _, err := tx.ExecContext(bg, `SAVEPOINT w`); err != nil {
			return fmt.Errorf("savepoint: %w", err)
		}
		own := r.fn(tx)
		if err := r.ctx.Err(); err != nil {
			// The context may have interrupted a statement, which can
			// roll back the whole transaction: trust none of it.
			errs[i] = err
			return errors.New("write interrupted")
		}
		if own != nil {
			errs[i] = own
			if _, err := tx.ExecContext(bg, `ROLLBACK TO w`); err != nil {
				// SQLite rolled the whole transaction back (an I/O
				// error, a full disk).
				return fmt.Errorf("rollback to savepoint: %w", err)
			}
		}
		if _, err := tx.ExecContext(bg, `RELEASE w`); err != nil {
			return fmt.Errorf("release savepoint: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	w.commits.add()
	return nil
}

// runAlone runs one request in a transaction of its own.
func (w *groupWriter) runAlone(r *writeRequest) error {
	if err := r.ctx.Err(); err != nil {
		return err
	}
	tx, err := w.db.BeginTx(context.Background(), nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if err := r.fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	w.commits.add()
	return nil
}
