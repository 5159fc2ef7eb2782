package sqlitedb

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

var testMigrations = fstest.MapFS{
	"0001_items.sql": {Data: []byte(`CREATE TABLE items (v TEXT NOT NULL)`)},
	"0003_more.sql":  {Data: []byte(`ALTER TABLE items ADD COLUMN n INTEGER NOT NULL DEFAULT 0`)},
}

func openTest(t *testing.T, o Options) {
	t.Helper()
	o.Migrations = testMigrations
	db, err := Open(o)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`INSERT INTO items (v, n) VALUES ('x', 1)`); err != nil {
		t.Fatal(err)
	}
}

// TestOpenEscapesPaths opens databases in folders whose names a URI would
// misread, and checks the file lands exactly there.
func TestOpenEscapesPaths(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"a#b", "q?x=1", "100%25", "with space", "données-数据", "%", "#?%&=+;"} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), name)
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, "x.db")
			openTest(t, Options{Path: path})
			if _, err := os.Stat(path); err != nil {
				t.Fatalf("database not at %s: %v", path, err)
			}
			entries, _ := os.ReadDir(filepath.Dir(dir))
			if len(entries) != 1 {
				t.Fatalf("files beside the folder: %v", entries)
			}
			// Reopening reads the same file: the row is there.
			db, err := Open(Options{Path: path, Migrations: testMigrations, ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			var n int
			if err := db.QueryRow(`SELECT count(*) FROM items`).Scan(&n); err != nil || n != 1 {
				t.Fatalf("rows = %d, %v; want 1", n, err)
			}
		})
	}
}

func TestOpenRefusesANewerSchema(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "x.db")
	openTest(t, Options{Path: path})
	db, err := Open(Options{Path: path, Migrations: testMigrations})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO schema_migrations (version, name) VALUES (7, '0007_future.sql')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, ro := range []bool{false, true} {
		_, err := Open(Options{Path: path, What: "journal", Migrations: testMigrations, ReadOnly: ro})
		if !errors.Is(err, ErrNewerSchema) {
			t.Fatalf("read-only %v: err = %v, want ErrNewerSchema", ro, err)
		}
		want := "journal " + path + " is written by a newer funcemu (schema version 7, this funcemu knows up to 3): upgrade funcemu, or use another --data-dir"
		if err.Error() != want {
			t.Fatalf("error\n %s\nwant\n %s", err, want)
		}
	}
}

// TestMigrationsToleratesGaps applies versions with gaps once each, and
// accepts a database carrying an unknown version below the newest known.
func TestMigrationsToleratesGaps(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "x.db")
	openTest(t, Options{Path: path})
	db, err := Open(Options{Path: path, Migrations: testMigrations})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`INSERT INTO schema_migrations (version, name) VALUES (2, '0002_other.sql')`); err != nil {
		t.Fatal(err)
	}
	db2, err := Open(Options{Path: path, Migrations: testMigrations})
	if err != nil {
		t.Fatalf("gap below the newest: %v", err)
	}
	db2.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM items`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("rows = %d, %v; want 1", n, err)
	}
}

// TestReadOnlyNeverWrites reads a database without changing its bytes,
// and refuses writes.
func TestReadOnlyNeverWrites(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "x.db")
	openTest(t, Options{Path: path})
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	db, err := Open(Options{Path: path, Migrations: testMigrations, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO items (v) VALUES ('y')`); err == nil {
		t.Fatal("read-only open accepted a write")
	}
	db.Close()
	after, _ := os.ReadFile(path)
	if string(before) != string(after) {
		t.Fatal("read-only open changed the file")
	}
	if _, err := Open(Options{Path: filepath.Join(t.TempDir(), "none.db"), ReadOnly: true}); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing file read-only: %v, want not exist", err)
	}
}

func TestParseDurability(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]Durability{"": DurabilityNormal, "normal": DurabilityNormal, "full": DurabilityFull} {
		if got, err := ParseDurability(in); err != nil || got != want {
			t.Fatalf("%q: %v, %v", in, got, err)
		}
	}
	if _, err := ParseDurability("extra"); err == nil {
		t.Fatal("accepted extra")
	}
}

// TestPragmas checks what every connection gets: WAL, the durability
// asked for, and the write-ahead log's size limit.
func TestPragmas(t *testing.T) {
	t.Parallel()
	for d, want := range map[Durability]int{DurabilityNormal: 1, DurabilityFull: 2} {
		db, err := Open(Options{Path: filepath.Join(t.TempDir(), "x.db"), Migrations: testMigrations, Durability: d})
		if err != nil {
			t.Fatal(err)
		}
		var mode string
		var sync, limit int
		if err := db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRow(`PRAGMA synchronous`).Scan(&sync); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRow(`PRAGMA journal_size_limit`).Scan(&limit); err != nil {
			t.Fatal(err)
		}
		db.Close()
		if mode != "wal" || sync != want || limit != WALSizeLimit {
			t.Fatalf("%s: journal_mode %s, synchronous %d, journal_size_limit %d; want wal, %d, %d",
				d, mode, sync, limit, want, WALSizeLimit)
		}
	}
}

// TestFailedMigrationAppliesNone runs the pending migrations as one:
// when a later one fails, the earlier ones of the same open are undone,
// and a fixed set applies them all on the next open.
func TestFailedMigrationAppliesNone(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "x.db")
	broken := fstest.MapFS{
		"0001_items.sql": testMigrations["0001_items.sql"],
		"0003_more.sql":  {Data: []byte(`ALTER TABLE nothing ADD COLUMN n INTEGER`)},
	}
	if _, err := Open(Options{Path: path, Migrations: broken}); err == nil || !strings.Contains(err.Error(), "migration 0003_more.sql") {
		t.Fatalf("err = %v, want migration 0003_more.sql's error", err)
	}
	db, err := Open(Options{Path: path, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var tables int
	if err := db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'items'`).Scan(&tables); err != nil || tables != 0 {
		t.Fatalf("items tables = %d, %v; want none", tables, err)
	}
	db.Close()
	openTest(t, Options{Path: path})
}
