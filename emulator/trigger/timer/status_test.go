package timer

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator/schedule"
)

func TestCheckPastDue(t *testing.T) {
	day := func(d, h int) time.Time { return time.Date(2026, 5, d, h, 0, 0, 0, time.UTC) }
	now := day(3, 10)
	tests := []struct {
		name        string
		stored      *Status
		wantPastDue bool
		wantSaved   *Status // nil: nothing saved
	}{
		{"first start records a status", nil, false, &Status{Next: day(3, 12), LastUpdated: now}},
		{"missed occurrence", &Status{Last: day(1, 12), Next: day(2, 12), LastUpdated: day(1, 12)}, true, nil},
		{"on schedule", &Status{Last: day(2, 12), Next: day(3, 12), LastUpdated: day(2, 12)}, false, nil},
		{"schedule changed, new next ahead", &Status{Last: day(2, 12), Next: day(3, 9), LastUpdated: day(2, 12)}, false,
			&Status{Next: day(3, 12), LastUpdated: day(2, 12)}},
		{"schedule changed, new next behind", &Status{Last: day(0, 12), Next: day(1, 9), LastUpdated: day(0, 12)}, false,
			&Status{Next: day(3, 12), LastUpdated: now}},
		{"never ran, next computed at last update", &Status{Next: day(2, 12), LastUpdated: day(1, 13)}, true, nil},
		{"empty status", &Status{}, false, &Status{Next: day(3, 12), LastUpdated: now}},
		// A virtual clock's run stored a status a year ahead: the system
		// clock's run recomputes it instead of waiting a year.
		{"status from a clock a year ahead", &Status{Last: day(3, 12).AddDate(1, 0, 0), Next: day(4, 12).AddDate(1, 0, 0),
			LastUpdated: day(3, 12).AddDate(1, 0, 0)}, false, &Status{Next: day(3, 12), LastUpdated: now}},
		{"next two periods ahead", &Status{Last: day(3, 12), Next: day(4, 12), LastUpdated: day(3, 12)}, false,
			&Status{Next: day(3, 12), LastUpdated: now}},
	}
	sched, err := schedule.Parse("0 0 12 * * *")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := &MemoryStore{}
			pastDue, err := checkPastDue(context.Background(), store, "F", now, sched, tt.stored)
			if err != nil {
				t.Fatal(err)
			}
			if pastDue != tt.wantPastDue {
				t.Fatalf("past due = %v, want %v", pastDue, tt.wantPastDue)
			}
			saved, ok, _ := store.Load(context.Background(), "F")
			if (tt.wantSaved != nil) != ok {
				t.Fatalf("saved = %v (%+v), want saved %v", ok, saved, tt.wantSaved != nil)
			}
			if ok && !(saved.Last.Equal(tt.wantSaved.Last) && saved.Next.Equal(tt.wantSaved.Next) && saved.LastUpdated.Equal(tt.wantSaved.LastUpdated)) {
				t.Fatalf("saved %+v, want %+v", saved, *tt.wantSaved)
			}
		})
	}
}

func TestStatusJSON(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		s    Status
		want string
	}{
		{"utc", Status{Last: time.Date(2024, 5, 1, 11, 55, 0, 0, time.UTC), Next: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC), LastUpdated: time.Date(2024, 5, 1, 11, 55, 0, 0, time.UTC)},
			`{"Last":"2024-05-01T11:55:00+00:00","Next":"2024-05-01T12:00:00+00:00","LastUpdated":"2024-05-01T11:55:00+00:00"}`},
		{"berlin, never ran, fraction", Status{Next: time.Date(2026, 5, 1, 12, 0, 0, 0, berlin), LastUpdated: time.Date(2026, 5, 1, 10, 0, 0, 500000000, berlin)},
			`{"Last":"0001-01-01T01:00:00+01:00","Next":"2026-05-01T12:00:00+02:00","LastUpdated":"2026-05-01T10:00:00.5+02:00"}`},
		{"new york, never ran", Status{Next: time.Date(2026, 1, 1, 12, 0, 0, 0, ny)},
			`{"Last":"0001-01-01T00:00:00-05:00","Next":"2026-01-01T12:00:00-05:00","LastUpdated":"0001-01-01T00:00:00-05:00"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.s)
			if err != nil || string(b) != tt.want {
				t.Fatalf("Marshal = %s, %v\nwant %s", b, err, tt.want)
			}
			var back Status
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if !back.Last.Equal(tt.s.Last) || !back.Next.Equal(tt.s.Next) || !back.LastUpdated.Equal(tt.s.LastUpdated) {
				t.Fatalf("round trip gave %+v, want %+v", back, tt.s)
			}
		})
	}
}

func TestStatusJSONErrorsNameTheField(t *testing.T) {
	var s Status
	err := json.Unmarshal([]byte(`{"Last":"yesterday","Next":"2024-05-01T12:00:00+00:00"}`), &s)
	if err == nil || !strings.Contains(err.Error(), "field Last") {
		t.Fatalf("err = %v, want it to name field Last", err)
	}
	if err := json.Unmarshal([]byte(`{"Next":"2024-05-01T12:00:00.1234567"}`), &s); err != nil || s.Next.Nanosecond() != 123456700 {
		t.Fatalf("offset-less time: %v, %v", s.Next, err)
	}
}

func FuzzStatusUnmarshal(f *testing.F) {
	for _, s := range []string{
		`{"Last":"2024-05-01T11:55:00+00:00","Next":"2024-05-01T12:00:00+00:00","LastUpdated":"2024-05-01T11:55:00+00:00"}`,
		`{"Last":"0001-01-01T01:00:00+01:00"}`, `{}`, `null`, `{"Next":5}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var s Status
		if json.Unmarshal(b, &s) != nil {
			return
		}
		// Whatever reads must write and read back to the same instants.
		out, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("Marshal(%+v): %v", s, err)
		}
		var back Status
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("re-read %s: %v", out, err)
		}
		if !back.Next.Equal(s.Next) || !back.Last.Equal(s.Last) || !back.LastUpdated.Equal(s.LastUpdated) {
			t.Fatalf("round trip of %s: %+v became %+v", b, s, back)
		}
	})
}
