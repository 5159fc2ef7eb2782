// Package storage is funcemu's embedded Azure Storage: queues, messages,
// containers and blobs in one SQLite database, with in-process change
// notifications so triggers never poll.
package storage

import (
	"database/sql"
	"sync"
	"sync/atomic"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/internal/sqlitedb"
)

// Options configure Open.
type Options struct {
	// Path is the SQLite file; "" keeps everything in memory for one run.
	Path  string
	Clock emulator.Clock // default emulator.SystemClock
	// Durability is how far a committed write survives: the default
	// survives a crash of funcemu, DurabilityFull also one of the machine.
	Durability sqlitedb.Durability
}

// Store is the open database.
type Store struct {
	db    *sql.DB
	clock emulator.Clock
	path  string
	// notify fans out change notifications after commits.
	notify *notifier
	// largeWrites counts content bytes written since the last checkpoint;
	// checkpointing is set while one runs (see wrote).
	largeWrites   atomic.Int64
	checkpointing atomic.Bool
	// chunkGate is held shared by each content chunk write and exclusively
	// by a checkpoint after large writes.
	chunkGate sync.RWMutex
	// events fans out every blob change to account-wide subscribers.
	events blobEvents
	stmts  stmtCache
}

// Open opens (creating if needed) the database and applies pending
// migrations.
func Open(opts Options) (*Store, error) {
	if opts.Clock == nil {
		opts.Clock = emulator.SystemClock{}
	}
	db, err := sqlitedb.Open(sqlitedb.Options{
		Path: opts.Path, What: "storage database", Migrations: migrationFiles(), Durability: opts.Durability,
	})
	if err != nil {
		return nil, err
	}
	return &Store{db: db, clock: opts.Clock, path: opts.Path, notify: newNotifier()}, nil
}

// Close closes the database.
func (s *Store) Close() error {
	s.stmts.close()
	return s.db.Close()
}

// Clock is the store's time source.
func (s *Store) Clock() emulator.Clock { return s.clock }
