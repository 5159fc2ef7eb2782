package journal

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"
)

// maxLineErrors is how many bad lines an ImportError lists before it stops
// reading: enough to fix a file in one go, not a wall of text.
const maxLineErrors = 20

// ImportResult counts what Import did.
type ImportResult struct {
	Imported int // invocations added
	Skipped  int // invocations already in the journal, left as they were
}

// LineError is a bad line of an import.
type LineError struct {
	Line int // 1-based
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }
func (e *LineError) Unwrap() error { return e.Err }

// ImportError lists the bad lines that made Import reject a file.
type ImportError struct {
	Lines []*LineError
	More  bool // reading stopped after maxLineErrors bad lines
}

func (e *ImportError) Error() string {
	msgs := make([]string, len(e.Lines))
	for i, l := range e.Lines {
		msgs[i] = l.Error()
	}
	s := strings.Join(msgs, "; ")
	if e.More {
		s += "; and more"
	}
	return "nothing imported: " + s
}

// Import reads the JSON Lines format from r into the journal. It is all or
// nothing: any bad line rejects the whole file with an *ImportError naming
// every bad line (up to maxLineErrors), so a half-read file never leaves
// half a history. The file is read and checked before the one write
// transaction starts, so a slow reader never holds up a running emulator.
// Invocations already in the journal are left untouched and counted as
// skipped; blank lines are ignored. Retention applies afterwards, as after
// any write.
func (j *Journal) Import(ctx context.Context, r io.Reader) (ImportResult, error) {
	entries, err := readEntries(r)
	if err != nil {
		return ImportResult{}, err
	}
	var res ImportResult
	tx, err := j.db.BeginTx(ctx, nil)
	if err != nil {
		return res, fmt.Errorf("import: %w", err)
	}
	defer tx.Rollback()
	ins, err := newImporter(ctx, tx)
	if err != nil {
		return res, fmt.Errorf("import: %w", err)
	}
	defer ins.close()
	for _, e := range entries {
		added, err := ins.insert(e)
		if err != nil {
			return ImportResult{}, fmt.Errorf("import: line %d: %w", e.line, err)
		}
		if added {
			res.Imported++
		} else {
			res.Skipped++
		}
	}
	if err := j.prune(ctx, tx); err != nil {
		return ImportResult{}, fmt.Errorf("import: prune: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return ImportResult{}, fmt.Errorf("import: %w", err)
	}
	return res, nil
}

// readEntries parses every line of r, or reports the bad ones.
func readEntries(r io.Reader) ([]*entry, error) {
	var entries []*entry
	var bad ImportError
	seen := map[string]int{} // id -> line
	br := bufio.NewReader(r)
	for n := 1; ; n++ {
		b, readErr := br.ReadBytes('\n')
		if readErr != nil && readErr != io.EOF {
			return nil, fmt.Errorf("import: line %d: %w", n, readErr)
		}
		b = bytes.TrimSpace(b)
		if n == 1 {
			b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) // a byte order mark some editors add
		}
		if len(b) > 0 {
			e, err := parseLine(b)
			if err == nil {
				if first, dup := seen[e.inv.ID]; dup {
					err = fmt.Errorf(`field "id": %q already on line %d`, e.inv.ID, first)
				} else {
					seen[e.inv.ID] = n
					e.line = n
				}
			}
			if err != nil {
				bad.Lines = append(bad.Lines, &LineError{Line: n, Err: err})
				if len(bad.Lines) == maxLineErrors {
					bad.More = true
					break
				}
			} else if len(bad.Lines) == 0 {
				entries = append(entries, e)
			}
		}
		if readErr == io.EOF {
			break
		}
	}
	if len(bad.Lines) > 0 {
		return nil, &bad
	}
	return entries, nil
}

type importer struct {
	ctx      context.Context
	inv, log *sql.Stmt
}

func newImporter(ctx context.Context, tx *sql.Tx) (*importer, error) {
	inv, err := tx.PrepareContext(ctx, `INSERT INTO invocations
		(id, function, trigger_kind, reason, parent_id, retry_count, status, error, start_ns, end_ns, input, outputs)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`)
	if err != nil {
		return nil, err
	}
	log, err := tx.PrepareContext(ctx, sqlLog)
	if err != nil {
		inv.Close()
		return nil, err
	}
	return &importer{ctx: ctx, inv: inv, log: log}, nil
}

func (im *importer) close() {
	im.inv.Close()
	im.log.Close()
}

// insert stores e unless its id is taken; it reports whether it did.
func (im *importer) insert(e *entry) (bool, error) {
	inv := e.inv
	var end any
	if !inv.End.IsZero() {
		end = inv.End.UnixNano()
	}
	res, err := im.inv.ExecContext(im.ctx, inv.ID, inv.Function, inv.Trigger, inv.Reason, inv.ParentID,
		inv.RetryCount, string(inv.Status), inv.Error, inv.Start.UnixNano(), end, e.input, e.outputs)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil || n == 0 {
		return false, err
	}
	for _, l := range e.logs {
		if _, err := im.log.ExecContext(im.ctx, inv.ID, l.Time.UnixNano(), int(l.Level), l.Message); err != nil {
			return false, fmt.Errorf("log of invocation %s: %w", inv.ID, err)
		}
	}
	return true, nil
}
