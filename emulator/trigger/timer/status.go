package timer

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/funcemu/funcemu/emulator/schedule"
)

// Status is a timer's schedule monitor record, as the host keeps it in the
// blob azure-webjobs-hosts/timers/{hostId}/Host.Functions.{Name}/status.
// A zero time stands for .NET's default(DateTime): never.
type Status struct {
	Last        time.Time // when it last ran
	Next        time.Time // when it runs next
	LastUpdated time.Time // when Next was computed
}

// MonitorStore keeps Status records across restarts, keyed by function
// name, so a timer that missed an occurrence while funcemu was stopped
// catches up on start.
type MonitorStore interface {
	// Load returns the stored status; ok is false when there is none.
	Load(ctx context.Context, function string) (s Status, ok bool, err error)
	Save(ctx context.Context, function string, s Status) error
}

// statusTimeLayout is Newtonsoft's ISO format for local DateTime values:
// up to seven fraction digits, trailing zeros dropped, always an offset.
const statusTimeLayout = "2006-01-02T15:04:05.9999999-07:00"

// MarshalJSON writes the status as the host does:
// {"Last":"2024-05-01T11:55:00+00:00","Next":"...","LastUpdated":"..."}.
func (s Status) MarshalJSON() ([]byte, error) {
	loc := s.Next.Location()
	return json.Marshal(struct{ Last, Next, LastUpdated string }{
		statusTime(s.Last, loc), statusTime(s.Next, loc), statusTime(s.LastUpdated, loc),
	})
}

// statusTime formats t, writing the zero time the way .NET prints
// default(DateTime).ToLocalTime(): year 1 at the zone's standard offset.
func statusTime(t time.Time, loc *time.Location) string {
	if !t.IsZero() {
		return t.Format(statusTimeLayout)
	}
	off := standardOffset(loc)
	wall := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(max(off, 0)) * time.Second)
	return wall.Format("2006-01-02T15:04:05") + time.Date(2001, 1, 1, 0, 0, 0, 0, time.FixedZone("", off)).Format("-07:00")
}

// standardOffset is the zone's offset outside daylight saving: the
// smaller of its January and July offsets.
func standardOffset(loc *time.Location) int {
	_, jan := time.Date(2001, 1, 1, 0, 0, 0, 0, loc).Zone()
	_, jul := time.Date(2001, 7, 1, 0, 0, 0, 0, loc).Zone()
	return min(jan, jul)
}

// UnmarshalJSON reads a status written by the host or by MarshalJSON.
// Dates in year 1 read as the zero time.
func (s *Status) UnmarshalJSON(b []byte) error {
	var raw struct{ Last, Next, LastUpdated string }
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("timer status: %w", err)
	}
	for _, f := range []struct {
		name string
		in   string
		out  *time.Time
	}{{"Last", raw.Last, &s.Last}, {"Next", raw.Next, &s.Next}, {"LastUpdated", raw.LastUpdated, &s.LastUpdated}} {
		t, err := parseStatusTime(f.in)
		if err != nil {
			return fmt.Errorf("timer status field %s: %w", f.name, err)
		}
		*f.out = t
	}
	return nil
}

func parseStatusTime(s string) (time.Time, error) {
	if s == "" || strings.HasPrefix(s, "0001-01-01") {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.9999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not an ISO 8601 date-time", s)
}

// MemoryStore is a MonitorStore in memory, for tests and for runs without
// persistent storage. The zero value is ready to use.
type MemoryStore struct {
	mu       sync.Mutex
	statuses map[string]Status
}

// Load returns the status saved for function.
func (m *MemoryStore) Load(_ context.Context, function string) (Status, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.statuses[function]
	return s, ok, nil
}

// Save records the status of function.
func (m *MemoryStore) Save(_ context.Context, function string, s Status) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.statuses == nil {
		m.statuses = map[string]Status{}
	}
	m.statuses[function] = s
	return nil
}

// checkPastDue is the host's start-up check (ScheduleMonitor.
// CheckPastDueAsync): it records a first status, rewrites one whose Next
// no longer fits the schedule (the schedule changed), and reports whether
// the recorded Next has passed. stored is the loaded status, if any.
func checkPastDue(ctx context.Context, store MonitorStore, name string, now time.Time, sched schedule.Schedule, stored *Status) (bool, error) {
	loc := now.Location()
	var recorded time.Time
	if stored == nil {
		next := sched.Next(now)
		if err := store.Save(ctx, name, Status{Next: next, LastUpdated: now}); err != nil {
			return false, err
		}
		recorded = next
	} else {
		var expected, lastUpdated time.Time
		switch {
		case !stored.Last.IsZero():
			lastUpdated = stored.Last.In(loc)
		case !stored.LastUpdated.IsZero():
			lastUpdated = stored.LastUpdated.In(loc)
		default:
			lastUpdated = now
		}
		expected = sched.Next(lastUpdated)
		if !stored.Next.Equal(expected) {
			// The schedule changed. A new Next already in the past is
			// recomputed from now rather than reported as past due.
			if now.After(expected) {
				expected, lastUpdated = sched.Next(now), now
			}
			*stored = Status{Next: expected, LastUpdated: lastUpdated}
			if err := store.Save(ctx, name, *stored); err != nil {
				return false, err
			}
		}
		// A Next beyond the next occurrence from now was recorded by a
		// clock ahead of this one (a virtual clock, a clock since set
		// back): recompute it, as for a changed schedule, or the timer
		// would not fire until then.
		if next := sched.Next(now); stored.Next.After(next) {
			*stored = Status{Next: next, LastUpdated: now}
			if err := store.Save(ctx, name, *stored); err != nil {
				return false, err
			}
		}
		recorded = stored.Next
	}
	return !recorded.IsZero() && now.After(recorded), nil
}
