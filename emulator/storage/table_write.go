package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/funcemu/funcemu/emulator/storage/odata"
)

// TableOpKind is what one write does to an entity.
type TableOpKind int

// The entity writes of the Table service.
const (
	OpInsert          TableOpKind = iota // fails if the entity exists
	OpReplace                            // Update Entity: must exist, If-Match
	OpMerge                              // Merge Entity: must exist, If-Match
	OpInsertOrReplace                    // Update Entity without If-Match
	OpInsertOrMerge                      // Merge Entity without If-Match
	OpDelete                             // must exist, If-Match
)

// TableOp is one write: its kind, the entity (keys always; properties for
// inserts, replaces and merges) and If-Match ("*" or an ETag).
type TableOp struct {
	Kind    TableOpKind
	Entity  TableEntity
	IfMatch string
}

// TableOpError names the operation of a group that failed; it unwraps to
// the failure.
type TableOpError struct {
	Index int
	Err   error
}

func (e *TableOpError) Error() string { return fmt.Sprintf("operation %d: %v", e.Index, e.Err) }
func (e *TableOpError) Unwrap() error { return e.Err }

// WriteEntity applies one write and returns the entity as stored (for a
// delete, the keys only).
func (s *Store) WriteEntity(ctx context.Context, account, table string, op TableOp) (TableEntity, error) {
	out, err := s.WriteEntities(ctx, account, table, []TableOp{op})
	var oe *TableOpError
	if errors.As(err, &oe) {
		return TableEntity{}, oe.Err
	}
	if err != nil {
		return TableEntity{}, err
	}
	return out[0], nil
}

// WriteEntities applies writes to one table in order, all or nothing (an
// entity group transaction). A failure is a *TableOpError naming the
// operation; nothing is written then.
func (s *Store) WriteEntities(ctx context.Context, account, table string, ops []TableOp) ([]TableEntity, error) {
	_, out, err := s.WriteEntitiesNamed(ctx, account, table, ops)
	return out, err
}

// WriteEntitiesNamed is WriteEntities that also returns the table's name
// as created, read in the same transaction, for answers that show it.
// The writes go through the store's writer (group_commit.go), in a
// savepoint of their own: table writes then never wait on SQLite's write
// lock behind blob and queue writes, and concurrent ones share a commit.
func (s *Store) WriteEntitiesNamed(ctx context.Context, account, table string, ops []TableOp) (string, []TableEntity, error) {
	queries := []string{readEntitySQL, insertEntitySQL, upsertEntitySQL, deleteEntitySQL}
	together := insertsOnly(ops)
	if together {
		queries = append(queries, insertStatements()...)
	}
	stmts, err := s.preparedAll(ctx, queries...)
	if err != nil {
		return "", nil, fmt.Errorf("write entities: %w", err)
	}
	// The name is only shown; the foreign key of table_entities is what
	// refuses a write to a table deleted meanwhile.
	name, err := s.cachedTableName(ctx, account, table)
	if err != nil {
		return "", nil, &TableOpError{Index: 0, Err: err}
	}
	key := strings.ToLower(table)
	now := s.clock.Now().UTC().Truncate(100 * time.Nanosecond)
	out := make([]TableEntity, len(ops))
	if together {
		err := s.insertGroup(ctx, stmts, account, key, ops, now, out)
		if err == nil {
			return name, out, nil
		}
		if !errors.Is(err, errInsertOneByOne) {
			return "", nil, fmt.Errorf("write entities: %w", err)
		}
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		// The writer may run this more than once: every result is
		// assigned afresh.
		st := &entityStmts{prepared: stmts, tx: tx}
		for i, op := range ops {
			var err error
			if out[i], err = st.apply(ctx, account, key, op, now); err != nil {
				if isMissingTable(err) {
					err = ErrTableNotFound
				}
				return &TableOpError{Index: i, Err: err}
			}
		}
		return nil
	})
	if err != nil {
		var oe *TableOpError
		if errors.As(err, &oe) {
			return "", nil, err
		}
		return "", nil, fmt.Errorf("write entities: %w", err)
	}
	return name, out, nil
}

// entityStmts binds the store's prepared entity statements to a
// group's transaction as the group needs them: preparing each time was a
// large share of a 100-entity batch.
type entityStmts struct {
	prepared             map[string]*sql.Stmt // by query, on the store's pool
	tx                   *sql.Tx
	read, insert, upsert *sql.Stmt
	del                  *sql.Stmt
	insertRows           [len(insertRowCounts)]*sql.Stmt // insertAll's, by count
}

const (
	readEntitySQL = `SELECT ts, props, parent_invocation_id FROM table_entities
		WHERE account = ? AND table_key = ? AND pk = ? AND rk = ?`
	entityColumns = `INSERT INTO table_entities (account, table_key, pk, rk, ts, props, parent_invocation_id)
		VALUES (?, ?, ?, ?, ?, ?, ?)`
	// insertEntitySQL writes nothing when the entity exists, which is how
	// an Insert learns of it without reading first.
	insertEntitySQL = entityColumns + ` ON CONFLICT (account, table_key, pk, rk) DO NOTHING`
	upsertEntitySQL = entityColumns + ` ON CONFLICT (account, table_key, pk, rk) DO UPDATE SET ts = excluded.ts,
			props = excluded.props, parent_invocation_id = excluded.parent_invocation_id`
	deleteEntitySQL = `DELETE FROM table_entities WHERE account = ? AND table_key = ? AND pk = ? AND rk = ?`
)

// stmt returns the statement in *slot, binding it on first use.
func (st *entityStmts) stmt(ctx context.Context, slot **sql.Stmt, query string) (*sql.Stmt, error) {
	if *slot == nil {
		*slot = st.tx.StmtContext(ctx, st.prepared[query])
	}
	return *slot, nil
}

func (st *entityStmts) apply(ctx context.Context, account, table string, op TableOp, now time.Time) (TableEntity, error) {
	e := op.Entity
	if err := ValidateTableKey("PartitionKey", e.PartitionKey); err != nil {
		return e, err
	}
	if err := ValidateTableKey("RowKey", e.RowKey); err != nil {
		return e, err
	}
	if op.Kind == OpInsert {
		return st.insertNew(ctx, account, table, e, now)
	}
	read, err := st.stmt(ctx, &st.read, readEntitySQL)
	if err != nil {
		return e, err
	}
	prev, found, err := readEntity(ctx, read, account, table, e.PartitionKey, e.RowKey)
	if err != nil {
		return e, err
	}
	switch op.Kind {
	case OpReplace, OpMerge, OpDelete:
		if !found {
			return e, ErrEntityNotFound
		}
		if op.IfMatch != "*" && op.IfMatch != prev.ETag() {
			return e, ErrUpdateConditionNotMet
		}
	}
	if op.Kind == OpDelete {
		del, err := st.stmt(ctx, &st.del, deleteEntitySQL)
		if err != nil {
			return e, err
		}
		if _, err := del.ExecContext(ctx, account, table, e.PartitionKey, e.RowKey); err != nil {
			return e, fmt.Errorf("delete entity: %w", err)
		}
		return TableEntity{PartitionKey: e.PartitionKey, RowKey: e.RowKey}, nil
	}
	if found && (op.Kind == OpMerge || op.Kind == OpInsertOrMerge) {
		e.Properties = mergeProperties(prev.Properties, e.Properties)
	}
	if err := validateEntity(&e); err != nil {
		return e, err
	}
	e.Timestamp = now
	if found && !now.After(prev.Timestamp) {
		// A new ETag for every write, even within one clock tick.
		e.Timestamp = prev.Timestamp.Add(100 * time.Nanosecond)
	}
	props, err := encodeProps(e.Properties)
	if err != nil {
		return e, err
	}
	upsert, err := st.stmt(ctx, &st.upsert, upsertEntitySQL)
	if err != nil {
		return e, err
	}
	if _, err := upsert.ExecContext(ctx, account, table, e.PartitionKey, e.RowKey, odata.FormatDateTime(e.Timestamp), props, e.ParentID); err != nil {
		return e, fmt.Errorf("write entity: %w", err)
	}
	return e, nil
}

// insertNew writes an entity that must not exist yet; the primary key
// tells, so no read comes first.
func (st *entityStmts) insertNew(ctx context.Context, account, table string, e TableEntity, now time.Time) (TableEntity, error) {
	if err := validateEntity(&e); err != nil {
		return e, err
	}
	e.Timestamp = now
	props, err := encodeProps(e.Properties)
	if err != nil {
		return e, err
	}
	insert, err := st.stmt(ctx, &st.insert, insertEntitySQL)
	if err != nil {
		return e, err
	}
	res, err := insert.ExecContext(ctx, account, table, e.PartitionKey, e.RowKey, odata.FormatDateTime(e.Timestamp), props, e.ParentID)
	if err != nil {
		return e, fmt.Errorf("write entity: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return e, fmt.Errorf("write entity: %w", err)
	} else if n == 0 {
		return e, ErrEntityAlreadyExists
	}
	return e, nil
}

// mergeProperties keeps the stored properties, replacing those sent again
// and adding new ones after them.
func mergeProperties(stored, sent []TableProperty) []TableProperty {
	out := append([]TableProperty(nil), stored...)
	for _, p := range sent {
		replaced := false
		for i := range out {
			if out[i].Name == p.Name {
				out[i], replaced = p, true
				break
			}
		}
		if !replaced {
			out = append(out, p)
		}
	}
	return out
}

// rowQueryer is a prepared statement (*sql.Stmt) run for one row.
type rowQueryer interface {
	QueryRowContext(ctx context.Context, args ...any) *sql.Row
}

func readEntity(ctx context.Context, q rowQueryer, account, table, pk, rk string) (TableEntity, bool, error) {
	e := TableEntity{PartitionKey: pk, RowKey: rk}
	var ts, props string
	err := q.QueryRowContext(ctx, account, table, pk, rk).Scan(&ts, &props, &e.ParentID)
	if errors.Is(err, sql.ErrNoRows) {
		return e, false, nil
	}
	if err != nil {
		return e, false, fmt.Errorf("read entity: %w", err)
	}
	if err := fillEntity(&e, ts, props); err != nil {
		return e, false, err
	}
	return e, true, nil
}

func fillEntity(e *TableEntity, ts, props string) error {
	t, err := odata.ParseDateTime(ts)
	if err != nil {
		return fmt.Errorf("entity %q/%q: stored timestamp: %w", e.PartitionKey, e.RowKey, err)
	}
	e.Timestamp = t
	if len(ts) == 28 && ts[19] == '.' && ts[27] == 'Z' { // the form FormatDateTime writes
		e.stamp, e.stampOf = ts, t
	}
	e.Properties, err = decodeProps(props)
	if err != nil {
		return fmt.Errorf("entity %q/%q: %w", e.PartitionKey, e.RowKey, err)
	}
	return nil
}
