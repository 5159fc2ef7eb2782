package storage

import (
	"io/fs"
	"path/filepath"
	"testing"
)

func TestOpenAppliesMigrationsOnce(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "store.db")
	for i := 0; i < 2; i++ { // the second open must find nothing to apply
		s, err := Open(Options{Path: path})
		if err != nil {
			t.Fatalf("open #%d: %v", i+1, err)
		}
		var n int
		if err := s.db.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		files, err := fs.Glob(migrationFiles(), "*.sql")
		if err != nil {
			t.Fatal(err)
		}
		if n != len(files) {
			t.Fatalf("open #%d: %d migrations recorded, want %d", i+1, n, len(files))
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestOpenFileUsesWAL(t *testing.T) {
	t.Parallel()
	s, err := Open(Options{Path: filepath.Join(t.TempDir(), "store.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var mode string
	if err := s.db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" {
		t.Fatalf("journal_mode = %q, want wal", mode)
	}
}

func TestInMemoryStoresAreSeparate(t *testing.T) {
	t.Parallel()
	a, err := Open(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if _, err := a.db.Exec(`INSERT INTO meta (key, value) VALUES ('k', 'a')`); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := b.db.QueryRow(`SELECT COUNT(*) FROM meta`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("second in-memory store sees %d rows of the first", n)
	}
}
