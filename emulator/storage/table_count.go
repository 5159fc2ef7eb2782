package storage

import (
	"context"
	"fmt"
	"strings"
)

// CountEntities returns how many entities a table holds, or TableNotFound.
// It counts in SQL so a large table is not read to be counted.
func (s *Store) CountEntities(ctx context.Context, account, table string) (int, error) {
	if _, err := s.TableName(ctx, account, table); err != nil {
		return 0, err
	}
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM table_entities WHERE account = ? AND table_key = ?`,
		account, strings.ToLower(table)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count entities of %q: %w", table, err)
	}
	return n, nil
}
