package bindexpr

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DefaultDateTimeFormat is the host's format for DateTime values in binding
// expressions: ISO 8601 with dashes in the time so it is safe in blob names.
const DefaultDateTimeFormat = "yyyy-MM-ddTHH-mm-ssK"

// standardDateTimeFormats are .NET's one-letter DateTime formats for the
// invariant culture, as custom patterns. 'R' and 'U' also convert to UTC.
var standardDateTimeFormats = map[byte]string{
	'd': "MM/dd/yyyy",
	'D': "dddd, dd MMMM yyyy",
	'f': "dddd, dd MMMM yyyy HH:mm",
	'F': "dddd, dd MMMM yyyy HH:mm:ss",
	'g': "MM/dd/yyyy HH:mm",
	'G': "MM/dd/yyyy HH:mm:ss",
	'm': "MMMM dd",
	'M': "MMMM dd",
	'o': "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
	'O': "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
	'r': "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
	'R': "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
	's': "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
	't': "HH:mm",
	'T': "HH:mm:ss",
	'u': "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
	'U': "dddd, dd MMMM yyyy HH:mm:ss",
	'y': "yyyy MMMM",
	'Y': "yyyy MMMM",
}

// FormatDateTime formats t with a .NET DateTime format string, custom
// ("yyyy-MM-dd", "HH'h'mm") or standard ("o", "s", "u"), for the invariant
// culture. K writes "Z" for UTC times and the offset for others.
func FormatDateTime(t time.Time, format string) (string, error) {
	if format == "" {
		format = "G"
	}
	if len(format) == 1 {
		pattern, ok := standardDateTimeFormats[format[0]]
		if !ok {
			return "", fmt.Errorf("date format %q is not a standard format (d, D, f, F, g, G, M, O, R, s, t, T, u, U, Y) and a custom format needs two or more characters", format)
		}
		if format == "R" || format == "r" || format == "U" {
			t = t.UTC()
		}
		format = pattern
	}
	var b strings.Builder
	if err := formatCustom(&b, t, format); err != nil {
		return "", fmt.Errorf("date format %q: %w", format, err)
	}
	return b.String(), nil
}

func formatCustom(b *strings.Builder, t time.Time, format string) error {
	for i := 0; i < len(format); {
		c := format[i]
		n := repeat(format, i)
		switch c {
		case 'y':
			year := t.Year()
			switch n {
			case 1:
				b.WriteString(strconv.Itoa(year % 100))
			case 2:
				pad(b, year%100, 2)
			default:
				pad(b, year, n)
			}
		case 'M':
			writeNamed(b, int(t.Month()), n, t.Month().String())
		case 'd':
			writeNamed(b, t.Day(), n, t.Weekday().String())
		case 'h':
			h := t.Hour() % 12
			if h == 0 {
				h = 12
			}
			pad(b, h, min(n, 2))
		case 'H':
			pad(b, t.Hour(), min(n, 2))
		case 'm':
			pad(b, t.Minute(), min(n, 2))
		case 's':
			pad(b, t.Second(), min(n, 2))
		case 'f', 'F':
			if n > 7 {
				return fmt.Errorf("more than 7 %c characters", c)
			}
			digits := fmt.Sprintf("%07d", t.Nanosecond()/100)[:n]
			if c == 'F' {
				digits = strings.TrimRight(digits, "0")
				if digits == "" {
					// .NET drops the separator before an empty fraction.
					trimTrailingDot(b)
				}
			}
			b.WriteString(digits)
		case 't':
			ampm := "AM"
			if t.Hour() >= 12 {
				ampm = "PM"
			}
			b.WriteString(ampm[:min(n, 2)])
		case 'z':
			writeOffset(b, t, n)
		case 'K':
			n = 1
			if t.Location() == time.UTC {
				b.WriteByte('Z')
			} else {
				writeOffset(b, t, 3)
			}
		case 'g':
			b.WriteString("A.D.")
		case '\'', '"':
			end := strings.IndexByte(format[i+1:], c)
			if end < 0 {
				return fmt.Errorf("no closing %c for the quote at %d", c, i)
			}
			b.WriteString(format[i+1 : i+1+end])
			n = end + 2
		case '\\':
			if i+1 >= len(format) {
				return fmt.Errorf("'\\' at the end has nothing to escape")
			}
			b.WriteByte(format[i+1])
			n = 2
		case '%':
			// "%d" is the one-character custom format "d".
			if i+1 >= len(format) || format[i+1] == '%' {
				return fmt.Errorf("'%%' at %d is not followed by a format character", i)
			}
			n = 1
		default:
			n = 1
			b.WriteByte(c)
		}
		i += n
	}
	return nil
}

// repeat counts how often format[i] repeats from i.
func repeat(format string, i int) int {
	n := 1
	for i+n < len(format) && format[i+n] == format[i] {
		n++
	}
	return n
}

func pad(b *strings.Builder, v, width int) {
	s := strconv.Itoa(v)
	for range width - len(s) {
		b.WriteByte('0')
	}
	b.WriteString(s)
}

// writeNamed writes a month or day: 1 or 2 letters as a number, 3 as the
// abbreviated name, 4 or more as the full name.
func writeNamed(b *strings.Builder, v, n int, name string) {
	switch n {
	case 1, 2:
		pad(b, v, n)
	case 3:
		b.WriteString(name[:3])
	default:
		b.WriteString(name)
	}
}

func writeOffset(b *strings.Builder, t time.Time, n int) {
	_, off := t.Zone()
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	b.WriteByte(sign)
	h, m := off/3600, off%3600/60
	switch n {
	case 1:
		b.WriteString(strconv.Itoa(h))
	case 2:
		pad(b, h, 2)
	default:
		pad(b, h, 2)
		b.WriteByte(':')
		pad(b, m, 2)
	}
}

func trimTrailingDot(b *strings.Builder) {
	s := b.String()
	if strings.HasSuffix(s, ".") {
		b.Reset()
		b.WriteString(s[:len(s)-1])
	}
}
