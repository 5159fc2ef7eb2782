package journal

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/clock"
)

// growthRecords is how many invocations the full journal of
// BenchmarkJournalWriteGrowth holds; FUNCEMU_BENCH_JOURNAL_RECORDS makes
// it smaller for a quick run.
func growthRecords(b *testing.B) int {
	if s := os.Getenv("FUNCEMU_BENCH_JOURNAL_RECORDS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			b.Fatalf("FUNCEMU_BENCH_JOURNAL_RECORDS=%q: want a positive number", s)
		}
		return n
	}
	return 1_000_000
}

// BenchmarkJournalWriteGrowth measures how the journal's write rate grows
// with what it holds: invocations (started, a log line, finished) written
// through Run, as funcemu feeds it, into an empty journal and into one
// already holding 1,000,000 invocations with a log line each. Both have
// no retention limit, so nothing is pruned and the full one stays full.
//
//	go test ./emulator/journal -run '^$' -bench JournalWriteGrowth -benchtime 2000x
func BenchmarkJournalWriteGrowth(b *testing.B) {
	b.Run("empty", func(b *testing.B) { benchWrites(b, "", 0) })
	// The full journal is written once, with SQL (the write path would
	// take minutes), and copied for each run of the sub-benchmark.
	full, n := filepath.Join(b.TempDir(), FileName), growthRecords(b)
	filled := false
	b.Run("full", func(b *testing.B) {
		if !filled {
			if err := fill(full, n); err != nil {
				b.Fatalf("fill a journal of %d invocations: %v", n, err)
			}
			filled = true
		}
		benchWrites(b, full, n)
	})
}

// benchWrites writes b.N invocations into a copy of the journal at from
// ("" for a new one), which holds recorded invocations.
func benchWrites(b *testing.B, from string, recorded int) {
	path := filepath.Join(b.TempDir(), FileName)
	if from != "" {
		copyFile(b, from, path)
	}
	j, err := Open(Options{Path: path, Clock: clock.NewVirtual(t0), MaxInvocations: -1, MaxBytes: -1})
	if err != nil {
		b.Fatal(err)
	}
	defer j.Close()
	events := make([]emulator.Event, 0, 3*b.N)
	for i := range b.N {
		id := emulator.NewGUID()
		events = append(events, started(id, "Hello", at(i)),
			logLine(id, at(i), emulator.LevelInfo, "Executing 'Functions.Hello'"),
			finished(id, "Hello", at(i), at(i+1), ""))
	}
	b.ResetTimer()
	feed(b, j, events, SubscriptionBuffer)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "invocations/s")
	var count int
	if err := j.db.QueryRow(`SELECT invocations FROM totals WHERE id = 1`).Scan(&count); err != nil || count != recorded+b.N {
		b.Fatalf("the journal holds %d invocations (%v), want %d", count, err, recorded+b.N)
	}
}

// fillInvocations and fillLogs write n invocations, and a log line for
// each, in two statements: random GUIDs as ids, as funcemu's, and start
// times a millisecond apart ending before t0, where the benchmark's own
// invocations start.
const (
	fillInvocations = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
		INSERT INTO invocations (id, function, trigger_kind, reason, status, start_ns, end_ns, input, outputs, seq)
		SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-a' ||
				substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))),
			'Hello', 'http', 'This function was programmatically called via the host APIs.',
			'succeeded', ?2 - (?1 - i + 1) * 1000000, ?2 - (?1 - i + 1) * 1000000 + 500000,
			'{"http":{"method":"GET","url":"/api/Hello","headers":{"Accept":["*/*"]}}}', '[]', i FROM n`
	fillLogs = `INSERT INTO logs (invocation_id, time_ns, level, message)
		SELECT id, start_ns, 2, 'Executing ''Functions.Hello''' FROM invocations`
)

// fill writes n invocations into a new journal at path, without syncing:
// the file is scratch.
func fill(path string, n int) error {
	j, err := Open(Options{Path: path, Clock: clock.NewVirtual(t0), MaxInvocations: -1, MaxBytes: -1})
	if err != nil {
		return err
	}
	defer j.Close()
	ctx := context.Background()
	conn, err := j.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA synchronous = OFF`); err != nil {
		return err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(fillInvocations, n, t0.UnixNano()); err != nil {
		return err
	}
	if _, err := tx.Exec(fillLogs); err != nil {
		return err
	}
	return tx.Commit()
}

func copyFile(b *testing.B, from, to string) {
	in, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
}
