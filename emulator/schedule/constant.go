package schedule

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Constant fires at a fixed interval after the previous run, written as a
// .NET TimeSpan: "hh:mm", "hh:mm:ss", "d.hh:mm:ss", "hh:mm:ss.fffffff" or
// a bare number of days. Intervals ignore daylight saving.
type Constant struct {
	Interval time.Duration
}

// Next returns after plus the interval.
func (c Constant) Next(after time.Time) time.Time { return after.Add(c.Interval) }

// String is the host's log form, e.g. "Constant: 00:05:00".
func (c Constant) String() string { return "Constant: " + formatTimeSpan(c.Interval) }

// parseTimeSpan reads the TimeSpan forms .NET's TimeSpan.TryParse accepts
// for the invariant culture: [-]d or [-][d.]hh:mm[:ss[.fffffff]].
func parseTimeSpan(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "-") {
		return 0, fmt.Errorf("timespan %q is negative", s)
	}
	if s == "" {
		return 0, fmt.Errorf("timespan is empty")
	}
	if !strings.Contains(s, ":") {
		days, err := timeSpanNumber(s, "days", 10675199)
		if err != nil {
			return 0, err
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	var days int
	if dot := strings.IndexByte(s, '.'); dot >= 0 && dot < strings.IndexByte(s, ':') {
		var err error
		if days, err = timeSpanNumber(s[:dot], "days", 10675199); err != nil {
			return 0, err
		}
		s = s[dot+1:]
	}
	var frac string
	parts := strings.Split(s, ":")
	if len(parts) == 3 {
		if dot := strings.IndexByte(parts[2], '.'); dot >= 0 {
			parts[2], frac = parts[2][:dot], parts[2][dot+1:]
		}
	}
	if len(parts) < 2 || len(parts) > 3 {
		return 0, fmt.Errorf("timespan %q is not of the form [d.]hh:mm[:ss[.fffffff]]", s)
	}
	limits := []struct {
		name string
		max  int
		unit time.Duration
	}{{"hours", 23, time.Hour}, {"minutes", 59, time.Minute}, {"seconds", 59, time.Second}}
	d := time.Duration(days) * 24 * time.Hour
	for i, p := range parts {
		n, err := timeSpanNumber(p, limits[i].name, limits[i].max)
		if err != nil {
			return 0, err
		}
		d += time.Duration(n) * limits[i].unit
	}
	if frac != "" {
		if len(frac) > 7 {
			return 0, fmt.Errorf("timespan fraction %q has more than 7 digits", frac)
		}
		n, err := timeSpanNumber(frac, "fraction", 9999999)
		if err != nil {
			return 0, err
		}
		d += time.Duration(n) * 100 * time.Nanosecond * time.Duration(pow10(7-len(frac)))
	}
	return d, nil
}

func timeSpanNumber(s, name string, maxValue int) (int, error) {
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return 0, fmt.Errorf("timespan %s %q is not a number", name, s)
	}
	n, err := strconv.Atoi(s)
	if err != nil || n > maxValue {
		return 0, fmt.Errorf("timespan %s %q is above %d", name, s, maxValue)
	}
	return n, nil
}

func pow10(n int) int {
	p := 1
	for range n {
		p *= 10
	}
	return p
}

// formatTimeSpan writes d the way .NET's TimeSpan.ToString() does:
// [d.]hh:mm:ss[.fffffff].
func formatTimeSpan(d time.Duration) string {
	var b strings.Builder
	if d < 0 {
		b.WriteByte('-')
		d = -d
	}
	days := d / (24 * time.Hour)
	d -= days * 24 * time.Hour
	if days > 0 {
		fmt.Fprintf(&b, "%d.", days)
	}
	h, m, s := d/time.Hour, d%time.Hour/time.Minute, d%time.Minute/time.Second
	fmt.Fprintf(&b, "%02d:%02d:%02d", h, m, s)
	if ticks := d % time.Second / 100; ticks > 0 {
		fmt.Fprintf(&b, ".%07d", ticks)
	}
	return b.String()
}
