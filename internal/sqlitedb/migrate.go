package sqlitedb

import (
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// ErrNewerSchema is returned for a database a newer funcemu migrated past
// what this one knows: opening it would risk writing rows it cannot read.
var ErrNewerSchema = errors.New("written by a newer funcemu")

// migration is one file of a migrations folder: NNNN_name.sql.
type migration struct {
	version int
	name    string
}

// migrationsIn lists the migrations of fsys in version order; versions may
// have gaps, and each is applied once.
func migrationsIn(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	var ms []migration
	seen := map[int]string{}
	for _, n := range names {
		num, _, ok := strings.Cut(n, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a version number and '_'", n)
		}
		if prev, dup := seen[v]; dup {
			return nil, fmt.Errorf("migrations %s and %s share version %d", prev, n, v)
		}
		seen[v] = n
		ms = append(ms, migration{version: v, name: n})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version INTEGER PRIMARY KEY,
	name    TEXT NOT NULL
)`

// migrate applies the pending migrations of fsys after refusing a
// database from a newer funcemu. They run in one transaction: a new
// database is created with one commit instead of one per migration (each
// commit of a schema change makes SQLite read the whole schema again),
// and a failed migration leaves the database as it was.
func migrate(db *sql.DB, fsys fs.FS, what string) error {
	ms, err := migrationsIn(fsys)
	if err != nil {
		return err
	}
	if _, err := db.Exec(createMigrationsTable); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	applied, err := appliedVersions(db)
	if err != nil {
		return err
	}
	if err := checkNotAhead(applied, ms, what); err != nil {
		return err
	}
	if pending(ms, applied) == nil {
		return nil
	}
	tx, err := db.Begin()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer tx.Rollback()
	// Another opener may have applied some since appliedVersions read.
	if applied, err = appliedVersions(tx); err != nil {
		return err
	}
	for _, m := range pending(ms, applied) {
		if err := apply(tx, fsys, m); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// pending are the migrations of ms not applied yet, in order.
func pending(ms []migration, applied map[int]bool) []migration {
	var out []migration
	for _, m := range ms {
		if !applied[m.version] {
			out = append(out, m)
		}
	}
	return out
}

// querier is a database or a transaction.
type querier interface {
	QueryRow(query string, args ...any) *sql.Row
	Query(query string, args ...any) (*sql.Rows, error)
}

// appliedVersions reads schema_migrations; a database without the table
// has none.
func appliedVersions(db querier) (map[int]bool, error) {
	out := map[int]bool{}
	var exists int
	if err := db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).Scan(&exists); err != nil {
		return nil, fmt.Errorf("read schema version: %w", err)
	}
	if exists == 0 {
		return out, nil
	}
	rows, err := db.Query(`SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("read schema version: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("read schema version: %w", err)
		}
		out[v] = true
	}
	return out, rows.Err()
}

// checkNotAhead refuses a database whose newest applied migration is
// beyond the newest this build has. Unknown versions below it (another
// build's gaps) are tolerated.
func checkNotAhead(applied map[int]bool, ms []migration, what string) error {
	newest, known := 0, 0
	for v := range applied {
		newest = max(newest, v)
	}
	if len(ms) > 0 {
		known = ms[len(ms)-1].version
	}
	if newest > known {
		return fmt.Errorf("%s is %w (schema version %d, this funcemu knows up to %d): upgrade funcemu, or use another --data-dir",
			what, ErrNewerSchema, newest, known)
	}
	return nil
}

// checkMigrations is checkNotAhead against the files of fsys, if any.
func checkMigrations(applied map[int]bool, fsys fs.FS, what string) error {
	if fsys == nil {
		return nil
	}
	ms, err := migrationsIn(fsys)
	if err != nil {
		return err
	}
	return checkNotAhead(applied, ms, what)
}

// apply runs migration m in tx and records it.
func apply(tx *sql.Tx, fsys fs.FS, m migration) error {
	body, err := fs.ReadFile(fsys, m.name)
	if err != nil {
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	if _, err := tx.Exec(string(body)); err != nil {
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	if _, err := tx.Exec(`INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, m.version, m.name); err != nil {
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	return nil
}
