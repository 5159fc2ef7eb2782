// Package journal records every invocation the emulator runs, with its
// input, outputs and logs, in its own SQLite database, so it can be listed,
// inspected, exported as JSON Lines and imported again.
package journal

import (
	"database/sql"
	"fmt"
	"path/filepath"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/internal/sqlitedb"
)

// FileName is the journal's database file inside a data folder.
const FileName = "journal.db"

// PathIn returns the journal's database path inside dataDir.
func PathIn(dataDir string) string { return filepath.Join(dataDir, FileName) }

// Retention defaults: enough history to debug a day of work, small enough
// to stay fast.
const (
	DefaultMaxInvocations = 10_000
	DefaultMaxBytes       = 256 << 20
)

// Options configure Open.
type Options struct {
	// Path is the SQLite file; "" keeps the journal in memory.
	Path  string
	Clock emulator.Clock // default emulator.SystemClock
	// MaxInvocations and MaxBytes bound the journal: after each write the
	// oldest invocations beyond either are pruned. 0 means the default;
	// a negative value means unbounded.
	MaxInvocations int
	MaxBytes       int64
	// OnError receives errors from Run's batch writes. When nil, Run stops
	// and returns the first one.
	OnError func(error)
	// ReadOnly opens an existing journal to read: nothing is written to
	// it, not even a migration, so it works on a journal funcemu may not
	// write and beside a running funcemu.
	ReadOnly bool
}

// Journal is an open invocation journal. Its methods are safe for
// concurrent use.
type Journal struct {
	db             *sql.DB
	clock          emulator.Clock
	maxInvocations int
	maxBytes       int64
	onError        func(error)
	prepared       map[string]*sql.Stmt // the write path's statements
	readOnly       bool
}

// Open opens (creating if needed) the journal and applies pending
// migrations.
func Open(opts Options) (*Journal, error) {
	if opts.Clock == nil {
		opts.Clock = emulator.SystemClock{}
	}
	if opts.MaxInvocations == 0 {
		opts.MaxInvocations = DefaultMaxInvocations
	}
	if opts.MaxBytes == 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	db, err := sqlitedb.Open(sqlitedb.Options{
		Path: opts.Path, What: "journal", Migrations: migrationFiles(), ReadOnly: opts.ReadOnly,
	})
	if err != nil {
		return nil, err
	}
	if opts.ReadOnly {
		return &Journal{db: db, clock: opts.Clock, readOnly: true}, nil
	}
	prepared, err := prepare(db)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open journal %s: %w", opts.Path, err)
	}
	return &Journal{
		db:             db,
		prepared:       prepared,
		clock:          opts.Clock,
		maxInvocations: opts.MaxInvocations,
		maxBytes:       opts.MaxBytes,
		onError:        opts.OnError,
	}, nil
}

// Close closes the database.
func (j *Journal) Close() error {
	closeAll(j.prepared)
	return j.db.Close()
}
