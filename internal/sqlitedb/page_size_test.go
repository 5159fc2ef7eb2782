package sqlitedb

import (
	"database/sql"
	"path/filepath"
	"testing"
)

func pragmaInt(t *testing.T, db *sql.DB, name string) int {
	t.Helper()
	var n int
	if err := db.QueryRow("PRAGMA " + name).Scan(&n); err != nil {
		t.Fatalf("PRAGMA %s: %v", name, err)
	}
	return n
}

// TestNewDatabaseGetsLargePages checks a database created with
// Options.PageSize has those pages, stays in WAL mode, and checkpoints every
// autoCheckpointBytes of log whatever the page size.
func TestNewDatabaseGetsLargePages(t *testing.T) {
	t.Parallel()
	db, err := Open(Options{Path: filepath.Join(t.TempDir(), "new.db"), Migrations: testMigrations, PageSize: LargePageSize})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := pragmaInt(t, db, "page_size"); got != LargePageSize {
		t.Fatalf("page_size = %d, want %d", got, LargePageSize)
	}
	if got := pragmaInt(t, db, "wal_autocheckpoint"); got != autoCheckpointBytes/LargePageSize {
		t.Fatalf("wal_autocheckpoint = %d pages, want %d", got, autoCheckpointBytes/LargePageSize)
	}
	var mode string
	if err := db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q (%v), want wal", mode, err)
	}
}

// TestExistingDatabaseKeepsItsPageSize opens a database made with
// SQLite's default 4 KiB pages (as funcemu made them before) and checks
// it keeps them, its rows, and a log bound counted in its own pages.
func TestExistingDatabaseKeepsItsPageSize(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "old.db")
	old, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.Exec(`PRAGMA page_size = 4096; PRAGMA journal_mode = WAL;
		CREATE TABLE kept (v TEXT); INSERT INTO kept VALUES ('before')`); err != nil {
		t.Fatal(err)
	}
	old.Close()

	db, err := Open(Options{Path: path, Migrations: testMigrations, PageSize: LargePageSize})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := pragmaInt(t, db, "page_size"); got != 4096 {
		t.Fatalf("page_size = %d, want the 4096 it was created with", got)
	}
	if got := pragmaInt(t, db, "wal_autocheckpoint"); got != autoCheckpointBytes/4096 {
		t.Fatalf("wal_autocheckpoint = %d pages, want %d", got, autoCheckpointBytes/4096)
	}
	var v string
	if err := db.QueryRow(`SELECT v FROM kept`).Scan(&v); err != nil || v != "before" {
		t.Fatalf("kept row = %q (%v)", v, err)
	}
	if _, err := db.Exec(`INSERT INTO items (v) VALUES ('after')`); err != nil {
		t.Fatal(err)
	}
}
