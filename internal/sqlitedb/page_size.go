package sqlitedb

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"io/fs"
	"os"
	"strconv"

	"github.com/mattn/go-sqlite3"
)

// LargePageSize is a page size for databases holding large values. Blob
// content is stored in rows of up to a chunk (1 MiB): with SQLite's
// default 4 KiB pages each chunk is a chain of 256 overflow pages, each
// written to the write-ahead log with its own frame header and checksum
// and copied back at checkpoint. 64 KiB pages more than double 64 MiB
// uploads (69 -> 173 MB/s, BenchmarkBlobSDK64MiB/upload) but every small
// commit then logs whole 64 KiB pages: a queue put/get/delete cycle went
// from 260 to 623 µs (BenchmarkQueueCycleBacklog; 16 KiB: 333 µs, 86
// MB/s). Queue and table writes are the common case of a Functions app,
// so the storage database keeps SQLite's default; the option stays for
// a store that holds mostly large blobs.
const LargePageSize = 64 << 10

// createWithPageSize creates path as an empty database in WAL mode with
// pages of pageSize bytes when it does not exist yet or is empty: SQLite
// fixes the page size when the first page is written, and cannot change
// it in WAL mode afterwards. A database keeps the page size it was
// created with: existing files open unchanged.
func createWithPageSize(uri, path string, pageSize int) error {
	if pageSize == 0 {
		return nil
	}
	fi, err := os.Stat(path)
	switch {
	case err == nil && fi.Size() > 0:
		return nil
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return err
	}
	db, err := sql.Open(driverName, uri)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Exec("PRAGMA page_size = " + strconv.Itoa(pageSize) + "; PRAGMA journal_mode = WAL")
	return err
}

// autoCheckpointBytes is how much the write-ahead log holds before SQLite
// copies it into the database (wal_autocheckpoint, set in pages): 32 MiB,
// not 4 MiB as by default. Each checkpoint syncs both files, which cost
// more than the copying during large uploads; the content writers
// checkpoint at the same pace themselves (see storage's wrote).
const autoCheckpointBytes = 32 << 20

// setAutoCheckpoint sets wal_autocheckpoint for the page size of c's
// database, which differs between databases and between files created
// before and after Options.PageSize.
func setAutoCheckpoint(c *sqlite3.SQLiteConn) error {
	rows, err := c.Query("PRAGMA page_size", nil)
	if err != nil {
		return err
	}
	v := make([]driver.Value, 1)
	err = rows.Next(v)
	rows.Close()
	if err != nil {
		return err
	}
	size, ok := v[0].(int64)
	if !ok || size <= 0 {
		size = 4096
	}
	_, err = c.Exec("PRAGMA wal_autocheckpoint = "+strconv.FormatInt(autoCheckpointBytes/size, 10), nil)
	return err
}
