package schedule

import (
	"fmt"
	"strconv"
	"strings"
)

// fieldKind describes one column of an NCRONTAB expression.
type fieldKind struct {
	name     string // as used in error messages: "second", "minute", ...
	min, max int
	names    []string // full English names, matched by case-insensitive prefix
}

var (
	secondField = fieldKind{name: "second", min: 0, max: 59}
	minuteField = fieldKind{name: "minute", min: 0, max: 59}
	hourField   = fieldKind{name: "hour", min: 0, max: 23}
	dayField    = fieldKind{name: "day", min: 1, max: 31}
	monthField  = fieldKind{name: "month", min: 1, max: 12, names: []string{
		"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"}}
	// Day of week runs 0-6 with Sunday as 0. NCrontab rejects 7, so do we.
	weekdayField = fieldKind{name: "day-of-week", min: 0, max: 6, names: []string{
		"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}}
)

// field is the set of values one column allows, as a bitset (max value 59).
type field uint64

func (f field) has(v int) bool { return v >= 0 && v < 64 && f&(1<<uint(v)) != 0 }

// next returns the smallest value >= v in the set, or -1.
func (f field) next(v int) int {
	for ; v < 64; v++ {
		if f.has(v) {
			return v
		}
	}
	return -1
}

func (f field) count() int {
	n := 0
	for v := 0; v < 64; v++ {
		if f.has(v) {
			n++
		}
	}
	return n
}

// parseField parses one column: "*", "5", "1-5", "*/10", "5/15", "1-30/2",
// names such as "MON-FRI" or "jan", and comma lists of those.
func parseField(k fieldKind, s string) (field, error) {
	var f field
	for _, part := range strings.Split(s, ",") {
		if err := k.addPart(&f, part); err != nil {
			return 0, fmt.Errorf("%s field %q: %w", k.name, s, err)
		}
	}
	return f, nil
}

func (k fieldKind) addPart(f *field, part string) error {
	if part == "" {
		return fmt.Errorf("empty value")
	}
	step, hasStep := 1, false
	if i := strings.IndexByte(part, '/'); i >= 0 {
		if i == 0 {
			return fmt.Errorf("step %q has nothing before the '/'", part)
		}
		n, err := strconv.Atoi(part[i+1:])
		if err != nil || n < 0 {
			return fmt.Errorf("step %q is not a non-negative number", part[i+1:])
		}
		// NCrontab treats a step of 0 as 1.
		step, hasStep = max(n, 1), true
		part = part[:i]
	}
	var lo, hi int
	switch i := strings.IndexByte(part, '-'); {
	case part == "*":
		lo, hi = k.min, k.max
	case i > 0:
		var err error
		if lo, err = k.value(part[:i]); err != nil {
			return err
		}
		if hi, err = k.value(part[i+1:]); err != nil {
			return err
		}
		// NCrontab swaps a reversed range rather than rejecting it.
		if lo > hi {
			lo, hi = hi, lo
		}
	default:
		v, err := k.value(part)
		if err != nil {
			return err
		}
		lo, hi = v, v
		if hasStep { // "5/15" means from 5 to the end, every 15
			hi = k.max
		}
	}
	for v := lo; v <= hi; v += step {
		*f |= 1 << uint(v)
	}
	return nil
}

// value parses a number or a (prefix of a) month or weekday name.
func (k fieldKind) value(s string) (int, error) {
	if s == "" {
		return 0, fmt.Errorf("empty value")
	}
	if s[0] >= '0' && s[0] <= '9' {
		v, err := strconv.Atoi(s)
		if err != nil {
			return 0, fmt.Errorf("%q is not a number", s)
		}
		if v < k.min || v > k.max {
			return 0, fmt.Errorf("%d is outside %d-%d", v, k.min, k.max)
		}
		return v, nil
	}
	if k.names == nil {
		return 0, fmt.Errorf("%q is not a number between %d and %d", s, k.min, k.max)
	}
	for i, name := range k.names {
		if len(s) <= len(name) && strings.EqualFold(name[:len(s)], s) {
			return k.min + i, nil
		}
	}
	return 0, fmt.Errorf("%q is not a known name (use one of %s)", s, strings.Join(k.names, ", "))
}

// format writes the set the way NCrontab's ToString does: "*" for the full
// range, runs of consecutive values as "a-b", the rest comma-separated.
func (k fieldKind) format(f field) string {
	var b strings.Builder
	for v := f.next(k.min); v >= 0 && v <= k.max; {
		last := v
		for f.has(last + 1) {
			last++
		}
		if b.Len() == 0 && v == k.min && last == k.max {
			return "*"
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(v))
		if last > v {
			b.WriteByte('-')
			b.WriteString(strconv.Itoa(last))
		}
		v = f.next(last + 1)
	}
	return b.String()
}
