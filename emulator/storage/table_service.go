package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// TableServiceProperties returns the account's Set Table Service
// Properties document, "" when never set.
func (s *Store) TableServiceProperties(ctx context.Context, account string) (string, error) {
	var body string
	err := s.db.QueryRowContext(ctx, `SELECT body FROM table_service_properties WHERE account = ?`, account).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("table service properties: %w", err)
	}
	return body, nil
}

// SetTableServiceProperties stores the account's table service properties
// document (validated by the caller).
func (s *Store) SetTableServiceProperties(ctx context.Context, account, body string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO table_service_properties (account, body) VALUES (?, ?)
		ON CONFLICT (account) DO UPDATE SET body = excluded.body`, account, body)
	if err != nil {
		return fmt.Errorf("set table service properties: %w", err)
	}
	return nil
}
