package app

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// fields reads typed values out of a flattened tree and reports problems
// as FileErrors naming the file and the dotted field. A value set by an
// AzureFunctionsJobHost__ setting names that setting too.
type fields struct {
	file string
	t    tree
}

func (f fields) fail(field string, l leaf, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if l.source != "" {
		msg += " (set by " + l.source + ")"
	}
	return invalid(f.file, field, "%s", msg)
}

func (f fields) str(field string) (string, bool) {
	l, ok := f.t.get(field)
	return l.value, ok
}

func (f fields) integer(field string, def, min, max int) (int, error) {
	l, ok := f.t.get(field)
	if !ok || l.value == "" {
		return def, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(l.value))
	if err != nil {
		return 0, f.fail(field, l, "%q is not an integer", l.value)
	}
	if n < min || n > max {
		if max == maxInt {
			return 0, f.fail(field, l, "%d is out of range; it must be at least %d", n, min)
		}
		return 0, f.fail(field, l, "%d is out of range; it must be between %d and %d", n, min, max)
	}
	return n, nil
}

func (f fields) boolean(field string, def bool) (bool, error) {
	l, ok := f.t.get(field)
	if !ok || l.value == "" {
		return def, nil
	}
	b, good := jsonBool(l.value)
	if !good {
		return false, f.fail(field, l, "%q is not true or false", l.value)
	}
	return b, nil
}

// duration reads a TimeSpan no shorter than min.
func (f fields) duration(field string, def, min time.Duration) (time.Duration, error) {
	l, ok := f.t.get(field)
	if !ok || l.value == "" {
		return def, nil
	}
	d, err := parseTimeSpan(l.value)
	if err != nil {
		return 0, f.fail(field, l, "%v", err)
	}
	if d < min {
		return 0, f.fail(field, l, "%s is too short; it must be at least %s", l.value, formatTimeSpan(min))
	}
	return d, nil
}

// strings reads an array of strings; ok is false when absent.
func (f fields) strings(field string) ([]string, bool, error) {
	items, ok, bad := f.t.list(field)
	if bad {
		l, _ := f.t.get(field)
		return nil, true, f.fail(field, l, "must be an array of strings")
	}
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.value
	}
	return out, ok, nil
}

// oneOf reads a case-insensitive choice and returns it spelled as in
// choices; def when absent.
func (f fields) oneOf(field, def string, choices ...string) (string, error) {
	l, ok := f.t.get(field)
	if !ok || l.value == "" {
		return def, nil
	}
	for _, c := range choices {
		if strings.EqualFold(strings.TrimSpace(l.value), c) {
			return c, nil
		}
	}
	return "", f.fail(field, l, "%q is not one of %s", l.value, strings.Join(choices, ", "))
}
