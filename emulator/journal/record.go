package journal

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// Record writes one event in its own transaction. Invocation events are
// idempotent: started and finished update the same row whatever order they
// arrive in, and recording either twice changes nothing. A log event adds
// its line (events carry no identity to deduplicate lines by). Other kinds
// are ignored.
func (j *Journal) Record(ctx context.Context, e emulator.Event) error {
	if err := check(e); err != nil {
		return err
	}
	return j.write(ctx, []emulator.Event{e})
}

// check rejects events the journal cannot file.
func check(e emulator.Event) error {
	switch e.Kind {
	case emulator.EventInvocationStarted, emulator.EventInvocationFinished:
		if e.Invocation == nil {
			return emulator.Errorf(emulator.EINVALID, "journal: %s event has no invocation", e.Kind)
		}
		if e.Invocation.ID == "" {
			return emulator.Errorf(emulator.EINVALID, "journal: %s event: invocation has no id", e.Kind)
		}
	case emulator.EventLog:
		if e.Log == nil {
			return emulator.Errorf(emulator.EINVALID, "journal: log event has no entry")
		}
	}
	return nil
}

// journaled reports whether the journal keeps anything of e; check
// explains why a malformed event is not kept.
func journaled(e emulator.Event) bool {
	switch e.Kind {
	case emulator.EventInvocationStarted, emulator.EventInvocationFinished:
		return e.Invocation != nil && e.Invocation.ID != ""
	case emulator.EventLog:
		return e.Log != nil && e.Log.InvocationID != ""
	}
	return false
}

// write files the events the journal keeps in one transaction, then
// prunes. Events it does not keep (host logs, builds) cost nothing: no
// transaction is started for them.
func (j *Journal) write(ctx context.Context, events []emulator.Event) error {
	kept := slices.DeleteFunc(slices.Clone(events), func(e emulator.Event) bool { return !journaled(e) })
	if len(kept) == 0 {
		return nil
	}
	if j.readOnly {
		return emulator.Errorf(emulator.EINVALID, "journal write: the journal is open read-only")
	}
	tx, err := j.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("journal write: %w", err)
	}
	defer tx.Rollback()
	w := &writer{ctx: ctx, tx: tx, clock: j.clock, clockKind: j.clockKind, prepared: j.prepared}
	partner := pairRuns(kept)
	for i, e := range kept {
		var err error
		switch p := partner[i]; {
		case p == noPartner:
			err = w.apply(e)
		case p > i:
			err = w.ran(e, kept[p])
		}
		// p < i: the finished half of a pair, written with its start.
		if err != nil {
			return fmt.Errorf("journal write: %w", err)
		}
	}
	if err := j.prune(ctx, tx); err != nil {
		return fmt.Errorf("journal prune: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("journal commit: %w", err)
	}
	return nil
}

// nextSeq numbers a new invocation in recording order. The journal's
// trigger would number it too, but by updating the row just inserted: a
// second write of the row and its indexes for every invocation.
const nextSeq = `(SELECT coalesce(max(seq), 0) + 1 FROM invocations)`

// The statements of the write path, prepared once when the journal opens
// (see writeStatements) so a write does not parse SQL.
const (
	sqlStarted = `INSERT INTO invocations
		(id, function, trigger_kind, reason, parent_id, retry_count, status, error, start_ns, input, clock, seq)
		VALUES (?, ?, ?, ?, ?, ?, 'running', '', ?, ?, ?, ` + nextSeq + `)
		ON CONFLICT (id) DO UPDATE SET
			function = excluded.function, trigger_kind = excluded.trigger_kind, clock = excluded.clock,
			reason = excluded.reason, parent_id = excluded.parent_id,
			retry_count = excluded.retry_count, start_ns = excluded.start_ns,
			input = coalesce(excluded.input, input)`
	// A finished event settles the outcome. Fields it leaves empty keep
	// what the started event stored.
	sqlFinished = `INSERT INTO invocations
		(id, function, trigger_kind, reason, parent_id, retry_count, status, error, start_ns, end_ns, input, outputs, clock, seq)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ` + nextSeq + `)
		ON CONFLICT (id) DO UPDATE SET clock = excluded.clock,
			function = coalesce(nullif(excluded.function, ''), function),
			trigger_kind = coalesce(nullif(excluded.trigger_kind, ''), trigger_kind),
			reason = coalesce(nullif(excluded.reason, ''), reason),
			parent_id = coalesce(nullif(excluded.parent_id, ''), parent_id),
			retry_count = max(excluded.retry_count, retry_count),
			start_ns = min(excluded.start_ns, start_ns),
			status = excluded.status, error = excluded.error, end_ns = excluded.end_ns,
			input = coalesce(excluded.input, input), outputs = excluded.outputs`
	// A started and finished pair written as one: the values are what the
	// two statements above would leave, worked out by writer.ran, so they
	// replace what the row held, except an input neither event carries.
	sqlRan = `INSERT INTO invocations
		(id, function, trigger_kind, reason, parent_id, retry_count, status, error, start_ns, end_ns, input, outputs, clock, seq)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ` + nextSeq + `)
		ON CONFLICT (id) DO UPDATE SET clock = excluded.clock,
			function = excluded.function, trigger_kind = excluded.trigger_kind,
			reason = excluded.reason, parent_id = excluded.parent_id,
			retry_count = excluded.retry_count, start_ns = excluded.start_ns,
			status = excluded.status, error = excluded.error, end_ns = excluded.end_ns,
			input = coalesce(excluded.input, input), outputs = excluded.outputs`
	// A log line whose invocation is unknown (its started event was
	// dropped) gets a placeholder row, so the line stays reachable and is
	// pruned with it.
	sqlPlaceholder = `INSERT INTO invocations (id, function, status, start_ns, seq)
		VALUES (?, ?, 'running', ?, ` + nextSeq + `) ON CONFLICT (id) DO NOTHING`
	sqlLog = `INSERT INTO logs (invocation_id, time_ns, level, message) VALUES (?, ?, ?, ?)`
	// The exchange with the handler, kept beside the invocation row.
	sqlExchange = `INSERT INTO exchanges (invocation_id, body) VALUES (?, ?)
		ON CONFLICT (invocation_id) DO UPDATE SET body = excluded.body`
)

var writeStatements = []string{sqlStarted, sqlFinished, sqlRan, sqlPlaceholder, sqlLog, sqlExchange}

// prepare prepares writeStatements on db.
func prepare(db *sql.DB) (map[string]*sql.Stmt, error) {
	stmts := make(map[string]*sql.Stmt, len(writeStatements))
	for _, q := range writeStatements {
		st, err := db.Prepare(q)
		if err != nil {
			closeAll(stmts)
			return nil, fmt.Errorf("prepare: %w", err)
		}
		stmts[q] = st
	}
	return stmts, nil
}

func closeAll(stmts map[string]*sql.Stmt) {
	for _, st := range stmts {
		st.Close()
	}
}

type writer struct {
	ctx   context.Context
	tx    *sql.Tx
	clock emulator.Clock
	// clockKind is recorded with each invocation: system or virtual.
	clockKind string
	prepared  map[string]*sql.Stmt // the journal's, by query
	bound     map[string]*sql.Stmt // the same, bound to tx
}

func (w *writer) exec(query string, args ...any) error {
	st, ok := w.bound[query]
	if !ok {
		st = w.tx.StmtContext(w.ctx, w.prepared[query])
		if w.bound == nil {
			w.bound = map[string]*sql.Stmt{}
		}
		w.bound[query] = st
	}
	_, err := st.ExecContext(w.ctx, args...)
	return err
}

func (w *writer) apply(e emulator.Event) error {
	switch e.Kind {
	case emulator.EventInvocationStarted:
		return w.started(e)
	case emulator.EventInvocationFinished:
		return w.finished(e)
	default:
		return w.log(e)
	}
}

func (w *writer) started(e emulator.Event) error {
	inv := e.Invocation
	input, err := inputJSON(inv.Input)
	if err != nil {
		return fmt.Errorf("invocation %s: %w", inv.ID, err)
	}
	return w.exec(sqlStarted, inv.ID, inv.Function, inv.Trigger, inv.Reason, inv.ParentID,
		inv.RetryCount, w.nanos(inv.Start, e.Time), input, w.clockKind)
}

func (w *writer) finished(e emulator.Event) error {
	inv := e.Invocation
	input, outputs, start, end, err := w.outcome(e, inv.Input)
	if err != nil {
		return err
	}
	if err := w.exec(sqlFinished, inv.ID, inv.Function, inv.Trigger, inv.Reason, inv.ParentID,
		inv.RetryCount, finalStatus(inv), inv.Error, start, end, input, outputs, w.clockKind); err != nil {
		return err
	}
	return w.exchange(inv)
}

// outcome is the stored form of what a finished event settles: in and
// the outputs as JSON, the start (the end when the event has none) and
// the end in Unix nanoseconds.
func (w *writer) outcome(finished emulator.Event, in *emulator.Input) (input, outputs any, start, end int64, err error) {
	inv := finished.Invocation
	if input, err = inputJSON(in); err != nil {
		return nil, nil, 0, 0, fmt.Errorf("invocation %s: %w", inv.ID, err)
	}
	if outputs, err = outputsJSON(inv.Outputs); err != nil {
		return nil, nil, 0, 0, fmt.Errorf("invocation %s: %w", inv.ID, err)
	}
	end = w.nanos(inv.End, finished.Time)
	start = end
	if !inv.Start.IsZero() {
		start = inv.Start.UnixNano()
	}
	return input, outputs, start, end, nil
}

// ran writes an invocation's started and finished events as one row
// write, with the values started then finished would leave: the finished
// event's fields where it has them, else the started event's; the later
// retry count and the earlier start.
func (w *writer) ran(started, finished emulator.Event) error {
	s, f := started.Invocation, finished.Invocation
	in := f.Input
	if in == nil {
		in = s.Input
	}
	input, outputs, start, end, err := w.outcome(finished, in)
	if err != nil {
		return err
	}
	start = min(start, w.nanos(s.Start, started.Time))
	if err := w.exec(sqlRan, f.ID, either(f.Function, s.Function), either(f.Trigger, s.Trigger),
		either(f.Reason, s.Reason), either(f.ParentID, s.ParentID), max(f.RetryCount, s.RetryCount),
		finalStatus(f), f.Error, start, end, input, outputs, w.clockKind); err != nil {
		return err
	}
	return w.exchange(f)
}

// either is a, or b when a is empty.
func either[T ~string](a, b T) T {
	if a != "" {
		return a
	}
	return b
}

// exchange stores what the handler was sent and answered, if known.
func (w *writer) exchange(inv *emulator.Invocation) error {
	if inv.Exchange == nil {
		return nil
	}
	body, err := json.Marshal(inv.Exchange)
	if err != nil {
		return fmt.Errorf("invocation %s: exchange: %w", inv.ID, err)
	}
	return w.exec(sqlExchange, inv.ID, string(body))
}

func (w *writer) log(e emulator.Event) error {
	l := e.Log
	at := w.nanos(e.Time, time.Time{})
	if err := w.exec(sqlPlaceholder, l.InvocationID, l.Function, at); err != nil {
		return err
	}
	return w.exec(sqlLog, l.InvocationID, at, int(l.Level), l.Message)
}

// nanos is t, else fallback, else the clock's now, in Unix nanoseconds.
func (w *writer) nanos(t, fallback time.Time) int64 {
	switch {
	case !t.IsZero():
		return t.UnixNano()
	case !fallback.IsZero():
		return fallback.UnixNano()
	}
	return w.clock.Now().UnixNano()
}

// finalStatus is the invocation's status, inferred from Error when the
// finished event leaves it running or empty.
func finalStatus(inv *emulator.Invocation) emulator.InvocationStatus {
	switch inv.Status {
	case emulator.StatusSucceeded, emulator.StatusFailed, emulator.StatusCanceled:
		return inv.Status
	}
	if inv.Error != "" {
		return emulator.StatusFailed
	}
	return emulator.StatusSucceeded
}

// inputJSON is the stored form of an input: compact JSON, or NULL.
func inputJSON(in *emulator.Input) (any, error) {
	if in == nil {
		return nil, nil
	}
	return marshal(in, "input")
}

func outputsJSON(outs []emulator.Output) (any, error) {
	if len(outs) == 0 {
		return nil, nil
	}
	return marshal(outs, "outputs")
}

// marshal encodes v as compact JSON without HTML escaping, so stored
// payloads read the way the handler saw them.
func marshal(v any, what string) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", fmt.Errorf("encode %s: %w", what, err)
	}
	return string(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))), nil
}
