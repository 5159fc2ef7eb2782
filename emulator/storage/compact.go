package storage

import (
	"context"
	"fmt"

	"github.com/funcemu/funcemu/internal/sqlitedb"
)

// checkpointEvery is how many bytes of blob content may be written
// between two forced checkpoints, for a write-ahead log limit of walLimit.
// SQLite's automatic checkpoints cannot reset the log while concurrent
// uploads keep it busy, so without these it would grow to the size of the
// uploads.
func checkpointEvery(walLimit int64) int64 { return walLimit / 2 }

// wrote counts bytes of content written and, past checkpointEvery,
// checkpoints the log back to its limit. One writer checkpoints at a
// time, holding chunkGate so that other content writers wait the moment
// it takes instead of growing the log under it; the others carry on.
func (s *Store) wrote(n int64) {
	if s.path == "" || s.largeWrites.Add(n) < s.checkpointEvery {
		return
	}
	if !s.checkpointing.CompareAndSwap(false, true) {
		return
	}
	defer s.checkpointing.Store(false)
	s.chunkGate.Lock()
	defer s.chunkGate.Unlock()
	s.largeWrites.Store(0)
	_ = sqlitedb.Checkpoint(s.db) // busy: the next large write tries again
}

// Compact deletes chunks no blob uses any more and rebuilds the database
// file, giving the space of deleted blobs and messages back to the file
// system. It needs the store to itself: run it with no funcemu serving
// the data folder.
func (s *Store) Compact(ctx context.Context) error {
	s.sweepOrphanChunksOnce(ctx)
	s.collectChunks(ctx)
	if err := sqlitedb.Compact(s.db); err != nil {
		return fmt.Errorf("compact %s: %w", s.path, err)
	}
	return nil
}
