// Package storage is funcemu's embedded Azure Storage: queues, messages,
// containers and blobs in one SQLite database, with in-process change
// notifications so triggers never poll. Its errors say what went wrong
// (errors.go: ErrBlobNotFound, ErrLeaseIDMissing, ...) and nothing of HTTP;
// the REST layer maps each to a status, Azure's code and message.
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
	// ChunkSize bounds the memory one upload or download holds: content
	// is stored and streamed in chunks of at most this many bytes.
	// Default 1 MiB; tests set it small to get multi-chunk bodies.
	ChunkSize int
	// inlineChunks keeps every chunk in the database, as stores made
	// before chunk files did; for tests of such stores.
	inlineChunks bool
	// walLimit is the write-ahead log size forced checkpoints keep the
	// log under (default sqlitedb.WALSizeLimit); tests set it small to
	// reach it with a few MiB of uploads.
	walLimit int64
}

// defaultChunkSize is Options.ChunkSize when unset.
const defaultChunkSize = 1 << 20

// Store is the open database.
type Store struct {
	db    *sql.DB
	clock emulator.Clock
	path  string
	// notify fans out change notifications after commits.
	notify *notifier
	// largeWrites counts content bytes written since the last checkpoint;
	// checkpointing is set while one runs (see wrote), past
	// checkpointEvery bytes.
	largeWrites     atomic.Int64
	checkpointEvery int64
	checkpointing   atomic.Bool
	// chunkGate is held shared by each content chunk write and exclusively
	// by a checkpoint after large writes.
	chunkGate sync.RWMutex
	// events fans out every blob change to account-wide subscribers.
	events blobEvents
	// chunkSize is Options.ChunkSize; chunkBuffers recycles read buffers
	// of that size, so a small upload does not allocate a whole chunk.
	chunkSize    int
	chunkBuffers sync.Pool // of *[]byte
	// pins counts the readers of each chunk (see chunkPins).
	pins chunkPins
	// files keeps the content of large bodies (blob_chunk_files.go).
	files chunkFiles
	// orphanSweep drops, once per open, the chunks a crash left behind.
	orphanSweep sync.Once
	// etags makes this store's blob and container ETags.
	etags etags
	stmts stmtCache
	// tableNames caches tables' names as created (table_names.go).
	tableNames tableNames
	// writer runs every write transaction of the store (group_commit.go).
	writer *groupWriter
}

// Open opens (creating if needed) the database and applies pending
// migrations.
func Open(opts Options) (*Store, error) {
	if opts.Clock == nil {
		opts.Clock = emulator.SystemClock{}
	}
	if opts.ChunkSize <= 0 {
		opts.ChunkSize = defaultChunkSize
	}
	if opts.walLimit <= 0 {
		opts.walLimit = sqlitedb.WALSizeLimit
	}
	db, err := sqlitedb.Open(sqlitedb.Options{
		Path: opts.Path, What: "storage database", Migrations: migrationFiles(), Durability: opts.Durability,
	})
	if err != nil {
		return nil, err
	}
	s := &Store{
		db: db, clock: opts.Clock, path: opts.Path, notify: newNotifier(),
		chunkSize: opts.ChunkSize, pins: chunkPins{n: map[int64]int{}}, checkpointEvery: checkpointEvery(opts.walLimit),
		writer: startGroupWriter(db),
	}
	s.files.sync = opts.Durability == sqlitedb.DurabilityFull
	if !opts.inlineChunks {
		s.files.dir = chunkDir(opts.Path)
	}
	return s, nil
}

// Close finishes the writes under way and closes the database.
func (s *Store) Close() error {
	s.writer.stop()
	s.stmts.close()
	return s.db.Close()
}

// Clock is the store's time source.
func (s *Store) Clock() emulator.Clock { return s.clock }
