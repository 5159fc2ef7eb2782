// Package journal records every invocation the emulator runs, with its
// input, outputs and logs, in its own SQLite database, so it can be listed,
// inspected, exported as JSON Lines and imported again.
package journal

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver

	"github.com/funcemu/funcemu/emulator"
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
	db, err := sql.Open("sqlite3", dsn(opts.Path))
	if err != nil {
		return nil, fmt.Errorf("open journal: %w", err)
	}
	if opts.Path == "" {
		// A shared-cache memory database lives as long as one connection
		// does; one connection also serializes writers.
		db.SetMaxOpenConns(1)
	}
	if err := migrate(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("open journal %s: %w", displayPath(opts.Path), err)
	}
	prepared, err := prepare(db)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open journal %s: %w", displayPath(opts.Path), err)
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

// dsn builds the connection string: WAL so `funcemu events` can read while
// `funcemu start` writes, immediate transactions so two writers never
// deadlock upgrading a read lock.
func dsn(path string) string {
	q := url.Values{}
	q.Set("_busy_timeout", "10000")
	q.Set("_txlock", "immediate")
	if path == "" {
		q.Set("mode", "memory")
		q.Set("cache", "shared")
		return "file:journal-" + randomName() + "?" + q.Encode()
	}
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "NORMAL")
	return "file:" + uriPath.Replace(path) + "?" + q.Encode()
}

// uriPath escapes what a file: URI would read as its query or fragment;
// SQLite decodes the escapes back.
var uriPath = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")

func displayPath(path string) string {
	if path == "" {
		return "(in memory)"
	}
	return path
}

func randomName() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
