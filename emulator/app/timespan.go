package app

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// parseTimeSpan parses .NET TimeSpan text as the host's configuration
// binder does: "d", "[d.]hh:mm[:ss[.fffffff]]" or "d:hh:mm:ss[.fffffff]",
// with an optional leading '-'.
func parseTimeSpan(s string) (time.Duration, error) {
	bad := func() (time.Duration, error) {
		return 0, fmt.Errorf("%q is not a time span; use hh:mm:ss, e.g. \"00:05:00\"", s)
	}
	t := strings.TrimSpace(s)
	neg := strings.HasPrefix(t, "-")
	t = strings.TrimPrefix(t, "-")
	if t == "" {
		return bad()
	}
	var days, hours, minutes, seconds int64
	var frac time.Duration
	parts := strings.Split(t, ":")
	num := func(p string, max int64) (int64, bool) {
		if p == "" || len(p) > 10 || strings.Trim(p, "0123456789") != "" {
			return 0, false
		}
		n, err := strconv.ParseInt(p, 10, 64)
		return n, err == nil && n <= max
	}
	var ok bool
	switch len(parts) {
	case 1:
		if days, ok = num(parts[0], math.MaxInt32); !ok {
			return bad()
		}
	case 2, 3, 4:
		first := parts[0]
		if len(parts) == 4 {
			if days, ok = num(first, math.MaxInt32); !ok {
				return bad()
			}
			parts = parts[1:]
		} else if d, h, cut := strings.Cut(first, "."); cut {
			if days, ok = num(d, math.MaxInt32); !ok {
				return bad()
			}
			parts[0] = h
		}
		if hours, ok = num(parts[0], 23); !ok {
			return bad()
		}
		if minutes, ok = num(parts[1], 59); !ok {
			return bad()
		}
		if len(parts) == 3 {
			sec, fraction, hasFrac := strings.Cut(parts[2], ".")
			if seconds, ok = num(sec, 59); !ok {
				return bad()
			}
			if hasFrac {
				if len(fraction) == 0 || len(fraction) > 7 || strings.Trim(fraction, "0123456789") != "" {
					return bad()
				}
				f, _ := strconv.ParseInt((fraction + "0000000")[:7], 10, 64)
				frac = time.Duration(f) * 100 // ticks of 100ns
			}
		}
	default:
		return bad()
	}
	const maxDays = int64(math.MaxInt64 / int64(24*time.Hour))
	if days >= maxDays {
		return 0, fmt.Errorf("%q is too long a time span", s)
	}
	d := time.Duration(days)*24*time.Hour + time.Duration(hours)*time.Hour +
		time.Duration(minutes)*time.Minute + time.Duration(seconds)*time.Second + frac
	if neg {
		d = -d
	}
	return d, nil
}

// formatTimeSpan prints d as hh:mm:ss for messages.
func formatTimeSpan(d time.Duration) string {
	h := int64(d / time.Hour)
	m := int64(d/time.Minute) % 60
	s := int64(d/time.Second) % 60
	out := fmt.Sprintf("%02d:%02d:%02d", h, m, s)
	if rest := d % time.Second; rest != 0 {
		out += strings.TrimRight(fmt.Sprintf(".%07d", rest/100), "0")
	}
	return out
}
