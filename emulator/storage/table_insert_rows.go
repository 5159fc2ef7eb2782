package storage

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/funcemu/funcemu/emulator/storage/odata"
)

// A group of inserts (the common entity group transaction) is written
// with multi-row INSERT statements of insertRowCounts rows, largest
// first: one statement per 100 rows instead of one per row was most of a
// batch's time in SQLite and database/sql. Anything unexpected (a key or
// entity the checks refuse, an entity that exists, a key twice in the
// group, a statement that fails) drops the whole attempt, which the
// writer rolls back to its savepoint, and the group runs again one
// operation at a time: that path alone decides the failure and the index
// of the operation the error names, as it always did.
var insertRowCounts = [...]int{100, 16, 4}

// insertRowsSQL is the multi-row insert statement of each count.
var insertRowsSQL = func() map[int]string {
	out := make(map[int]string, len(insertRowCounts))
	for _, n := range insertRowCounts {
		out[n] = strings.TrimSuffix(entityColumns, "(?, ?, ?, ?, ?, ?, ?)") +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?), ", n), ", ") +
			` ON CONFLICT (account, table_key, pk, rk) DO NOTHING`
	}
	return out
}()

// errInsertOneByOne asks WriteEntitiesNamed to run a group of inserts
// again one operation at a time.
var errInsertOneByOne = errors.New("the group's inserts run one at a time")

// insertsOnly reports whether a group is inserts only, more than one, as
// insertAll writes them.
func insertsOnly(ops []TableOp) bool {
	if len(ops) < 2 {
		return false
	}
	for i := range ops {
		if ops[i].Kind != OpInsert {
			return false
		}
	}
	return true
}

// insertAll writes a group of inserts as insertNew would write each,
// results in out, or returns errInsertOneByOne having possibly written
// part of them (the caller's savepoint undoes it).
func (st *entityStmts) insertAll(ctx context.Context, account, table string, ops []TableOp, now time.Time, out []TableEntity) error {
	// The arguments every row shares are boxed once: each string put in
	// an any is an allocation, and a batch has up to 100 rows of them.
	acctArg, tableArg, stampArg := any(account), any(table), any(odata.FormatDateTime(now))
	var pkArg any
	args := make([]any, 0, 7*len(ops))
	for i := range ops {
		e := ops[i].Entity
		if validateEntity(&e) != nil {
			return errInsertOneByOne
		}
		props, err := encodeProps(e.Properties)
		if err != nil {
			return errInsertOneByOne
		}
		e.Timestamp = now
		out[i] = e
		if pkArg == nil || pkArg.(string) != e.PartitionKey {
			pkArg = e.PartitionKey
		}
		args = append(args, acctArg, tableArg, pkArg, e.RowKey, stampArg, props, e.ParentID)
	}
	for left := len(ops); left > 0; {
		n, stmt := 1, &st.insert
		query := insertEntitySQL
		for k, count := range insertRowCounts {
			if left >= count {
				n, stmt, query = count, &st.insertRows[k], insertRowsSQL[count]
				break
			}
		}
		insert, err := st.stmt(ctx, stmt, query)
		if err != nil {
			return errInsertOneByOne
		}
		res, err := insert.ExecContext(ctx, args[:7*n]...)
		if err != nil {
			return errInsertOneByOne
		}
		if written, err := res.RowsAffected(); err != nil || written != int64(n) {
			return errInsertOneByOne
		}
		args, left = args[7*n:], left-n
	}
	return nil
}

// insertStatements are the queries insertAll may run, to prepare before
// the transaction.
func insertStatements() []string {
	out := []string{insertEntitySQL}
	for _, n := range insertRowCounts {
		out = append(out, insertRowsSQL[n])
	}
	return out
}

// insertGroup runs insertAll as one write.
func (s *Store) insertGroup(ctx context.Context, stmts map[string]*sql.Stmt, account, key string, ops []TableOp, now time.Time, out []TableEntity) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		st := &entityStmts{prepared: stmts, tx: tx}
		return st.insertAll(ctx, account, key, ops, now, out)
	})
}
