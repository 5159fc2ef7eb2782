package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/funcemu/funcemu/emulator/storage/odata"
)

// ValidateTableName checks a table name: 3 to 63 letters and digits,
// starting with a letter, and not the reserved "tables".
func ValidateTableName(name string) error {
	if len(name) < 3 || len(name) > 63 {
		return ErrNameLength.with("%q must be 3 to 63 characters", name)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return ErrInvalidTableName.with("%q: letters and digits only, starting with a letter", name)
		}
	}
	if strings.EqualFold(name, "tables") {
		return ErrInvalidTableName.with("\"tables\" is reserved")
	}
	return nil
}

// CreateTable creates a table; the name keeps its case but is unique
// regardless of case.
func (s *Store) CreateTable(ctx context.Context, account, name string) error {
	if err := ValidateTableName(name); err != nil {
		return err
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO storage_tables (account, key, name, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, account, strings.ToLower(name), name, s.clock.Now().UnixMilli())
	if err != nil {
		return fmt.Errorf("create table %q: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrTableAlreadyExists
	}
	s.tableNames.forget(account, strings.ToLower(name))
	return nil
}

// DeleteTable deletes a table and its entities.
func (s *Store) DeleteTable(ctx context.Context, account, name string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM storage_tables WHERE account = ? AND key = ?`, account, strings.ToLower(name))
	s.tableNames.forget(account, strings.ToLower(name))
	if err != nil {
		return fmt.Errorf("delete table %q: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrTableNotFound
	}
	return nil
}

// TableName returns a table's name as created, or TableNotFound.
func (s *Store) TableName(ctx context.Context, account, name string) (string, error) {
	st, err := s.prepared(ctx, tableNameSQL)
	if err != nil {
		return "", err
	}
	return tableName(ctx, st, account, name)
}

const tableNameSQL = `SELECT name FROM storage_tables WHERE account = ? AND key = ?`

// tableName runs tableNameSQL through q.
func tableName(ctx context.Context, q rowQueryer, account, name string) (string, error) {
	var stored string
	err := q.QueryRowContext(ctx, account, strings.ToLower(name)).Scan(&stored)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrTableNotFound
	}
	if err != nil {
		return "", fmt.Errorf("table %q: %w", name, err)
	}
	return stored, nil
}

// TableQuery selects tables or entities: a $filter, a page size and where
// the page starts (a continuation).
type TableQuery struct {
	Filter string
	Top    int // 0 is the service's page size, 1000
	// NextTableName, or NextPartitionKey and NextRowKey, continue a query.
	NextTableName    string
	NextPartitionKey string
	NextRowKey       string
	// Range limits entities to a key range, inclusive (a table SAS's
	// spk/srk/epk/erk); empty fields are open.
	Range KeyRange
}

// KeyRange is an inclusive range of (PartitionKey, RowKey).
type KeyRange struct {
	StartPK, StartRK, EndPK, EndRK string
}

// Contains reports whether the key lies in the range.
func (k KeyRange) Contains(pk, rk string) bool {
	if k.StartPK != "" && (pk < k.StartPK || pk == k.StartPK && k.StartRK != "" && rk < k.StartRK) {
		return false
	}
	if k.EndPK != "" && (pk > k.EndPK || pk == k.EndPK && k.EndRK != "" && rk > k.EndRK) {
		return false
	}
	return true
}

// sql is the range as a condition on pk and rk.
func (k KeyRange) sql() (string, []any) {
	var cond string
	var args []any
	switch {
	case k.StartPK != "" && k.StartRK != "":
		cond, args = " AND (pk, rk) >= (?, ?)", []any{k.StartPK, k.StartRK}
	case k.StartPK != "":
		cond, args = " AND pk >= ?", []any{k.StartPK}
	}
	switch {
	case k.EndPK != "" && k.EndRK != "":
		cond, args = cond+" AND (pk, rk) <= (?, ?)", append(args, k.EndPK, k.EndRK)
	case k.EndPK != "":
		cond, args = cond+" AND pk <= ?", append(args, k.EndPK)
	}
	return cond, args
}

// MaxTablePage is the most tables or entities one response holds.
const MaxTablePage = 1000

func (q TableQuery) limit() int {
	if q.Top <= 0 || q.Top > MaxTablePage {
		return MaxTablePage
	}
	return q.Top
}

// FilterError is a $filter the service cannot run; the REST layer answers
// 400 InvalidInput with its text.
type FilterError struct{ Err error }

func (e *FilterError) Error() string { return e.Err.Error() }
func (e *FilterError) Unwrap() error { return e.Err }

// QueryTables lists an account's tables in name order, one page at a
// time; next is the NextTableName continuation, "" on the last page.
func (s *Store) QueryTables(ctx context.Context, account string, q TableQuery) (names []string, next string, err error) {
	where, args := "account = ?", []any{account}
	if q.Filter != "" {
		cond, fargs, err := odata.Compile(q.Filter, odata.Schema{Columns: map[string]odata.Column{"TableName": {SQL: "name", Type: odata.String}}})
		if err != nil {
			return nil, "", &FilterError{err}
		}
		where += " AND " + cond
		args = append(args, fargs...)
	}
	if q.NextTableName != "" {
		where += " AND key >= ?"
		args = append(args, strings.ToLower(q.NextTableName))
	}
	limit := q.limit()
	rows, err := s.db.QueryContext(ctx, `SELECT name FROM storage_tables WHERE `+where+` ORDER BY key LIMIT ?`, append(args, limit+1)...)
	if err != nil {
		return nil, "", fmt.Errorf("query tables: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, "", fmt.Errorf("query tables: %w", err)
		}
		names = append(names, n)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("query tables: %w", err)
	}
	if len(names) > limit {
		next = names[limit]
		names = names[:limit]
	}
	return names, next, nil
}

// GetTableACL returns a table's stored access policies.
func (s *Store) GetTableACL(ctx context.Context, account, name string) ([]SignedIdentifier, error) {
	var raw string
	err := s.db.QueryRowContext(ctx, `SELECT acl FROM storage_tables WHERE account = ? AND key = ?`, account, strings.ToLower(name)).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrTableNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get table acl %q: %w", name, err)
	}
	var ids []SignedIdentifier
	if err := json.Unmarshal([]byte(raw), &ids); err != nil {
		return nil, fmt.Errorf("table %q: stored acl: %w", name, err)
	}
	return ids, nil
}

// SetTableACL replaces a table's stored access policies.
func (s *Store) SetTableACL(ctx context.Context, account, name string, ids []SignedIdentifier) error {
	raw, err := encodeSignedIdentifiers(ids)
	if err != nil {
		return err
	}
	res, err := s.db.ExecContext(ctx, `UPDATE storage_tables SET acl = ? WHERE account = ? AND key = ?`, raw, account, strings.ToLower(name))
	if err != nil {
		return fmt.Errorf("set table acl %q: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrTableNotFound
	}
	return nil
}
