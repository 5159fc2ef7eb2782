package journal

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator"
)

func TestRetentionKeepsTheNewestInvocations(t *testing.T) {
	j := openMemory(t, Options{MaxInvocations: 3})
	for i := range 6 {
		id := fmt.Sprintf("inv-%d", i)
		record(t, j, started(id, "Hello", at(i)), logLine(id, at(i), emulator.LevelInfo, "line"),
			finished(id, "Hello", at(i), at(i+1), ""))
	}
	got, err := j.List(context.Background(), Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"inv-5", "inv-4", "inv-3"}; !reflect.DeepEqual(ids(got), want) {
		t.Fatalf("kept %v, want %v", ids(got), want)
	}
	var orphans int
	if err := j.db.QueryRow(`SELECT count(*) FROM logs WHERE invocation_id NOT IN (SELECT id FROM invocations)`).Scan(&orphans); err != nil {
		t.Fatal(err)
	}
	if orphans != 0 {
		t.Fatalf("%d log lines of pruned invocations left behind", orphans)
	}
}

func TestRetentionBoundsBytes(t *testing.T) {
	const limit = 20_000
	j := openMemory(t, Options{MaxBytes: limit})
	big := strings.Repeat("x", 3000)
	for i := range 20 {
		id := fmt.Sprintf("inv-%02d", i)
		record(t, j, started(id, "Hello", at(i)), logLine(id, at(i), emulator.LevelInfo, big))
		kept, _ := totals(t, j)
		if kept[1] > limit {
			t.Fatalf("after %s the journal holds %d bytes, over its %d", id, kept[1], limit)
		}
	}
	got, err := j.List(context.Background(), Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || got[0].ID != "inv-19" || len(got) >= 20 {
		t.Fatalf("kept %v; want the newest few", ids(got))
	}
}

func TestRetentionKeepsTheNewestEvenWhenAloneTooBig(t *testing.T) {
	j := openMemory(t, Options{MaxBytes: 100})
	record(t, j, started("old", "Hello", at(1)), started("huge", "Hello", at(2)),
		logLine("huge", at(2), emulator.LevelInfo, strings.Repeat("x", 1000)))
	got, err := j.List(context.Background(), Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ids(got), []string{"huge"}) {
		t.Fatalf("kept %v, want [huge]", ids(got))
	}
}

func TestRetentionUnboundedWhenNegative(t *testing.T) {
	j := openMemory(t, Options{MaxInvocations: -1, MaxBytes: -1})
	for i := range 30 {
		record(t, j, started(fmt.Sprintf("inv-%d", i), "Hello", at(i)))
	}
	got, err := j.List(context.Background(), Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 30 {
		t.Fatalf("kept %d, want all 30", len(got))
	}
}

func TestTotalsMatchTheTables(t *testing.T) {
	j := openMemory(t, Options{MaxInvocations: 4})
	for i := range 10 {
		id := fmt.Sprintf("inv-%d", i)
		record(t, j, started(id, "Hello", at(i)),
			logLine(id, at(i), emulator.LevelInfo, strings.Repeat("é", i)),
			finished(id, "Hello", at(i), at(i+1), strings.Repeat("e", i)))
	}
	if kept, counted := totals(t, j); kept != counted {
		t.Fatalf("totals %v, tables hold %v", kept, counted)
	}
}
