package tui

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator"
)

func TestInputLines(t *testing.T) {
	tests := []struct {
		name string
		in   *emulator.Input
		want []string
	}{
		{"not recorded", nil, []string{"(not recorded)"}},
		{"empty", &emulator.Input{}, []string{"(empty)"}},
		{"blob", &emulator.Input{Blob: &emulator.BlobInput{Container: "samples", Name: "a.txt", ETag: "0x1", Content: []byte("hi")}},
			[]string{"blob samples/a.txt etag 0x1", "hi"}},
		{"truncated blob", &emulator.Input{Blob: &emulator.BlobInput{Container: "c", Name: "b", ETag: "e", Content: []byte("abc"), ContentTruncated: true}},
			[]string{"blob c/b etag e", "abc", "… (truncated)"}},
		{"binary blob", &emulator.Input{Blob: &emulator.BlobInput{Container: "c", Name: "b", ETag: "e", Content: []byte{0xff, 0xfe, 0}}},
			[]string{"blob c/b etag e", "(3 bytes of binary data)"}},
		{"timer", &emulator.Input{Timer: &emulator.TimerInput{Info: json.RawMessage(`{"IsPastDue":false}`)}},
			[]string{"{", `  "IsPastDue": false`, "}"}},
		{"manual", &emulator.Input{Manual: &emulator.ManualInput{Input: "ping"}}, []string{"manual", "ping"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := inputLines(tt.in); strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDetailScrollsAndClamps(t *testing.T) {
	m := newTestModel(&fakeController{})
	feed(m, scenario()...)
	m.Update(keyMsg("2"))
	press(m, "j", "enter")
	tests := []struct {
		key       string
		wantFirst string // first body line after the key
	}{
		{"down", "Function  HttpExample"},
		{"g", "Invocation " + parentID},
		{"G", "Reason"}, // the last screenful, ending with the logs
		{"up", "Started"},
		{"pgup", "Invocation " + parentID},
		{"pgdown", "Reason"},
	}
	for _, tt := range tests {
		press(m, tt.key)
		lines := strings.Split(m.View(), "\n")
		if !strings.HasPrefix(lines[1], tt.wantFirst) {
			t.Fatalf("after %s the first line is %q, want %q", tt.key, lines[1], tt.wantFirst)
		}
	}
}

// TestDetailShowsLogsArrivingWhileOpen checks that the detail is rebuilt
// when drawn: a log line that arrives after it opened shows, at the
// bottom once scrolled there.
func TestDetailShowsLogsArrivingWhileOpen(t *testing.T) {
	m := newTestModel(&fakeController{})
	feed(m, scenario()...)
	press(m, "2", "enter") // the newest: the failed child
	late := logEvent(700, emulator.LevelInfo, emulator.CategoryFunction, "late line from the handler")
	late.Log.InvocationID, late.Log.Function = childID, "MyQueueFunction"
	feed(m, late)
	press(m, "G")
	wantScreen(t, m, "late line from the handler")
	press(m, "esc")
	if invocationsOf(m).detail.open() {
		t.Fatal("esc left the detail open")
	}
}

func TestWindowKeepsCursorVisible(t *testing.T) {
	tests := []struct{ cursor, n, height, want int }{
		{0, 5, 10, 0},
		{0, 50, 10, 0},
		{25, 50, 10, 20},
		{49, 50, 10, 40},
		{3, 50, 0, 0},
	}
	for _, tt := range tests {
		start := window(tt.cursor, tt.n, tt.height)
		if start != tt.want {
			t.Errorf("window(%d, %d, %d) = %d, want %d", tt.cursor, tt.n, tt.height, start, tt.want)
		}
		if tt.height > 0 && (tt.cursor < start || tt.cursor >= start+tt.height) {
			t.Errorf("cursor %d outside rows %d..%d", tt.cursor, start, start+tt.height-1)
		}
	}
}
