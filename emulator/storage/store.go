// Package storage is funcemu's embedded Azure Storage: queues, messages,
// containers and blobs in one SQLite database, with in-process change
// notifications so triggers never poll.
package storage

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver

	"github.com/funcemu/funcemu/emulator"
)

// Options configure Open.
type Options struct {
	// Path is the SQLite file; "" keeps everything in memory for one run.
	Path  string
	Clock emulator.Clock // default emulator.SystemClock
}

// Store is the open database.
type Store struct {
	db    *sql.DB
	clock emulator.Clock
	path  string
	// notify fans out change notifications after commits.
	notify *notifier
	// events fans out every blob change to account-wide subscribers.
	events blobEvents
}

// Open opens (creating if needed) the database and applies pending
// migrations.
func Open(opts Options) (*Store, error) {
	if opts.Clock == nil {
		opts.Clock = emulator.SystemClock{}
	}
	db, err := sql.Open("sqlite3", dsn(opts.Path))
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	if opts.Path == "" {
		// A shared-cache memory database lives as long as one connection
		// does; one connection also serializes writers the way WAL would.
		db.SetMaxOpenConns(1)
	}
	s := &Store{db: db, clock: opts.Clock, path: opts.Path, notify: newNotifier()}
	if err := migrate(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", displayPath(opts.Path), err)
	}
	return s, nil
}

// dsn builds the connection string. WAL lets readers run beside the single
// writer; synchronous=NORMAL in WAL mode keeps every committed transaction
// across a crash of the process (kill -9), which is the durability funcemu
// promises; _txlock=immediate takes the write lock at BEGIN so two writers
// never deadlock upgrading a read lock.
func dsn(path string) string {
	q := url.Values{}
	q.Set("_busy_timeout", "10000")
	q.Set("_foreign_keys", "on")
	q.Set("_txlock", "immediate")
	if path == "" {
		q.Set("mode", "memory")
		q.Set("cache", "shared")
		return "file:funcemu-" + randomName() + "?" + q.Encode()
	}
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "NORMAL")
	return "file:" + path + "?" + q.Encode()
}

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

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Clock is the store's time source.
func (s *Store) Clock() emulator.Clock { return s.clock }
