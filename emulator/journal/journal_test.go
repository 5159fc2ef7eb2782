package journal

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenFileUsesWALAndKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	for i := range 2 { // the second open must find its data and no migration to apply
		j, err := Open(Options{Path: path})
		if err != nil {
			t.Fatalf("open #%d: %v", i+1, err)
		}
		var mode string
		if err := j.db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
			t.Fatal(err)
		}
		if mode != "wal" {
			t.Fatalf("journal_mode = %q, want wal", mode)
		}
		var recorded int
		if err := j.db.QueryRow(`SELECT count(*) FROM schema_migrations`).Scan(&recorded); err != nil {
			t.Fatal(err)
		}
		files, _ := fs.Glob(migrationFiles(), "*.sql")
		if recorded != len(files) || recorded == 0 {
			t.Fatalf("open #%d: %d migrations recorded, want %d, each once", i+1, recorded, len(files))
		}
		if i == 0 {
			record(t, j, started("inv-1", "Hello", at(1)))
		} else if _, err := j.Get(context.Background(), "inv-1"); err != nil {
			t.Fatalf("reopened journal lost its invocation: %v", err)
		}
		if err := j.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestInMemoryJournalsAreSeparate(t *testing.T) {
	a, b := openMemory(t, Options{}), openMemory(t, Options{})
	record(t, a, started("inv-1", "Hello", at(1)))
	got, err := b.List(context.Background(), Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Fatalf("second in-memory journal sees %v", ids(got))
	}
}

func TestOpenNamesTheFileAtFault(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	if err := os.WriteFile(path, []byte(strings.Repeat("not a database ", 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Open(Options{Path: path})
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("Open = %v, want an error naming %s", err, path)
	}
}

func TestOpenPathWithURICharacters(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "app?#50%")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	j, err := Open(Options{Path: PathIn(dir)})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	record(t, j, started("inv-1", "Hello", at(1)))
	if _, err := os.Stat(PathIn(dir)); err != nil {
		t.Fatalf("journal not created at %s: %v", PathIn(dir), err)
	}
}

func TestPathIn(t *testing.T) {
	if got, want := PathIn(filepath.Join("app", ".funcemu")), filepath.Join("app", ".funcemu", "journal.db"); got != want {
		t.Fatalf("PathIn = %q, want %q", got, want)
	}
}
