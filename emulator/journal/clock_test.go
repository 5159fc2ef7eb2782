package journal

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	_ "github.com/mattn/go-sqlite3"
)

// TestListGoesByRecordingOrder records a virtual run whose start times
// lie a year ahead, then a system-clock run: the system run's invocation
// is listed first, as the most recently recorded, and each carries its
// clock.
func TestListGoesByRecordingOrder(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), FileName)
	virtual, err := Open(Options{Path: path, ClockKind: ClockVirtual})
	if err != nil {
		t.Fatal(err)
	}
	record(t, virtual, finished("future", "Nightly", at(365*24*3600), at(365*24*3600+1), ""))
	virtual.Close()
	system, err := Open(Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer system.Close()
	record(t, system, finished("now", "Nightly", at(0), at(1), ""))

	ctx := context.Background()
	invs, err := system.List(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(invs) != 2 || invs[0].ID != "now" || invs[1].ID != "future" {
		t.Fatalf("listed %v, want now, then future", invs)
	}
	for id, want := range map[string]string{"future": ClockVirtual, "now": ClockSystem} {
		rec, err := system.Get(ctx, id)
		if err != nil || rec.Clock != want {
			t.Fatalf("%s: clock %q, %v; want %s", id, rec.Clock, err, want)
		}
	}
}

// TestReadOnlyOpenOfAnOlderJournal reads a journal with only the first
// migration applied without migrating it: listing works in row order.
func TestReadOnlyOpenOfAnOlderJournal(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), FileName)
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	first, err := migrations.ReadFile("migrations/0001_journal.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)`,
		string(first), `INSERT INTO schema_migrations VALUES (1, '0001_journal.sql')`,
		`INSERT INTO invocations (id, function, status, start_ns) VALUES ('a', 'F', 'succeeded', 2), ('b', 'F', 'succeeded', 1)`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	j, err := Open(Options{Path: path, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	invs, err := j.List(context.Background(), Filter{})
	if err != nil || len(invs) != 2 || invs[0].ID != "b" {
		t.Fatalf("listed %v, %v; want b then a", invs, err)
	}
	if rec, err := j.Get(context.Background(), "a"); err != nil || rec.Clock != ClockSystem {
		t.Fatalf("get: %+v, %v", rec, err)
	}
	var n int
	if err := j.db.QueryRow(`SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("the read-only open migrated the journal: %d versions, %v", n, err)
	}
}
