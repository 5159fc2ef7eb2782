package schedule

import (
	"fmt"
	"strings"
	"time"
)

// Cron is an NCRONTAB schedule: "sec min hour day month day-of-week", or
// the classic five fields without seconds (second 0 implied).
//
// Day of month and day of week must both match, as in NCrontab (classic
// cron fires when either matches): "0 0 0 13 * 5" fires only on Friday the
// 13th.
type Cron struct {
	seconds, minutes, hours, days, months, weekdays field
	hasSeconds                                      bool
	interval                                        bool // IsInterval, cached
}

func parseCron(expr string) (*Cron, error) {
	tokens := strings.Fields(expr)
	// Like the Functions host: exactly five fields means no seconds;
	// anything else is read as six fields and must then have six.
	hasSeconds := len(tokens) != 5
	if hasSeconds && len(tokens) != 6 {
		return nil, fmt.Errorf("has %d fields, want 6 (second minute hour day month day-of-week) or 5 (without seconds)", len(tokens))
	}
	kinds := []fieldKind{secondField, minuteField, hourField, dayField, monthField, weekdayField}
	if !hasSeconds {
		kinds = kinds[1:]
	}
	sets := make([]field, len(kinds))
	for i, k := range kinds {
		f, err := parseField(k, tokens[i])
		if err != nil {
			return nil, err
		}
		sets[i] = f
	}
	c := &Cron{hasSeconds: hasSeconds, seconds: 1} // second 0 when absent
	if hasSeconds {
		c.seconds, sets = sets[0], sets[1:]
	}
	c.minutes, c.hours, c.days, c.months, c.weekdays = sets[0], sets[1], sets[2], sets[3], sets[4]
	c.interval = c.IsInterval()
	return c, nil
}

// String is the expanded expression in the host's log form, e.g.
// "Cron: '0 0,5,10,15,20,25,30,35,40,45,50,55 * * * *'".
func (c *Cron) String() string { return "Cron: '" + c.Expanded() + "'" }

// Expanded is the expression as NCrontab prints it: ranges collapsed,
// steps and names expanded to numbers.
func (c *Cron) Expanded() string {
	parts := []string{
		minuteField.format(c.minutes), hourField.format(c.hours), dayField.format(c.days),
		monthField.format(c.months), weekdayField.format(c.weekdays),
	}
	if c.hasSeconds {
		parts = append([]string{secondField.format(c.seconds)}, parts...)
	}
	return strings.Join(parts, " ")
}

// IsInterval reports whether the host treats the schedule as an interval
// rather than a point in time: its seconds, minutes or hours column, as
// expanded, holds "*" or a range. Interval schedules keep firing through
// the repeated hour when clocks fall back; point-in-time ones fire once.
func (c *Cron) IsInterval() bool {
	parts := strings.Fields(c.Expanded())
	n := 2
	if c.hasSeconds {
		n = 3
	}
	for _, p := range parts[:n] {
		if strings.ContainsAny(p, "*-/") {
			return true
		}
	}
	return false
}

// firesMoreThanOncePerMinute reports whether every column but the seconds
// is "*" and more than one second is set.
func (c *Cron) firesMoreThanOncePerMinute() bool {
	const all = "*"
	return minuteField.format(c.minutes) == all && hourField.format(c.hours) == all &&
		dayField.format(c.days) == all && monthField.format(c.months) == all &&
		weekdayField.format(c.weekdays) == all && c.seconds.count() > 1
}

// searchYears bounds the search for schedules that can never fire, such
// as "0 0 0 30 2 *". Every satisfiable schedule repeats within 400 years.
const searchYears = 400

// maxYear is the last year .NET DateTime can hold.
const maxYear = 9999

// nextWall returns the first wall-clock time strictly after w (a naive
// time carried in UTC) that the fields match, to the second. ok is false
// when no such time exists.
func (c *Cron) nextWall(w time.Time) (next time.Time, ok bool) {
	t := w.Truncate(time.Second).Add(time.Second)
	limit := min(t.Year()+searchYears, maxYear)
	for t.Year() <= limit {
		y, mo, d := t.Date()
		h, mi, s := t.Clock()
		switch {
		case !c.months.has(int(mo)):
			if m := c.months.next(int(mo)); m > 0 {
				t = time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
			} else {
				t = time.Date(y+1, time.Month(c.months.next(1)), 1, 0, 0, 0, 0, time.UTC)
			}
		case !c.days.has(d) || !c.weekdays.has(int(t.Weekday())):
			t = time.Date(y, mo, d+1, 0, 0, 0, 0, time.UTC)
		case !c.hours.has(h):
			if n := c.hours.next(h); n >= 0 && n <= 23 {
				t = time.Date(y, mo, d, n, 0, 0, 0, time.UTC)
			} else {
				t = time.Date(y, mo, d+1, 0, 0, 0, 0, time.UTC)
			}
		case !c.minutes.has(mi):
			if n := c.minutes.next(mi); n >= 0 && n <= 59 {
				t = time.Date(y, mo, d, h, n, 0, 0, time.UTC)
			} else {
				t = time.Date(y, mo, d, h+1, 0, 0, 0, time.UTC)
			}
		case !c.seconds.has(s):
			if n := c.seconds.next(s); n >= 0 && n <= 59 {
				t = time.Date(y, mo, d, h, mi, n, 0, time.UTC)
			} else {
				t = time.Date(y, mo, d, h, mi+1, 0, 0, time.UTC)
			}
		default:
			return t, true
		}
	}
	return time.Time{}, false
}
