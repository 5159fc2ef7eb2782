package journal

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// pairBatch is a batch with every shape a started and finished pair can
// take: invocations finishing out of start order, a finished event missing
// what its started event had, a lower retry count, an earlier start, a
// duplicate started event, a finished event seen twice, halves without a
// partner, a log line before its invocation, and a row an earlier batch
// recorded (earlier).
func pairBatch() (earlier, batch []emulator.Event) {
	plainF := finished("plain", "Hello", at(1), at(2), "")
	plainF.Invocation.Exchange = &emulator.Exchange{Path: "POST /Hello", Request: []byte(`{"Data":{}}`), Status: 200}

	bareS := started("bare", "Bare", at(3))
	bareS.Invocation.ParentID, bareS.Invocation.RetryCount = "parent", 3
	bareF := finished("bare", "", at(3), at(4), "boom")
	bareF.Invocation.Trigger, bareF.Invocation.Reason, bareF.Invocation.Input = "", "", nil
	bareF.Invocation.Start = time.Time{} // falls back to the end

	earlyF := finished("early", "Early", at(4), at(9), "")
	earlyF.Invocation.RetryCount = 2
	earlyS := started("early", "Early", at(6)) // starts later than its finished event says

	unstamped := started("unstamped", "U", time.Time{})
	unstamped.Time = time.Time{} // the clock's now
	unstampedF := finished("unstamped", "U", time.Time{}, at(8), "")

	dupS1 := started("dup", "First", at(5))
	dupS2 := started("dup", "Second", at(5))
	dupS2.Invocation.Input = nil

	oldS := started("old", "Old", at(0))
	oldS.Invocation.Reason = "earlier reason"
	reS := started("old", "Old", at(1))
	reS.Invocation.Input = nil
	reF := finished("old", "Old", at(1), at(2), "")
	reF.Invocation.Reason, reF.Invocation.Input = "", nil

	earlier = []emulator.Event{oldS, logLine("orphan", at(0), emulator.LevelInfo, "before its start")}
	batch = []emulator.Event{
		started("plain", "Hello", at(1)),
		logLine("plain", at(1), emulator.LevelInfo, "working"),
		bareS,
		started("a", "A", at(2)), started("b", "B", at(2)),
		finished("b", "B", at(2), at(3), ""), finished("a", "A", at(2), at(4), ""),
		plainF, bareF,
		earlyS, earlyF,
		unstamped, logLine("unstamped", at(7), emulator.LevelWarning, "mid"), unstampedF,
		dupS1, dupS2, finished("dup", "", at(5), at(6), ""),
		finished("twice", "T", at(2), at(3), ""), started("twice", "T", at(2)), finished("twice", "T", at(2), at(3), "late"),
		started("orphan", "Orphan", at(1)), finished("orphan", "Orphan", at(1), at(2), ""),
		started("alone", "Alone", at(3)),
		finished("lonely", "Lonely", at(3), at(4), ""),
		reS, logLine("old", at(1), emulator.LevelInfo, "again"), reF,
	}
	return earlier, batch
}

// TestPairedWriteMatchesEventByEvent writes pairBatch in one batch, where
// pairs are written as one row, and event by event, and requires the same
// rows, recording order, log lines, exchanges and retention totals.
func TestPairedWriteMatchesEventByEvent(t *testing.T) {
	earlier, batch := pairBatch()
	ctx := context.Background()

	batched := openMemory(t, Options{})
	record(t, batched, earlier...)
	if err := batched.write(ctx, batch); err != nil {
		t.Fatal(err)
	}
	oneByOne := openMemory(t, Options{})
	record(t, oneByOne, earlier...)
	record(t, oneByOne, batch...)

	got, want := dumpJournal(t, batched.db), dumpJournal(t, oneByOne.db)
	if got != want {
		t.Errorf("batched journal differs from one written event by event\nbatched:\n%s\nevent by event:\n%s", got, want)
	}
	// The started event's function, reason, parent, retry count, start and
	// input fill in what the finished one lacks.
	bare := fmt.Sprintf("bare|Bare|http|%s|parent|3|failed|boom|%d|%d|{", batch[2].Invocation.Reason, at(3).UnixNano(), at(4).UnixNano())
	if !strings.Contains(want, bare) {
		t.Errorf("the case for a finished event missing fields did not come out as expected:\n%s", want)
	}
}

func TestPairRunsPairsOnlyAdjacentHalves(t *testing.T) {
	_, batch := pairBatch()
	partner := pairRuns(batch)
	pairs := 0
	for i, p := range partner {
		if p == noPartner {
			continue
		}
		if partner[p] != i {
			t.Fatalf("event %d pairs with %d, which pairs with %d", i, p, partner[p])
		}
		s, f := batch[min(i, p)], batch[max(i, p)]
		if s.Kind != emulator.EventInvocationStarted || f.Kind != emulator.EventInvocationFinished || s.Invocation.ID != f.Invocation.ID {
			t.Fatalf("events %d and %d paired: %s %s and %s %s", i, p, s.Kind, s.Invocation.ID, f.Kind, f.Invocation.ID)
		}
		pairs++
	}
	// plain, bare, a, b, early, unstamped, dup (second started), twice
	// (second finished), orphan, old.
	if want := 2 * 10; pairs != want {
		t.Errorf("%d events paired, want %d", pairs, want)
	}
}

// dumpJournal prints every row the write path touches, in a stable order.
func dumpJournal(t *testing.T, db *sql.DB) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		`SELECT id, function, trigger_kind, reason, parent_id, retry_count, status, error, start_ns, end_ns, input, outputs, clock, size, seq FROM invocations ORDER BY seq`,
		`SELECT seq, invocation_id, time_ns, level, message FROM logs ORDER BY seq`,
		`SELECT invocation_id, body FROM exchanges ORDER BY invocation_id`,
		`SELECT invocations, bytes FROM totals`,
	} {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			cells := make([]string, len(vals))
			for i, v := range vals {
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				cells[i] = fmt.Sprint(v)
			}
			b.WriteString(strings.Join(cells, "|") + "\n")
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		b.WriteString("--\n")
	}
	return b.String()
}
