package schedule

import "time"

// maxSegments bounds how many time-zone transitions one Next call walks
// through: two a year for the whole search horizon, with room to spare.
const maxSegments = 2*searchYears + 16

// Next returns the first time strictly after `after` that the schedule
// fires, in after's location, or the zero time if it never fires again.
//
// The fields are matched against the wall clock of after's location, with
// the Functions host's daylight-saving rules:
//   - a wall time skipped when clocks spring forward fires at the same
//     instant an hour later on the wall (02:30 runs at 03:30);
//   - when clocks fall back, an interval schedule (see IsInterval) fires
//     at every wall time in both passes of the repeated hour, while a
//     point-in-time schedule fires only in the first pass.
func (c *Cron) Next(after time.Time) time.Time {
	loc := after.Location()
	interval := c.interval
	seg, inclusive := after, false
	for range maxSegments {
		_, off := seg.Zone()
		start, end := seg.ZoneBounds()
		base := wallClock(seg)
		if inclusive {
			// seg is a transition instant: its own wall time may match.
			base = base.Add(-time.Second)
		}
		repeatedUntil := repeatedClockEnd(start, off)
		var at time.Time
		for {
			w, ok := c.nextWall(base)
			if !ok {
				return time.Time{}
			}
			at = instant(w, off)
			if end.IsZero() || at.Before(end) {
				if !interval && w.Before(repeatedUntil) {
					// Second pass of a repeated hour: a point-in-time
					// schedule already fired in the first.
					base = w
					continue
				}
				return at.In(loc)
			}
			_, nextOff := end.Zone()
			if nextOff > off && w.Before(wallClock(end)) {
				// w does not exist on the wall (spring forward): fire at
				// the instant it would have been in the old offset.
				return at.In(loc)
			}
			break
		}
		// No wall reading before w matches, so resume at the next
		// transition, or, when w is far off, shortly before it: a zone
		// offset never moves the wall clock by two days.
		seg, inclusive = end, true
		if near := at.Add(-48 * time.Hour).In(loc); near.After(end) {
			seg = near
		}
	}
	return time.Time{}
}

// wallClock returns t's wall-clock reading carried as a UTC time, so that
// date arithmetic on it ignores time zones.
func wallClock(t time.Time) time.Time {
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	return time.Date(y, mo, d, h, mi, s, t.Nanosecond(), time.UTC)
}

// instant converts a wall-clock reading in a zone offset (seconds east of
// UTC) to the moment it names.
func instant(wall time.Time, offset int) time.Time {
	return wall.Add(-time.Duration(offset) * time.Second)
}

// repeatedClockEnd returns, for a zone segment that began at start with
// offset off, the wall time until which its clock repeats readings of the
// previous segment (clocks fell back), or the zero time.
func repeatedClockEnd(start time.Time, off int) time.Time {
	if start.IsZero() {
		return time.Time{}
	}
	_, prevOff := start.Add(-time.Nanosecond).Zone()
	if prevOff <= off {
		return time.Time{}
	}
	return instant(start, -prevOff).UTC()
}
