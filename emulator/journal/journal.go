// Package journal records every invocation the emulator runs, with its
// input, outputs and logs, in its own SQLite database, so it can be listed,
// inspected, exported as JSON Lines and imported again.
package journal

import (
	"cmp"
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
	// ClockKind is recorded with every invocation: ClockSystem (the
	// default) or ClockVirtual, so a virtual run's times are never taken
	// for wall-clock ones.
	ClockKind string
}

// The clocks an invocation can run on.
const (
	ClockSystem  = "system"
	ClockVirtual = "virtual"
)

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
	clockKind      string
	// order is the column listing goes by: seq, the recording order; or
	// rowid in a journal an older funcemu wrote and a reader did not
	// migrate.
	order string
	// noExchanges is set on a read-only journal an older funcemu wrote,
	// which has no exchanges table: its records show no exchange.
	noExchanges bool
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
	order, err := recordingOrder(db)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open journal %s: %w", opts.Path, err)
	}
	if opts.ReadOnly {
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'exchanges'`).Scan(&n); err != nil {
			db.Close()
			return nil, fmt.Errorf("open journal %s: %w", opts.Path, err)
		}
		return &Journal{db: db, clock: opts.Clock, readOnly: true, order: order, noExchanges: n == 0}, nil
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
		clockKind:      cmp.Or(opts.ClockKind, ClockSystem),
		order:          order,
	}, nil
}

// recordingOrder is the column that orders invocations as recorded.
func recordingOrder(db *sql.DB) (string, error) {
	var n int
	err := db.QueryRow(`SELECT count(*) FROM pragma_table_info('invocations') WHERE name = 'seq'`).Scan(&n)
	if err != nil || n == 0 {
		return "rowid", err
	}
	return "seq", nil
}

// Close closes the database.
func (j *Journal) Close() error {
	closeAll(j.prepared)
	return j.db.Close()
}

// Compact rebuilds the journal file so the space of pruned invocations
// goes back to the file system.
func (j *Journal) Compact() error { return sqlitedb.Compact(j.db) }
