package odata

import (
	"testing"
	"time"
)

// The hand-written DateTime form must match time.Format's, and the fast
// parse must agree with time.Parse on what it accepts.
func TestDateTimeFastPathsMatchTimePackage(t *testing.T) {
	t.Parallel()
	for _, tm := range []time.Time{
		time.Date(2026, 12, 2, 9, 5, 7, 123456700, time.UTC),
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 999999900, time.UTC),
		time.Date(2024, 2, 29, 12, 0, 0, 100, time.FixedZone("x", 3600)),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		want := tm.UTC().Format(dateTimeLayout)
		if got := FormatDateTime(tm); got != want {
			t.Errorf("FormatDateTime(%v) = %q, want %q", tm, got, want)
		}
		if tm.Year() > 9999 {
			continue
		}
		back, err := ParseDateTime(want)
		if err != nil || !back.Equal(tm.Truncate(100*time.Nanosecond)) {
			t.Errorf("ParseDateTime(%q) = %v, %v", want, back, err)
		}
	}
	for _, bad := range []string{"2023-02-30T00:00:00.0000000Z", "2023-13-01T00:00:00.0000000Z", "2023-01-01T24:00:00.0000000Z", "2023-01-01T00:00:00.00000x0Z"} {
		if _, err := ParseDateTime(bad); err == nil {
			t.Errorf("ParseDateTime(%q) accepted", bad)
		}
	}
}
