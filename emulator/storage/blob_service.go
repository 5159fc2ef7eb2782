package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// BlobServiceProperties returns the account's stored Set Blob Service
// Properties document, "" when never set.
func (s *Store) BlobServiceProperties(ctx context.Context, account string) (string, error) {
	var body string
	err := s.db.QueryRowContext(ctx, `SELECT body FROM blob_service_properties WHERE account = ?`, account).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("blob service properties: %w", err)
	}
	return body, nil
}

// SetBlobServiceProperties stores the account's blob service properties
// document (validated by the caller).
func (s *Store) SetBlobServiceProperties(ctx context.Context, account, body string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO blob_service_properties (account, body) VALUES (?, ?)
		ON CONFLICT (account) DO UPDATE SET body = excluded.body`, account, body)
	if err != nil {
		return fmt.Errorf("set blob service properties: %w", err)
	}
	return nil
}
