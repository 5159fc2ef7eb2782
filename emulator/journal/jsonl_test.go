package journal

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator"
)

// richHistory records one invocation of every trigger kind, with outputs,
// logs, a retry and a parent link.
func richHistory(t *testing.T, j *Journal) {
	t.Helper()
	httpInv := finished("0001-http", "Hello", at(1), at(1).Add(1500000), "")
	httpInv.Invocation.Input.HTTP.Body = []byte(`{"name":"<Ada & Bob>"}`)
	httpInv.Invocation.Outputs = append(httpInv.Invocation.Outputs,
		emulator.Output{Binding: "msg", Queue: &emulator.QueueOutput{Queue: "work", Message: "do it"}})
	queueInv := finished("0002-queue", "Worker", at(2), at(3), "handler returned 500")
	queueInv.Invocation.Trigger, queueInv.Invocation.ParentID, queueInv.Invocation.RetryCount = emulator.TriggerQueue, "0001-http", 1
	queueInv.Invocation.Input = &emulator.Input{Queue: &emulator.QueueMessage{
		Queue: "work", ID: "m-1", Body: "ZG8gaXQ=", DequeueCount: 2,
		InsertionTime: at(1), ExpirationTime: at(1).AddDate(0, 0, 7)}}
	queueInv.Invocation.Outputs = nil
	blobInv := finished("0003-blob", "Thumb", at(4), at(5), "")
	blobInv.Invocation.Trigger = emulator.TriggerBlob
	blobInv.Invocation.Input = &emulator.Input{Blob: &emulator.BlobInput{Container: "images", Name: "a.png",
		ETag: `"0x8D1"`, Metadata: map[string]string{"b": "2", "a": "1"}, Content: []byte{0, 1, 2}}}
	blobInv.Invocation.Outputs = []emulator.Output{{Binding: "thumb", Blob: &emulator.BlobOutput{Container: "thumbs", Name: "a.png", Content: []byte{9}}}}
	timerInv := finished("0004-timer", "Tick", at(6), at(6), "")
	timerInv.Invocation.Trigger = emulator.TriggerTimer
	timerInv.Invocation.Input = &emulator.Input{Timer: &emulator.TimerInput{Info: json.RawMessage(`{"IsPastDue": false}`)}}
	manualInv := started("0005-manual", "Hello", at(7))
	manualInv.Invocation.Trigger = emulator.TriggerManual
	manualInv.Invocation.Input = &emulator.Input{Manual: &emulator.ManualInput{Input: "hi\nthere"}}
	record(t, j,
		httpInv,
		logLine("0001-http", at(1), emulator.LevelInfo, "Executing 'Functions.Hello'"),
		logLine("0001-http", at(1).Add(1000), emulator.LevelDebug, "unicode: é ✓"),
		queueInv,
		logLine("0002-queue", at(3), emulator.LevelError, "boom"),
		blobInv, timerInv, manualInv,
		logLine("0005-manual", at(7), emulator.LevelWarning, "slow"),
	)
}

func export(t *testing.T, j *Journal, f Filter) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := j.Export(context.Background(), &buf, f); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func importBytes(t *testing.T, j *Journal, b []byte) ImportResult {
	t.Helper()
	res, err := j.Import(context.Background(), bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestExportImportExportIsByteIdentical(t *testing.T) {
	src := openMemory(t, Options{})
	richHistory(t, src)
	first := export(t, src, Filter{})
	if n := bytes.Count(first, []byte("\n")); n != 5 {
		t.Fatalf("export has %d lines, want 5:\n%s", n, first)
	}
	dst := openFile(t, Options{})
	if res := importBytes(t, dst, first); res.Imported != 5 || res.Skipped != 0 {
		t.Fatalf("import = %+v, want 5 imported", res)
	}
	second := export(t, dst, Filter{})
	if !bytes.Equal(first, second) {
		t.Fatalf("round trip changed the export:\nfirst:\n%s\nsecond:\n%s", first, second)
	}
	// And the imported journal answers queries like the original.
	for _, id := range []string{"0001-http", "0002-queue", "0005-manual"} {
		a, err := src.Get(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		b, err := dst.Get(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if !sameRecord(a, b) {
			t.Fatalf("%s differs after import:\n%+v\n%+v", id, a, b)
		}
	}
}

func sameRecord(a, b *Record) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

// The fixture is the documented format written by hand; importing and
// exporting it must give it back unchanged.
func TestFixtureRoundTrips(t *testing.T) {
	fixture, err := os.ReadFile("testdata/history.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	j := openMemory(t, Options{})
	importBytes(t, j, fixture)
	if got := export(t, j, Filter{}); !bytes.Equal(got, fixture) {
		t.Fatalf("fixture changed on the way through:\nwant:\n%s\ngot:\n%s", fixture, got)
	}
	parent, err := j.Get(context.Background(), "0001-http")
	if err != nil {
		t.Fatal(err)
	}
	if len(parent.Children) != 1 || parent.Children[0].ID != "0002-queue" || len(parent.Logs) != 2 {
		t.Fatalf("fixture parent: children %v, %d logs", ids(parent.Children), len(parent.Logs))
	}
}

func TestExportFilters(t *testing.T) {
	j := openMemory(t, Options{})
	richHistory(t, j)
	tests := []struct {
		name string
		f    Filter
		want []string
	}{
		{"limit keeps the newest, oldest first", Filter{Limit: 2}, []string{"0004-timer", "0005-manual"}},
		{"limit above the count", Filter{Limit: 50}, []string{"0001-http", "0002-queue", "0003-blob", "0004-timer", "0005-manual"}},
		{"function", Filter{Function: "hello"}, []string{"0001-http", "0005-manual"}},
		{"status and limit", Filter{Status: emulator.StatusSucceeded, Limit: 1}, []string{"0004-timer"}},
		{"since", Filter{Since: at(4)}, []string{"0003-blob", "0004-timer", "0005-manual"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, l := range bytes.Split(bytes.TrimSpace(export(t, j, tt.f)), []byte("\n")) {
				var v struct{ ID string }
				if err := json.Unmarshal(l, &v); err != nil {
					t.Fatal(err)
				}
				got = append(got, v.ID)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("exported %v, want %v", got, tt.want)
			}
		})
	}
}

func TestExportPagesThroughLargeJournals(t *testing.T) {
	j := openMemory(t, Options{})
	events := make([]emulator.Event, 0, 2*exportPage+3)
	for i := range cap(events) {
		// Several invocations share a start, so paging must order by id too.
		events = append(events, started(string(rune('a'+i%26))+strings.Repeat("x", i/26), "Hello", at(i/3)))
	}
	if err := j.write(context.Background(), events); err != nil {
		t.Fatal(err)
	}
	out := export(t, j, Filter{})
	if n := bytes.Count(out, []byte("\n")); n != len(events) {
		t.Fatalf("exported %d lines, want %d", n, len(events))
	}
	dst := openMemory(t, Options{})
	if res := importBytes(t, dst, out); res.Imported != len(events) {
		t.Fatalf("imported %d, want %d (an id repeated or was lost)", res.Imported, len(events))
	}
}

func TestImportAcceptsWindowsLineEndsAndByteOrderMark(t *testing.T) {
	src := openMemory(t, Options{})
	richHistory(t, src)
	out := export(t, src, Filter{})
	windows := append([]byte("\xef\xbb\xbf"), bytes.ReplaceAll(out, []byte("\n"), []byte("\r\n"))...)
	dst := openMemory(t, Options{})
	if res := importBytes(t, dst, windows); res.Imported != 5 {
		t.Fatalf("imported %d, want 5", res.Imported)
	}
	if again := export(t, dst, Filter{}); !bytes.Equal(again, out) {
		t.Fatalf("export after a CRLF import differs:\n%s\nvs\n%s", again, out)
	}
}

func TestImportSkipsInvocationsAlreadyStored(t *testing.T) {
	src := openMemory(t, Options{})
	richHistory(t, src)
	out := export(t, src, Filter{})
	dst := openMemory(t, Options{})
	record(t, dst, finished("0001-http", "Local", at(1), at(2), "kept"))
	res := importBytes(t, dst, out)
	if res.Imported != 4 || res.Skipped != 1 {
		t.Fatalf("import = %+v, want 4 imported, 1 skipped", res)
	}
	kept, err := dst.Get(context.Background(), "0001-http")
	if err != nil {
		t.Fatal(err)
	}
	if kept.Function != "Local" || kept.Error != "kept" {
		t.Fatalf("stored invocation was overwritten: %+v", kept.Invocation)
	}
	if again := importBytes(t, dst, out); again.Imported != 0 || again.Skipped != 5 {
		t.Fatalf("second import = %+v, want all skipped", again)
	}
}

func TestImportIsAllOrNothing(t *testing.T) {
	good := `{"v":1,"id":"a","function":"Hello","status":"succeeded","start":"2026-03-01T09:00:00Z"}`
	tests := []struct {
		name      string
		input     string
		wantLines []int
		wantText  string
	}{
		{"not JSON", good + "\n{nope\n", []int{2}, "invalid JSON"},
		{"unknown field", `{"v":1,"id":"b","function":"F","status":"running","start":"2026-03-01T09:00:00Z","colour":1}`, []int{1}, `unknown field "colour"`},
		{"missing version", `{"id":"b","function":"F","status":"running","start":"2026-03-01T09:00:00Z"}`, []int{1}, `field "v": missing`},
		{"newer version", `{"v":2,"id":"b"}`, []int{1}, "version 2 is not supported"},
		{"bad status and bad time", good + "\n" +
			`{"v":1,"id":"b","function":"F","status":"done","start":"2026-03-01T09:00:00Z"}` + "\n\n" +
			`{"v":1,"id":"c","function":"F","status":"running","start":"yesterday"}`, []int{2, 4}, `field "start"`},
		{"repeated id", good + "\n" + good, []int{2}, "already on line 1"},
		{"bad input", `{"v":1,"id":"b","function":"F","status":"running","start":"2026-03-01T09:00:00Z","input":{"http":{"method":5}}}`, []int{1}, `field "input"`},
		{"bad log level", `{"v":1,"id":"b","function":"F","status":"running","start":"2026-03-01T09:00:00Z","logs":[{"time":"2026-03-01T09:00:00Z","level":"loud","message":"x"}]}`, []int{1}, `field "logs[0].level"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := openMemory(t, Options{})
			record(t, j, started("existing", "Hello", at(0)))
			_, err := j.Import(context.Background(), strings.NewReader(tt.input))
			var ie *ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("Import = %v, want an *ImportError", err)
			}
			var lines []int
			for _, l := range ie.Lines {
				lines = append(lines, l.Line)
			}
			if !equalInts(lines, tt.wantLines) || !strings.Contains(err.Error(), tt.wantText) {
				t.Fatalf("error %q (lines %v), want lines %v mentioning %q", err, lines, tt.wantLines, tt.wantText)
			}
			all, err := j.List(context.Background(), Filter{})
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(all); len(got) != 1 || got[0] != "existing" {
				t.Fatalf("after a rejected import the journal holds %v, want only [existing]", got)
			}
		})
	}
}

func TestImportStopsListingAfterManyBadLines(t *testing.T) {
	j := openMemory(t, Options{})
	_, err := j.Import(context.Background(), strings.NewReader(strings.Repeat("x\n", 100)))
	var ie *ImportError
	if !errors.As(err, &ie) || len(ie.Lines) != maxLineErrors || !ie.More {
		t.Fatalf("Import = %v, want %d listed lines and more", err, maxLineErrors)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// FuzzParseLine feeds Import's line parser arbitrary lines. A line it
// accepts must store and export back to a line it accepts again with the
// same meaning.
func FuzzParseLine(f *testing.F) {
	fixture, err := os.ReadFile("testdata/history.jsonl")
	if err != nil {
		f.Fatal(err)
	}
	for _, l := range bytes.Split(fixture, []byte("\n")) {
		f.Add(l)
	}
	f.Add([]byte(`{"v":1,"id":"a","function":"F","status":"running","start":"2262-04-11T23:47:16.854775807Z"}`))
	f.Add([]byte(`{"v":1,"id":"a","function":"F","status":"failed","start":"1677-09-21T00:12:43Z"}`))
	f.Add([]byte(`{"v":1,"id":"a","function":"F","status":"running","start":"2026-03-01T09:00:00+02:00","input":null,"outputs":[]}`))
	f.Add([]byte(`{"v":1} {"v":1}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := parseLine(b)
		if err != nil {
			if e != nil {
				t.Fatal("parseLine returned an entry with an error")
			}
			return
		}
		j := openMemory(t, Options{})
		// A newline can only be whitespace between tokens of a value the
		// parser accepted; without it the value is the same, on one line.
		res, err := j.Import(context.Background(), bytes.NewReader(bytes.ReplaceAll(b, []byte("\n"), nil)))
		if err != nil {
			t.Fatalf("parseLine accepted %q but Import rejected it: %v", b, err)
		}
		if res.Imported != 1 {
			t.Fatalf("imported %d, want 1", res.Imported)
		}
		out := export(t, j, Filter{})
		again, err := parseLine(bytes.TrimSuffix(out, []byte("\n")))
		if err != nil {
			t.Fatalf("export %q of accepted line %q does not parse: %v", out, b, err)
		}
		if again.inv.ID != e.inv.ID || !again.inv.Start.Equal(e.inv.Start) || len(again.logs) != len(e.logs) {
			t.Fatalf("line %q came back as %q", b, out)
		}
	})
}
