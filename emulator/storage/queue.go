package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Queue is a queue with its metadata.
type Queue struct {
	Account  string
	Name     string
	Metadata map[string]string
	// ApproximateMessageCount counts unexpired messages, visible or not.
	ApproximateMessageCount int
}

// CreateQueue creates a queue. It reports created=false when the queue
// already exists with the same metadata (Azure's 204) and fails with
// ErrQueueAlreadyExists when it exists with different metadata.
func (s *Store) CreateQueue(ctx context.Context, account, name string, meta map[string]string) (created bool, err error) {
	if err := ValidateQueueName(name); err != nil {
		return false, err
	}
	metaJSON, err := encodeMetadata(meta)
	if err != nil {
		return false, err
	}
	err = s.queueTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var existing string
		err := tx.QueryRowContext(ctx, `SELECT metadata FROM queues WHERE account = ? AND name = ?`, account, name).Scan(&existing)
		if err == nil {
			if !sameMetadata(decodeMetadata(existing), meta) {
				return fmt.Errorf("queue %q: %w", name, ErrQueueAlreadyExists)
			}
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		created = true
		_, err = tx.ExecContext(ctx, `INSERT INTO queues (account, name, metadata, created_at) VALUES (?, ?, ?, ?)`,
			account, name, metaJSON, s.clock.Now().UnixMilli())
		return err
	})
	if err != nil {
		return false, fmt.Errorf("create queue: %w", err)
	}
	return created, nil
}

// CreateQueueIfNotExists creates the queue unless it exists, whatever its
// metadata.
func (s *Store) CreateQueueIfNotExists(ctx context.Context, account, name string) error {
	if err := ValidateQueueName(name); err != nil {
		return err
	}
	_, err := s.exec(ctx, `INSERT INTO queues (account, name, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		account, name, s.clock.Now().UnixMilli())
	if err != nil {
		return fmt.Errorf("create queue %q: %w", name, err)
	}
	return nil
}

// DeleteQueue deletes a queue and its messages.
func (s *Store) DeleteQueue(ctx context.Context, account, name string) error {
	if err := ValidateQueueName(name); err != nil {
		return err
	}
	res, err := s.exec(ctx, `DELETE FROM queues WHERE account = ? AND name = ?`, account, name)
	if err != nil {
		return fmt.Errorf("delete queue %q: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("queue %q: %w", name, ErrQueueNotFound)
	}
	return nil
}

// GetQueue returns a queue's metadata and approximate message count.
func (s *Store) GetQueue(ctx context.Context, account, name string) (*Queue, error) {
	if err := ValidateQueueName(name); err != nil {
		return nil, err
	}
	var meta string
	err := s.db.QueryRowContext(ctx, `SELECT metadata FROM queues WHERE account = ? AND name = ?`, account, name).Scan(&meta)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("queue %q: %w", name, ErrQueueNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("get queue %q: %w", name, err)
	}
	q := &Queue{Account: account, Name: name, Metadata: decodeMetadata(meta)}
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM queue_messages WHERE account = ? AND queue = ? AND expires_at > ?`,
		account, name, s.clock.Now().UnixMilli()).Scan(&q.ApproximateMessageCount); err != nil {
		return nil, fmt.Errorf("count messages of %q: %w", name, err)
	}
	return q, nil
}

// SetQueueMetadata replaces a queue's metadata.
func (s *Store) SetQueueMetadata(ctx context.Context, account, name string, meta map[string]string) error {
	if err := ValidateQueueName(name); err != nil {
		return err
	}
	metaJSON, err := encodeMetadata(meta)
	if err != nil {
		return err
	}
	return s.updateQueue(ctx, account, name, `UPDATE queues SET metadata = ? WHERE account = ? AND name = ?`, metaJSON)
}

// MaxSignedIdentifiers is Azure's limit on stored access policies.
const MaxSignedIdentifiers = 5

// GetQueueACL returns a queue's stored access policies.
func (s *Store) GetQueueACL(ctx context.Context, account, name string) ([]SignedIdentifier, error) {
	if err := ValidateQueueName(name); err != nil {
		return nil, err
	}
	var raw string
	err := s.db.QueryRowContext(ctx, `SELECT acl FROM queues WHERE account = ? AND name = ?`, account, name).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("queue %q: %w", name, ErrQueueNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("get queue acl %q: %w", name, err)
	}
	var ids []SignedIdentifier
	if err := json.Unmarshal([]byte(raw), &ids); err != nil {
		return nil, fmt.Errorf("queue %q: stored acl: %w", name, err)
	}
	return ids, nil
}

// encodeSignedIdentifiers checks stored access policies as Azure does (at
// most five, ids of 1 to 64 characters) and encodes them for an acl column.
func encodeSignedIdentifiers(ids []SignedIdentifier) (string, error) {
	if len(ids) > MaxSignedIdentifiers {
		return "", fmt.Errorf("%d signed identifiers, at most %d: %w", len(ids), MaxSignedIdentifiers, ErrTooManyIdentifiers)
	}
	for _, id := range ids {
		if id.ID == "" || len(id.ID) > 64 {
			return "", fmt.Errorf("signed identifier id %q must be 1 to 64 characters: %w", id.ID, ErrInvalidInput)
		}
	}
	if ids == nil {
		ids = []SignedIdentifier{}
	}
	raw, err := json.Marshal(ids)
	if err != nil {
		return "", fmt.Errorf("encode acl: %w", err)
	}
	return string(raw), nil
}

// SetQueueACL replaces a queue's stored access policies.
func (s *Store) SetQueueACL(ctx context.Context, account, name string, ids []SignedIdentifier) error {
	if err := ValidateQueueName(name); err != nil {
		return err
	}
	raw, err := encodeSignedIdentifiers(ids)
	if err != nil {
		return err
	}
	return s.updateQueue(ctx, account, name, `UPDATE queues SET acl = ? WHERE account = ? AND name = ?`, raw)
}

func (s *Store) updateQueue(ctx context.Context, account, name, query, value string) error {
	res, err := s.exec(ctx, query, value, account, name)
	if err != nil {
		return fmt.Errorf("update queue %q: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("queue %q: %w", name, ErrQueueNotFound)
	}
	return nil
}

// ListQueuesOptions filter and page List Queues.
type ListQueuesOptions struct {
	Prefix string
	// Marker is the NextMarker of the previous page: the first name to
	// return.
	Marker string
	// MaxResults is 1..5000; 0 means 5000.
	MaxResults int
}

// QueuePage is one page of queues.
type QueuePage struct {
	Queues     []Queue // Metadata filled, counts not
	NextMarker string  // "" on the last page
}

// ListQueues lists an account's queues in name order.
func (s *Store) ListQueues(ctx context.Context, account string, opts ListQueuesOptions) (*QueuePage, error) {
	max := opts.MaxResults
	if max <= 0 || max > 5000 {
		max = 5000
	}
	rows, err := s.db.QueryContext(ctx, `SELECT name, metadata FROM queues
		WHERE account = ? AND name >= ? AND substr(name, 1, ?) = ?
		ORDER BY name LIMIT ?`, account, opts.Marker, len(opts.Prefix), opts.Prefix, max+1)
	if err != nil {
		return nil, fmt.Errorf("list queues: %w", err)
	}
	defer rows.Close()
	page := &QueuePage{}
	for rows.Next() {
		var q Queue
		var meta string
		if err := rows.Scan(&q.Name, &meta); err != nil {
			return nil, fmt.Errorf("list queues: %w", err)
		}
		if len(page.Queues) == max {
			page.NextMarker = q.Name
			break
		}
		q.Account = account
		q.Metadata = decodeMetadata(meta)
		page.Queues = append(page.Queues, q)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list queues: %w", err)
	}
	return page, nil
}

func encodeMetadata(meta map[string]string) (string, error) {
	for k := range meta {
		if err := ValidateMetadataName(k); err != nil {
			return "", err
		}
	}
	if meta == nil {
		return "{}", nil
	}
	b, err := json.Marshal(meta)
	if err != nil {
		return "", fmt.Errorf("encode metadata: %w", err)
	}
	return string(b), nil
}

func decodeMetadata(raw string) map[string]string {
	m := map[string]string{}
	if raw == "{}" {
		return m // most rows: no decoder for every listed or read blob
	}
	_ = json.Unmarshal([]byte(raw), &m) // written by encodeMetadata only
	return m
}

// sameMetadata compares metadata as Azure does: names case-insensitively,
// values exactly.
func sameMetadata(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	lower := make(map[string]string, len(a))
	for k, v := range a {
		lower[strings.ToLower(k)] = v
	}
	for k, v := range b {
		if w, ok := lower[strings.ToLower(k)]; !ok || w != v {
			return false
		}
	}
	return true
}

// queueTx runs f in one write transaction, through the group writer. f
// gets ctx without its cancelation: once the writer takes the write it
// runs to its end anyway, and a cancelable context costs the SQLite
// driver a watcher goroutine for every statement.
func (s *Store) queueTx(ctx context.Context, f func(context.Context, *sql.Tx) error) error {
	run := context.WithoutCancel(ctx)
	return s.write(ctx, func(tx *sql.Tx) error { return f(run, tx) })
}
