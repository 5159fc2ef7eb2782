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

func errEntityNotFound() *ServiceError {
	return svcErr(404, "ResourceNotFound", "The specified resource does not exist.")
}
func errEntityExists() *ServiceError {
	return svcErr(409, "EntityAlreadyExists", "The specified entity already exists.")
}
func errUpdateCondition() *ServiceError {
	return svcErr(412, "UpdateConditionNotSatisfied", "The update condition specified in the request was not satisfied.")
}

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
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("write entities: %w", err)
	}
	defer tx.Rollback()
	if _, err := tableName(ctx, tx, account, table); err != nil {
		return nil, &TableOpError{Index: 0, Err: err}
	}
	key := strings.ToLower(table)
	now := s.clock.Now().UTC().Truncate(100 * time.Nanosecond)
	out := make([]TableEntity, len(ops))
	for i, op := range ops {
		e, err := applyOp(ctx, tx, account, key, op, now)
		if err != nil {
			return nil, &TableOpError{Index: i, Err: err}
		}
		out[i] = e
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("write entities: %w", err)
	}
	return out, nil
}

func applyOp(ctx context.Context, tx *sql.Tx, account, table string, op TableOp, now time.Time) (TableEntity, error) {
	e := op.Entity
	if err := ValidateTableKey("PartitionKey", e.PartitionKey); err != nil {
		return e, err
	}
	if err := ValidateTableKey("RowKey", e.RowKey); err != nil {
		return e, err
	}
	prev, found, err := readEntity(ctx, tx, account, table, e.PartitionKey, e.RowKey)
	if err != nil {
		return e, err
	}
	switch op.Kind {
	case OpInsert:
		if found {
			return e, errEntityExists()
		}
	case OpReplace, OpMerge, OpDelete:
		if !found {
			return e, errEntityNotFound()
		}
		if op.IfMatch != "*" && op.IfMatch != prev.ETag() {
			return e, errUpdateCondition()
		}
	}
	if op.Kind == OpDelete {
		_, err := tx.ExecContext(ctx, `DELETE FROM table_entities WHERE account = ? AND table_key = ? AND pk = ? AND rk = ?`,
			account, table, e.PartitionKey, e.RowKey)
		if err != nil {
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
	_, err = tx.ExecContext(ctx, `INSERT INTO table_entities (account, table_key, pk, rk, ts, props, parent_invocation_id)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (account, table_key, pk, rk) DO UPDATE SET ts = excluded.ts, props = excluded.props,
			parent_invocation_id = excluded.parent_invocation_id`,
		account, table, e.PartitionKey, e.RowKey, odata.FormatDateTime(e.Timestamp), props, e.ParentID)
	if err != nil {
		return e, fmt.Errorf("write entity: %w", err)
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

func readEntity(ctx context.Context, q queryer, account, table, pk, rk string) (TableEntity, bool, error) {
	e := TableEntity{PartitionKey: pk, RowKey: rk}
	var ts, props string
	err := q.QueryRowContext(ctx, `SELECT ts, props, parent_invocation_id FROM table_entities
		WHERE account = ? AND table_key = ? AND pk = ? AND rk = ?`, account, table, pk, rk).Scan(&ts, &props, &e.ParentID)
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
	e.Properties, err = decodeProps(props)
	if err != nil {
		return fmt.Errorf("entity %q/%q: %w", e.PartitionKey, e.RowKey, err)
	}
	return nil
}
