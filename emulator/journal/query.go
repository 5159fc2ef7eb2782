package journal

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// Filter selects invocations. Zero fields match everything.
type Filter struct {
	ID       string                    // exact invocation id
	Function string                    // case-insensitive exact name
	Status   emulator.InvocationStatus // running, succeeded or failed
	Since    time.Time                 // started at or after
	Until    time.Time                 // started before
	Limit    int                       // the newest Limit matches; 0 is all
}

// Record is one invocation with everything the journal knows of it.
type Record struct {
	emulator.Invocation
	Logs []Log
	// Children are the invocations this one's outputs triggered, oldest
	// first, without their inputs and outputs.
	Children []emulator.Invocation
	// Clock is the clock it ran on: ClockSystem or ClockVirtual.
	Clock string
}

// Log is one log line of an invocation.
type Log struct {
	Time    time.Time
	Level   emulator.Level
	Message string
}

const summaryColumns = `id, function, trigger_kind, reason, parent_id, retry_count, status, error, start_ns, end_ns`

// where renders f as a WHERE clause and its arguments.
func (f Filter) where() (string, []any) {
	var conds []string
	var args []any
	if f.ID != "" {
		conds = append(conds, "id = ?")
		args = append(args, f.ID)
	}
	if f.Function != "" {
		conds = append(conds, "function = ? COLLATE NOCASE")
		args = append(args, f.Function)
	}
	if f.Status != "" {
		conds = append(conds, "status = ?")
		args = append(args, string(f.Status))
	}
	if !f.Since.IsZero() {
		conds = append(conds, "start_ns >= ?")
		args = append(args, f.Since.UnixNano())
	}
	if !f.Until.IsZero() {
		conds = append(conds, "start_ns < ?")
		args = append(args, f.Until.UnixNano())
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// List returns the invocations f selects, the most recently recorded
// first (not by start time, which a virtual clock may have moved), without
// inputs, outputs and logs.
func (j *Journal) List(ctx context.Context, f Filter) ([]emulator.Invocation, error) {
	where, args := f.where()
	query := `SELECT ` + summaryColumns + ` FROM invocations` + where + ` ORDER BY ` + j.order + ` DESC`
	if f.Limit > 0 {
		query += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rows, err := j.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list invocations: %w", err)
	}
	defer rows.Close()
	var out []emulator.Invocation
	for rows.Next() {
		inv, err := scanSummary(rows)
		if err != nil {
			return nil, fmt.Errorf("list invocations: %w", err)
		}
		out = append(out, inv)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list invocations: %w", err)
	}
	return out, nil
}

// Get returns the invocation with the given id, or the only one whose id
// starts with it, with its input, outputs, logs and children.
func (j *Journal) Get(ctx context.Context, id string) (*Record, error) {
	full, err := j.resolve(ctx, id)
	if err != nil {
		return nil, err
	}
	row := j.db.QueryRowContext(ctx, `SELECT `+summaryColumns+`, input, outputs, `+j.clockColumn()+` FROM invocations WHERE id = ?`, full)
	var input, outputs sql.NullString
	var clock string
	inv, err := scanSummary(row, &input, &outputs, &clock)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, emulator.Errorf(emulator.ENOTFOUND, "invocation %q not found in the journal", id)
	}
	if err != nil {
		return nil, fmt.Errorf("get invocation %s: %w", full, err)
	}
	if err := decodePayloads(&inv, input, outputs); err != nil {
		return nil, fmt.Errorf("get invocation %s: %w", full, err)
	}
	if inv.Exchange, err = j.exchange(ctx, full); err != nil {
		return nil, fmt.Errorf("get invocation %s: %w", full, err)
	}
	rec := &Record{Invocation: inv, Clock: clock}
	if rec.Logs, err = j.logs(ctx, full); err != nil {
		return nil, fmt.Errorf("get invocation %s: %w", full, err)
	}
	if rec.Children, err = j.children(ctx, full); err != nil {
		return nil, fmt.Errorf("get invocation %s: %w", full, err)
	}
	return rec, nil
}

// exchange reads the invocation's exchange with the handler, or nil.
func (j *Journal) exchange(ctx context.Context, id string) (*emulator.Exchange, error) {
	if j.noExchanges {
		return nil, nil
	}
	var body string
	err := j.db.QueryRowContext(ctx, `SELECT body FROM exchanges WHERE invocation_id = ?`, id).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var e emulator.Exchange
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		return nil, fmt.Errorf("exchange: %w", err)
	}
	return &e, nil
}

// resolve turns an id or a unique id prefix into a stored id.
func (j *Journal) resolve(ctx context.Context, id string) (string, error) {
	if id == "" {
		return "", emulator.Errorf(emulator.EINVALID, "invocation id is empty")
	}
	rows, err := j.db.QueryContext(ctx, `SELECT id FROM invocations
		WHERE id = ?1 OR substr(id, 1, length(?1)) = ?1 ORDER BY id <> ?1, id LIMIT 2`, id)
	if err != nil {
		return "", fmt.Errorf("find invocation %s: %w", id, err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return "", fmt.Errorf("find invocation %s: %w", id, err)
		}
		ids = append(ids, s)
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("find invocation %s: %w", id, err)
	}
	switch {
	case len(ids) == 0:
		return "", emulator.Errorf(emulator.ENOTFOUND, "invocation %q not found in the journal", id)
	case ids[0] == id || len(ids) == 1:
		return ids[0], nil
	}
	return "", emulator.Errorf(emulator.EINVALID, "invocation id prefix %q is ambiguous: %s, %s, ...", id, ids[0], ids[1])
}

func (j *Journal) logs(ctx context.Context, id string) ([]Log, error) {
	rows, err := j.db.QueryContext(ctx, `SELECT time_ns, level, message FROM logs WHERE invocation_id = ? ORDER BY seq`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var logs []Log
	for rows.Next() {
		var at int64
		var l Log
		if err := rows.Scan(&at, &l.Level, &l.Message); err != nil {
			return nil, err
		}
		l.Time = fromNanos(at)
		logs = append(logs, l)
	}
	return logs, rows.Err()
}

func (j *Journal) children(ctx context.Context, id string) ([]emulator.Invocation, error) {
	rows, err := j.db.QueryContext(ctx, `SELECT `+summaryColumns+` FROM invocations
		WHERE parent_id = ? AND parent_id <> '' ORDER BY start_ns, id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []emulator.Invocation
	for rows.Next() {
		inv, err := scanSummary(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, inv)
	}
	return out, rows.Err()
}

// clockColumn reads the clock column, which journals older than seq lack.
func (j *Journal) clockColumn() string {
	if j.order == "seq" {
		return "clock"
	}
	return "'" + ClockSystem + "'"
}

type scanner interface{ Scan(dest ...any) error }

// scanSummary reads summaryColumns, then any extra columns into extra.
func scanSummary(s scanner, extra ...any) (emulator.Invocation, error) {
	var inv emulator.Invocation
	var status string
	var start int64
	var end sql.NullInt64
	dest := append([]any{&inv.ID, &inv.Function, &inv.Trigger, &inv.Reason, &inv.ParentID,
		&inv.RetryCount, &status, &inv.Error, &start, &end}, extra...)
	if err := s.Scan(dest...); err != nil {
		return inv, err
	}
	inv.Status = emulator.InvocationStatus(status)
	inv.Start = fromNanos(start)
	if end.Valid {
		inv.End = fromNanos(end.Int64)
	}
	return inv, nil
}

func decodePayloads(inv *emulator.Invocation, input, outputs sql.NullString) error {
	if input.Valid {
		inv.Input = new(emulator.Input)
		if err := json.Unmarshal([]byte(input.String), inv.Input); err != nil {
			return fmt.Errorf("stored input: %w", err)
		}
	}
	if outputs.Valid {
		if err := json.Unmarshal([]byte(outputs.String), &inv.Outputs); err != nil {
			return fmt.Errorf("stored outputs: %w", err)
		}
	}
	return nil
}

// fromNanos is the UTC time of Unix nanoseconds n.
func fromNanos(n int64) time.Time { return time.Unix(0, n).UTC() }
