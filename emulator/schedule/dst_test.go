package schedule

import (
	"testing"
	"time"
)

// matchesWall reports whether the cron fields match a wall-clock reading.
func (c *Cron) matchesWall(w time.Time) bool {
	return c.seconds.has(w.Second()) && c.minutes.has(w.Minute()) && c.hours.has(w.Hour()) &&
		c.days.has(w.Day()) && c.months.has(int(w.Month())) && c.weekdays.has(int(w.Weekday()))
}

// TestNextAroundEveryTransition checks Next near each 2026 transition of
// zones with one-hour, half-hour and southern-hemisphere daylight saving
// against a minute-by-minute scan: every result advances and matches the
// wall clock (or a skipped wall time, moved by the gap), and no matching
// minute in between is missed, except the second pass of a repeated hour
// for point-in-time schedules.
func TestNextAroundEveryTransition(t *testing.T) {
	exprs := []string{"*/15 * * * *", "0 * * * *", "30 1,2 * * *", "*/20 0-3 * * *", "45 2 * * *", "0 0 * * *"}
	for _, zone := range []string{"America/New_York", "Europe/Berlin", "Australia/Sydney", "Australia/Lord_Howe"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range transitions(loc, 2026) {
			for _, expr := range exprs {
				c, err := parseCron(expr)
				if err != nil {
					t.Fatal(err)
				}
				for after := tr.Add(-4 * time.Hour); after.Before(tr.Add(4 * time.Hour)); after = after.Add(7 * time.Minute) {
					checkNext(t, zone, expr, c, after.In(loc))
				}
			}
		}
	}
}

func checkNext(t *testing.T, zone, expr string, c *Cron, after time.Time) {
	t.Helper()
	next := c.Next(after)
	if !next.After(after) {
		t.Fatalf("%s %q: Next(%s) = %s does not advance", zone, expr, after, next)
	}
	if !c.matchesWall(wallClock(next)) && !c.matchesWall(wallBefore(next)) {
		t.Fatalf("%s %q: Next(%s) = %s matches neither its wall clock nor a skipped one", zone, expr, after, next)
	}
	if !c.IsInterval() && inRepeatedPass(next) {
		t.Fatalf("%s %q: Next(%s) = %s fires a point-in-time schedule twice in a repeated hour", zone, expr, after, next)
	}
	// A wall time skipped by a spring-forward gap still fires, at the
	// instant it names in the old offset.
	if _, end := after.ZoneBounds(); !end.IsZero() && !end.After(next) {
		_, before := after.Zone()
		_, afterOff := end.Zone()
		for g := instant(end, -before).UTC(); afterOff > before && g.Before(instant(end, -afterOff).UTC()); g = g.Add(time.Minute) {
			if c.matchesWall(g) && g.After(wallClock(after)) && next.After(instant(g, before)) {
				t.Fatalf("%s %q: Next(%s) = %s passes over the skipped wall time %s", zone, expr, after, next, g)
			}
		}
	}
	for m := after.Truncate(time.Minute).Add(time.Minute); m.Before(next); m = m.Add(time.Minute) {
		m := m.In(after.Location())
		if !c.matchesWall(wallClock(m)) {
			continue
		}
		if !c.IsInterval() && inRepeatedPass(m) {
			continue
		}
		t.Fatalf("%s %q: Next(%s) = %s skips %s", zone, expr, after, next, m)
	}
}

// wallBefore is the wall reading next would have had in the offset in
// force before its zone segment began.
func wallBefore(next time.Time) time.Time {
	start, _ := next.ZoneBounds()
	if start.IsZero() {
		return wallClock(next)
	}
	_, prev := start.Add(-time.Nanosecond).Zone()
	return instant(next, -prev).UTC()
}

// inRepeatedPass reports whether m's wall reading already occurred before
// the clocks fell back.
func inRepeatedPass(m time.Time) bool {
	start, _ := m.ZoneBounds()
	_, off := m.Zone()
	end := repeatedClockEnd(start, off)
	return !end.IsZero() && wallClock(m).Before(end)
}

// transitions lists the zone's offset changes during a year.
func transitions(loc *time.Location, year int) []time.Time {
	var out []time.Time
	t := time.Date(year, 1, 1, 0, 0, 0, 0, loc)
	for {
		_, end := t.ZoneBounds()
		if end.IsZero() || end.Year() > year {
			return out
		}
		out = append(out, end)
		t = end
	}
}
