package journal

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// exportPage is how many invocations Export reads per query. Pages keep
// memory flat and never hold two queries open at once, which an in-memory
// journal (one connection) could not serve.
const exportPage = 256

// Export writes the invocations f selects to w as JSON Lines, oldest
// first, one invocation with its logs per line. With a Limit it writes the
// newest Limit, still oldest first. The output is stable: exporting,
// importing into an empty journal and exporting again gives the same bytes.
func (j *Journal) Export(ctx context.Context, w io.Writer, f Filter) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	from, err := j.exportStart(ctx, f)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	for {
		lines, next, err := j.exportPage(ctx, f, from)
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		for _, l := range lines {
			if err := enc.Encode(l); err != nil {
				return fmt.Errorf("export invocation %s: %w", l.ID, err)
			}
		}
		if next == nil {
			break
		}
		from = next
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

// cursor is a position in (start, id) order; a page starts after it, or at
// it when inclusive.
type cursor struct {
	start     int64
	id        string
	inclusive bool
}

// exportStart is where a limited export begins: the Limit-th newest match.
func (j *Journal) exportStart(ctx context.Context, f Filter) (*cursor, error) {
	if f.Limit <= 0 {
		return nil, nil
	}
	where, args := f.where()
	c := &cursor{inclusive: true}
	err := j.db.QueryRowContext(ctx, `SELECT start_ns, id FROM invocations`+where+
		` ORDER BY start_ns DESC, id DESC LIMIT 1 OFFSET ?`, append(args, f.Limit-1)...).Scan(&c.start, &c.id)
	if err == sql.ErrNoRows {
		return nil, nil // fewer matches than Limit: export them all
	}
	return c, err
}

// exportPage reads up to exportPage lines after from, with their logs, and
// the cursor of the next page (nil at the end).
func (j *Journal) exportPage(ctx context.Context, f Filter, from *cursor) ([]*line, *cursor, error) {
	where, args := f.where()
	conds := strings.TrimPrefix(where, " WHERE ")
	if from != nil {
		op := ">"
		if from.inclusive {
			op = ">="
		}
		if conds != "" {
			conds += " AND "
		}
		conds += "(start_ns > ? OR (start_ns = ? AND id " + op + " ?))"
		args = append(args, from.start, from.start, from.id)
	}
	if conds != "" {
		conds = " WHERE " + conds
	}
	rows, err := j.db.QueryContext(ctx, `SELECT `+summaryColumns+`, input, outputs FROM invocations`+
		conds+` ORDER BY start_ns, id LIMIT ?`, append(args, exportPage)...)
	if err != nil {
		return nil, nil, err
	}
	var lines []*line
	var last cursor
	for rows.Next() {
		var input, outputs sql.NullString
		inv, err := scanSummary(rows, &input, &outputs)
		if err != nil {
			rows.Close()
			return nil, nil, err
		}
		l := &line{
			V: FormatVersion, ID: inv.ID, Function: inv.Function, Trigger: inv.Trigger,
			Reason: inv.Reason, ParentID: inv.ParentID, RetryCount: inv.RetryCount,
			Status: string(inv.Status), Error: inv.Error, Start: formatTime(inv.Start),
		}
		if !inv.End.IsZero() {
			l.End = formatTime(inv.End)
		}
		if input.Valid {
			l.Input = json.RawMessage(input.String)
		}
		if outputs.Valid {
			l.Outputs = json.RawMessage(outputs.String)
		}
		lines = append(lines, l)
		last = cursor{start: inv.Start.UnixNano(), id: inv.ID}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	for _, l := range lines {
		logs, err := j.logs(ctx, l.ID)
		if err != nil {
			return nil, nil, err
		}
		for _, lg := range logs {
			l.Logs = append(l.Logs, lineLog{Time: formatTime(lg.Time), Level: lg.Level.String(), Message: lg.Message})
		}
	}
	if len(lines) < exportPage {
		return lines, nil, nil
	}
	return lines, &last, nil
}
