// Package sqlitedb opens funcemu's SQLite databases (the store and the
// journal) one way: paths escaped for SQLite URIs, the same pragmas, one
// migration runner that refuses a database from a newer funcemu, and
// read-only opens that never write.
package sqlitedb

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"

	"github.com/mattn/go-sqlite3"
)

// Durability is how far a committed transaction survives.
type Durability string

const (
	// DurabilityNormal (synchronous=NORMAL in WAL mode) keeps every
	// committed transaction across a crash of funcemu (kill -9); a power
	// loss or an OS crash may lose the last ones, never corrupt the file.
	DurabilityNormal Durability = "normal"
	// DurabilityFull (synchronous=FULL) also survives a crash of the
	// machine, at the cost of an fsync per commit.
	DurabilityFull Durability = "full"
)

// ParseDurability reads a --durability value.
func ParseDurability(s string) (Durability, error) {
	switch d := Durability(s); d {
	case "", DurabilityNormal:
		return DurabilityNormal, nil
	case DurabilityFull:
		return d, nil
	}
	return "", fmt.Errorf("--durability %q: want normal or full", s)
}

// WALSizeLimit is journal_size_limit: after a checkpoint the write-ahead
// log is truncated back to at most this many bytes, so one large upload
// does not leave a file its size beside the database.
const WALSizeLimit = 64 << 20

// driverName is go-sqlite3 with a hook that sets the per-connection
// pragmas the DSN cannot carry.
const driverName = "sqlite3-funcemu"

func init() {
	sql.Register(driverName, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		if _, err := c.Exec("PRAGMA journal_size_limit = "+strconv.Itoa(WALSizeLimit), nil); err != nil {
			return err
		}
		if err := enablePlanStability(c); err != nil {
			return err
		}
		return setAutoCheckpoint(c)
	}})
}

// Options configure Open.
type Options struct {
	// Path is the database file; "" keeps it in memory for one run.
	Path string
	// What names the database in errors: "storage database", "journal".
	What string
	// Migrations holds NNNN_name.sql files at its root, applied in version
	// order on a writable open.
	Migrations fs.FS
	// ReadOnly opens an existing file without writing anything to it:
	// no migrations, no journal-mode change.
	ReadOnly   bool
	Durability Durability
	// PageSize is the page size of a file this open creates (see
	// LargePageSize); 0 keeps SQLite's default of 4 KiB.
	PageSize int
}

// Open opens the database and, unless read-only, applies its pending
// migrations.
func Open(o Options) (*sql.DB, error) {
	if o.What == "" {
		o.What = "database"
	}
	if o.Path == "" {
		return openMemory(o)
	}
	what := o.What + " " + o.Path
	if err := checkFileAccess(o.Path, o.ReadOnly); err != nil {
		return nil, fmt.Errorf("%s: %w", o.What, err)
	}
	uri, err := fileURI(o.Path)
	if err != nil {
		return nil, err
	}
	if o.ReadOnly {
		return openReadOnly(uri, o.Migrations, what)
	}
	if err := createWithPageSize(uri, o.Path, o.PageSize); err != nil {
		if dirErr := checkFolderAccess(o.Path); dirErr != nil {
			return nil, fmt.Errorf("%s: %w", o.What, dirErr)
		}
		return nil, fmt.Errorf("create %s: %w", what, err)
	}
	q := commonParams()
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "NORMAL")
	if o.Durability == DurabilityFull {
		q.Set("_synchronous", "FULL")
	}
	db, err := sql.Open(driverName, uri+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", what, err)
	}
	// Keep the connections of concurrent readers (parallel ranged GETs,
	// listeners) and the writer open between requests: opening one runs
	// the pragmas again and starts with no cached statements.
	db.SetMaxIdleConns(MaxIdleConns)
	if err := migrate(db, o.Migrations, what); err != nil {
		db.Close()
		if errors.Is(err, ErrNewerSchema) {
			return nil, err
		}
		// SQLite says "unable to open database file" when it may not
		// create the write-ahead log beside the file: say why.
		if dirErr := checkFolderAccess(o.Path); dirErr != nil {
			return nil, fmt.Errorf("%s: %w", o.What, dirErr)
		}
		return nil, fmt.Errorf("open %s: %w", what, err)
	}
	return db, nil
}

// StatementCacheSize is how many prepared statements each connection
// keeps by SQL text: preparing a statement costs as much as running a
// small one, and the stores run a few dozen fixed queries.
const StatementCacheSize = 64

// MaxIdleConns is how many connections of a file database stay open
// while idle; each keeps a page cache of up to 2 MB.
const MaxIdleConns = 2

// commonParams are the pragmas every connection gets: wait for a busy
// writer instead of failing, foreign keys enforced, the write lock
// taken at BEGIN so two writers never deadlock upgrading a read lock,
// prepared statements reused, and no mutex around each call into a
// connection (SQLITE_OPEN_NOMUTEX): database/sql never uses a connection
// from two goroutines at once, and the mutex, taken for every column of
// every row read, was a quarter of a listing's time in SQLite.
func commonParams() url.Values {
	q := url.Values{}
	q.Set("_busy_timeout", "10000")
	q.Set("_foreign_keys", "on")
	q.Set("_txlock", "immediate")
	q.Set("_stmt_cache_size", strconv.Itoa(StatementCacheSize))
	q.Set("_mutex", "no")
	return q
}

func openMemory(o Options) (*sql.DB, error) {
	q := commonParams()
	q.Set("mode", "memory")
	q.Set("cache", "shared")
	db, err := sql.Open(driverName, "file:funcemu-"+randomName()+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", o.What, err)
	}
	// A shared-cache memory database lives as long as one connection
	// does; one connection also serializes writers.
	db.SetMaxOpenConns(1)
	if o.Migrations != nil {
		if err := migrate(db, o.Migrations, o.What+" (in memory)"); err != nil {
			db.Close()
			return nil, fmt.Errorf("open %s: %w", o.What, err)
		}
	}
	return db, nil
}

// openReadOnly opens with mode=ro; when SQLite cannot share the WAL
// index (a folder the reader may not write), it opens the file as
// immutable, which reads it as it is on disk.
func openReadOnly(uri string, migrations fs.FS, what string) (*sql.DB, error) {
	var lastErr error
	for _, immutable := range []bool{false, true} {
		q := commonParams()
		q.Del("_txlock")
		q.Set("mode", "ro")
		q.Set("_query_only", "1")
		if immutable {
			q.Set("immutable", "1")
		}
		db, err := sql.Open(driverName, uri+"?"+q.Encode())
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", what, err)
		}
		applied, err := appliedVersions(db)
		if err == nil {
			if err := checkMigrations(applied, migrations, what); err != nil {
				db.Close()
				return nil, err
			}
			return db, nil
		}
		db.Close()
		lastErr = err
	}
	return nil, fmt.Errorf("open %s read-only: %w", what, lastErr)
}

// checkFileAccess reports a file funcemu may not use as a permission
// problem, which SQLite would report as "unable to open database file" or
// only at the first write.
func checkFileAccess(path string, readOnly bool) error {
	flag := os.O_RDWR
	if readOnly {
		flag = os.O_RDONLY
	}
	f, err := os.OpenFile(path, flag, 0)
	switch {
	case err == nil:
		f.Close()
	case errors.Is(err, fs.ErrNotExist) && readOnly:
		return fmt.Errorf("%s does not exist: %w", path, fs.ErrNotExist)
	case errors.Is(err, fs.ErrNotExist):
	case errors.Is(err, fs.ErrPermission):
		return permissionError(path, readOnly)
	default:
		return err
	}
	return nil
}

// checkFolderAccess reports a folder where SQLite may not create the
// write-ahead log and its index beside the database as a permission
// problem. It writes a file, so it runs only once an open has failed.
func checkFolderAccess(path string) error {
	dir := filepath.Dir(path)
	probe, err := os.CreateTemp(dir, ".funcemu-write-check-*")
	if errors.Is(err, fs.ErrPermission) {
		return permissionError(dir, false)
	}
	if err != nil {
		return err
	}
	probe.Close()
	os.Remove(probe.Name())
	return nil
}

func permissionError(path string, readOnly bool) error {
	verb := "write"
	if readOnly {
		verb = "read"
	}
	return fmt.Errorf("cannot %s %s: %w", verb, path, fs.ErrPermission)
}

func randomName() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Checkpoint copies the write-ahead log into the database and truncates
// it; it waits for readers of older snapshots up to the busy timeout.
// Writers call it after large writes so the log stays near
// WALSizeLimit under concurrent uploads, where SQLite's automatic
// checkpoints cannot reset it.
func Checkpoint(db *sql.DB) error {
	var busy, logFrames, done int
	if err := db.QueryRow(`PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &done); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return nil
}

// Compact checkpoints and rebuilds the database so the space of deleted
// rows goes back to the file system.
func Compact(db *sql.DB) error {
	if err := Checkpoint(db); err != nil {
		return err
	}
	if _, err := db.Exec(`VACUUM`); err != nil {
		return fmt.Errorf("vacuum: %w", err)
	}
	return Checkpoint(db)
}
