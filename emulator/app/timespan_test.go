package app

import (
	"testing"
	"time"
)

func TestParseTimeSpan(t *testing.T) {
	good := []struct {
		in   string
		want time.Duration
	}{
		{"00:05:00", 5 * time.Minute},
		{"01:02:03", time.Hour + 2*time.Minute + 3*time.Second},
		{"00:00:00.5", 500 * time.Millisecond},
		{"00:00:00.1234567", 123456700 * time.Nanosecond},
		{"1.02:00:00", 26 * time.Hour},
		{"1:02:00:00", 26 * time.Hour},
		{"02:30", 2*time.Hour + 30*time.Minute},
		{"3", 72 * time.Hour},
		{" 00:00:10 ", 10 * time.Second},
		{"-00:00:01", -time.Second},
		{"-1", -24 * time.Hour},
	}
	for _, tt := range good {
		got, err := parseTimeSpan(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("parseTimeSpan(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"", "-", "abc", "5m", "00:60:00", "24:00:00", "00:00:60", "00:00:00.", "00:00:00.12345678",
		"1:2:3:4:5", "00:+5:00", "1.5", "99999999999", "106751.00:00:00", "00::00"} {
		if d, err := parseTimeSpan(in); err == nil {
			t.Errorf("parseTimeSpan(%q) = %v, want an error", in, d)
		}
	}
}

func TestFormatTimeSpan(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0:                          "00:00:00",
		100 * time.Millisecond:     "00:00:00.1",
		90 * time.Minute:           "01:30:00",
		26*time.Hour + time.Second: "26:00:01",
	} {
		if got := formatTimeSpan(d); got != want {
			t.Errorf("formatTimeSpan(%v) = %q, want %q", d, got, want)
		}
	}
}
