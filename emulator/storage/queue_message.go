package storage

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/funcemu/funcemu/emulator"
)

// Limits Azure puts on messages.
const (
	MaxMessageBytes      = 64 << 10
	MaxVisibilityTimeout = 7 * 24 * time.Hour
	DefaultMessageTTL    = 7 * 24 * time.Hour
	MaxMessagesPerGet    = 32
)

// NeverExpires is the expiration time of a message put with messagettl=-1.
var NeverExpires = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)

// Message is a queue message.
type Message struct {
	ID              string
	Text            string
	InsertionTime   time.Time
	ExpirationTime  time.Time
	TimeNextVisible time.Time
	DequeueCount    int
	PopReceipt      string
	// ParentInvocationID is the invocation that enqueued the message, if
	// any; the REST API never returns it.
	ParentInvocationID string
}

// NewMessage is what Put Message stores.
type NewMessage struct {
	Text string
	// VisibilityTimeout delays the first delivery (0..7 days, less than TTL).
	VisibilityTimeout time.Duration
	// TTL is the time to live: 0 means 7 days, negative means never.
	TTL                time.Duration
	ParentInvocationID string
}

// PutMessage adds a message and wakes the queue's subscribers once it is
// committed.
func (s *Store) PutMessage(ctx context.Context, account, queue string, m NewMessage) (*Message, error) {
	if err := ValidateQueueName(queue); err != nil {
		return nil, err
	}
	if len(m.Text) > MaxMessageBytes {
		return nil, fmt.Errorf("message text is %d bytes, the limit is %d: %w", len(m.Text), MaxMessageBytes, ErrMessageTooLarge)
	}
	if !utf8.ValidString(m.Text) {
		return nil, fmt.Errorf("message text is not valid UTF-8: %w", ErrInvalidInput)
	}
	if m.VisibilityTimeout < 0 || m.VisibilityTimeout > MaxVisibilityTimeout {
		return nil, fmt.Errorf("visibility timeout %v is outside 0 to 7 days: %w", m.VisibilityTimeout, ErrOutOfRange)
	}
	now := s.clock.Now()
	ttl := m.TTL
	if ttl == 0 {
		ttl = DefaultMessageTTL
	}
	expires := NeverExpires
	if ttl > 0 {
		if m.VisibilityTimeout >= ttl {
			return nil, fmt.Errorf("visibility timeout %v must be less than the time to live %v: %w", m.VisibilityTimeout, ttl, ErrOutOfRange)
		}
		expires = now.Add(ttl)
		if expires.After(NeverExpires) {
			expires = NeverExpires
		}
	}
	msg := &Message{
		ID:                 emulator.NewGUID(),
		Text:               m.Text,
		InsertionTime:      now,
		ExpirationTime:     expires,
		TimeNextVisible:    now.Add(m.VisibilityTimeout),
		PopReceipt:         newPopReceipt(),
		ParentInvocationID: m.ParentInvocationID,
	}
	err := s.queueTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		// The foreign key on (account, queue) refuses a message for a
		// missing queue; only then is the queue looked up, for the error.
		_, err := tx.ExecContext(ctx, `INSERT INTO queue_messages
			(account, queue, id, text, inserted_at, expires_at, visible_at, pop_receipt, parent_invocation_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			account, queue, msg.ID, msg.Text, unixMilli(msg.InsertionTime), unixMilli(msg.ExpirationTime),
			unixMilli(msg.TimeNextVisible), msg.PopReceipt, msg.ParentInvocationID)
		if err != nil {
			if qerr := queueExists(ctx, tx, account, queue); qerr != nil {
				return qerr
			}
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("put message: %w", err)
	}
	if m.VisibilityTimeout == 0 {
		s.notifyQueue(account, queue)
	}
	return msg, nil
}

// GetMessages receives up to n visible messages (1..32), hiding each for
// vt and giving it a new pop receipt and a higher dequeue count. Oldest
// visible first.
func (s *Store) GetMessages(ctx context.Context, account, queue string, n int, vt time.Duration) ([]Message, error) {
	if err := ValidateQueueName(queue); err != nil {
		return nil, err
	}
	if n < 1 || n > MaxMessagesPerGet {
		return nil, fmt.Errorf("number of messages %d is outside 1 to 32: %w", n, ErrOutOfRange)
	}
	if vt < time.Second || vt > MaxVisibilityTimeout {
		return nil, fmt.Errorf("visibility timeout %v is outside 1 second to 7 days: %w", vt, ErrOutOfRange)
	}
	now := s.clock.Now()
	var out []Message
	err := s.queueTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		// Expired messages go now, so the table never grows with dead rows.
		if _, err := tx.ExecContext(ctx, `DELETE FROM queue_messages WHERE account = ? AND queue = ? AND expires_at <= ?`,
			account, queue, unixMilli(now)); err != nil {
			return err
		}
		msgs, err := selectMessages(ctx, tx, account, queue, now, n)
		if err != nil {
			return err
		}
		if len(msgs) == 0 {
			// A missing queue has no messages either: only an empty
			// answer needs the lookup that tells 404 from empty.
			if err := queueExists(ctx, tx, account, queue); err != nil {
				return err
			}
		}
		for i := range msgs {
			m := &msgs[i]
			m.DequeueCount++
			m.PopReceipt = newPopReceipt()
			m.TimeNextVisible = now.Add(vt)
			if m.TimeNextVisible.After(m.ExpirationTime) {
				m.TimeNextVisible = m.ExpirationTime
			}
			if _, err := tx.ExecContext(ctx, `UPDATE queue_messages SET dequeue_count = ?, pop_receipt = ?, visible_at = ? WHERE id = ?`,
				m.DequeueCount, m.PopReceipt, unixMilli(m.TimeNextVisible), m.ID); err != nil {
				return err
			}
		}
		out = msgs
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("get messages: %w", err)
	}
	return out, nil
}

// PeekMessages returns up to n visible messages (1..32) without changing
// them; their pop receipts are not returned.
func (s *Store) PeekMessages(ctx context.Context, account, queue string, n int) ([]Message, error) {
	if err := ValidateQueueName(queue); err != nil {
		return nil, err
	}
	if n < 1 || n > MaxMessagesPerGet {
		return nil, fmt.Errorf("number of messages %d is outside 1 to 32: %w", n, ErrOutOfRange)
	}
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("peek messages: %w", err)
	}
	defer tx.Rollback()
	if err := queueExists(ctx, tx, account, queue); err != nil {
		return nil, fmt.Errorf("peek messages: %w", err)
	}
	msgs, err := selectMessages(ctx, tx, account, queue, s.clock.Now(), n)
	if err != nil {
		return nil, fmt.Errorf("peek messages: %w", err)
	}
	for i := range msgs {
		msgs[i].PopReceipt = ""
	}
	return msgs, nil
}

// DeleteMessage deletes a message given the pop receipt of its latest
// delivery.
func (s *Store) DeleteMessage(ctx context.Context, account, queue, id, popReceipt string) error {
	if err := ValidateQueueName(queue); err != nil {
		return err
	}
	err := s.queueTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		// The common case in one statement; when it deletes nothing, the
		// checks below say why.
		res, err := tx.ExecContext(ctx, `DELETE FROM queue_messages
			WHERE id = ? AND account = ? AND queue = ? AND pop_receipt = ? AND expires_at > ?`,
			id, account, queue, popReceipt, unixMilli(s.clock.Now()))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return nil
		}
		if err := queueExists(ctx, tx, account, queue); err != nil {
			return err
		}
		if _, err := s.checkReceipt(ctx, tx, account, queue, id, popReceipt); err != nil {
			return err
		}
		return fmt.Errorf("message %q: %w", id, ErrMessageNotFound)
	})
	if err != nil {
		return fmt.Errorf("delete message: %w", err)
	}
	return nil
}

// UpdateMessage makes a delivered message visible again after vt (0..7
// days) and, when text is not nil, replaces its text. It returns the
// message with its new pop receipt; the old receipt stops working.
func (s *Store) UpdateMessage(ctx context.Context, account, queue, id, popReceipt string, vt time.Duration, text *string) (*Message, error) {
	if err := ValidateQueueName(queue); err != nil {
		return nil, err
	}
	if vt < 0 || vt > MaxVisibilityTimeout {
		return nil, fmt.Errorf("visibility timeout %v is outside 0 to 7 days: %w", vt, ErrOutOfRange)
	}
	if text != nil {
		if len(*text) > MaxMessageBytes {
			return nil, fmt.Errorf("message text is %d bytes, the limit is %d: %w", len(*text), MaxMessageBytes, ErrMessageTooLarge)
		}
		if !utf8.ValidString(*text) {
			return nil, fmt.Errorf("message text is not valid UTF-8: %w", ErrInvalidInput)
		}
	}
	now := s.clock.Now()
	var out *Message
	err := s.queueTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if err := queueExists(ctx, tx, account, queue); err != nil {
			return err
		}
		m, err := s.checkReceipt(ctx, tx, account, queue, id, popReceipt)
		if err != nil {
			return err
		}
		m.TimeNextVisible = now.Add(vt)
		if m.TimeNextVisible.After(m.ExpirationTime) {
			return fmt.Errorf("visibility timeout %v goes past the message's expiry: %w", vt, ErrOutOfRange)
		}
		m.PopReceipt = newPopReceipt()
		if text != nil {
			m.Text = *text
		}
		if _, err := tx.ExecContext(ctx, `UPDATE queue_messages SET text = ?, pop_receipt = ?, visible_at = ? WHERE id = ?`,
			m.Text, m.PopReceipt, unixMilli(m.TimeNextVisible), m.ID); err != nil {
			return err
		}
		out = m
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("update message: %w", err)
	}
	if vt == 0 {
		s.notifyQueue(account, queue)
	}
	return out, nil
}

// ClearMessages deletes every message of a queue.
func (s *Store) ClearMessages(ctx context.Context, account, queue string) error {
	if err := ValidateQueueName(queue); err != nil {
		return err
	}
	err := s.queueTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if err := queueExists(ctx, tx, account, queue); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM queue_messages WHERE account = ? AND queue = ?`, account, queue)
		return err
	})
	if err != nil {
		return fmt.Errorf("clear messages: %w", err)
	}
	return nil
}

// CountMessages returns the number of unexpired messages, visible or not.
func (s *Store) CountMessages(ctx context.Context, account, queue string) (int, error) {
	q, err := s.GetQueue(ctx, account, queue)
	if err != nil {
		return 0, err
	}
	return q.ApproximateMessageCount, nil
}

// NextVisible returns when the earliest hidden, unexpired message becomes
// visible, so a consumer can sleep until then; ok is false when no message
// is hidden.
func (s *Store) NextVisible(ctx context.Context, account, queue string) (t time.Time, ok bool, err error) {
	now := unixMilli(s.clock.Now())
	var at sql.NullInt64
	// One short indexed read: not worth the watcher a cancelable context
	// costs every query.
	err = s.db.QueryRowContext(context.WithoutCancel(ctx), `SELECT MIN(visible_at) FROM queue_messages
		WHERE account = ? AND queue = ? AND visible_at > ? AND expires_at > visible_at`, account, queue, now).Scan(&at)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next visible: %w", err)
	}
	if !at.Valid {
		return time.Time{}, false, nil
	}
	return time.UnixMilli(at.Int64).UTC(), true, nil
}

func queueExists(ctx context.Context, tx *sql.Tx, account, queue string) error {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM queues WHERE account = ? AND name = ?`, account, queue).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("queue %q: %w", queue, ErrQueueNotFound)
	}
	return err
}

// selectMessages reads up to n visible, unexpired messages, earliest
// visible first, insertion order among equals.
func selectMessages(ctx context.Context, tx *sql.Tx, account, queue string, now time.Time, n int) ([]Message, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, text, inserted_at, expires_at, visible_at, dequeue_count, pop_receipt, parent_invocation_id
		FROM queue_messages
		WHERE account = ? AND queue = ? AND visible_at <= ? AND expires_at > ?
		ORDER BY visible_at, seq LIMIT ?`, account, queue, unixMilli(now), unixMilli(now), n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Message
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *m)
	}
	return out, rows.Err()
}

type messageScanner interface{ Scan(dest ...any) error }

func scanMessage(row messageScanner) (*Message, error) {
	var m Message
	var ins, exp, vis int64
	if err := row.Scan(&m.ID, &m.Text, &ins, &exp, &vis, &m.DequeueCount, &m.PopReceipt, &m.ParentInvocationID); err != nil {
		return nil, err
	}
	m.InsertionTime = time.UnixMilli(ins).UTC()
	m.ExpirationTime = time.UnixMilli(exp).UTC()
	m.TimeNextVisible = time.UnixMilli(vis).UTC()
	return &m, nil
}

// checkReceipt loads an unexpired message and checks that popReceipt is
// the receipt of its latest delivery.
func (s *Store) checkReceipt(ctx context.Context, tx *sql.Tx, account, queue, id, popReceipt string) (*Message, error) {
	if !ValidPopReceipt(popReceipt) {
		return nil, fmt.Errorf("pop receipt %q is malformed: %w", popReceipt, ErrInvalidInput)
	}
	m, err := scanMessage(tx.QueryRowContext(ctx, `SELECT id, text, inserted_at, expires_at, visible_at, dequeue_count, pop_receipt, parent_invocation_id
		FROM queue_messages WHERE id = ? AND account = ? AND queue = ? AND expires_at > ?`,
		id, account, queue, unixMilli(s.clock.Now())))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("message %q: %w", id, ErrMessageNotFound)
	}
	if err != nil {
		return nil, err
	}
	if m.PopReceipt != popReceipt {
		return nil, fmt.Errorf("message %q: %w", id, ErrPopReceiptMismatch)
	}
	return m, nil
}

// popReceiptBytes is the random part of a pop receipt.
const popReceiptBytes = 16

func newPopReceipt() string {
	var b [popReceiptBytes]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// ValidPopReceipt reports whether s has the shape of a receipt funcemu
// hands out.
func ValidPopReceipt(s string) bool {
	b, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil && len(b) == popReceiptBytes
}

func unixMilli(t time.Time) int64 { return t.UnixMilli() }
