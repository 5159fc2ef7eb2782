package schedule

import (
	"strings"
	"testing"
	"time"
)

func mustParse(t *testing.T, expr string) Schedule {
	t.Helper()
	s, err := Parse(expr)
	if err != nil {
		t.Fatalf("Parse(%q): %v", expr, err)
	}
	return s
}

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return loc
}

func TestParseExpands(t *testing.T) {
	tests := []struct {
		expr, want string
	}{
		{"0 */5 * * * *", "Cron: '0 0,5,10,15,20,25,30,35,40,45,50,55 * * * *'"},
		{"*/5 * * * *", "Cron: '0,5,10,15,20,25,30,35,40,45,50,55 * * * *'"},
		{"0 30 9 * * 1-5", "Cron: '0 30 9 * * 1-5'"},
		{"0 30 9 * * MON-FRI", "Cron: '0 30 9 * * 1-5'"},
		{"0 30 9 * * mon,wednesday,Fri", "Cron: '0 30 9 * * 1,3,5'"},
		{"0 0 0 1 jan,Jul *", "Cron: '0 0 0 1 1,7 *'"},
		{"0 0 0 1 M *", "Cron: '0 0 0 1 3 *'"},        // name prefix: first month starting with M
		{"0 5-2 * * * *", "Cron: '0 2-5 * * * *'"},    // reversed range swapped, as NCrontab does
		{"0 50/5 * * * *", "Cron: '0 50,55 * * * *'"}, // value/step runs to the end
		{"0 1-10/3 * * * *", "Cron: '0 1,4,7,10 * * * *'"},
		{"0 */0 * * * *", "Cron: '0 * * * * *'"}, // step 0 means 1
		{"  0   0  *  * * *  ", "Cron: '0 0 * * * *'"},
		{"0 0 */2 * * 0", "Cron: '0 0 0,2,4,6,8,10,12,14,16,18,20,22 * * 0'"},
		{"00:05:00", "Constant: 00:05:00"},
		{"1.00:00:00", "Constant: 1.00:00:00"},
		{"00:00:10", "Constant: 00:00:10"},
		{"01:30", "Constant: 01:30:00"},
		{"2", "Constant: 2.00:00:00"},
		{"00:00:01.5", "Constant: 00:00:01.5000000"},
	}
	for _, tt := range tests {
		if got := mustParse(t, tt.expr).String(); got != tt.want {
			t.Errorf("Parse(%q).String() = %q, want %q", tt.expr, got, tt.want)
		}
	}
}

func TestParseErrorsNameTheField(t *testing.T) {
	tests := []struct {
		expr string
		want []string
	}{
		{"0 61 * * * *", []string{"'0 61 * * * *'", "minute field", "61"}},
		{"60 * * * * *", []string{"second field"}},
		{"0 0 24 * * *", []string{"hour field"}},
		{"0 0 0 0 * *", []string{"day field"}},
		{"0 0 0 32 * *", []string{"day field"}},
		{"0 0 0 * 13 *", []string{"month field"}},
		{"0 0 0 * Foo *", []string{"month field", "not a known name"}},
		{"0 0 0 * * 7", []string{"day-of-week field", "0-6"}},
		{"0 0 0 * * SAT-XYZ", []string{"day-of-week field"}},
		{"0 1,,2 * * * *", []string{"minute field", "empty"}},
		{"0 /5 * * * *", []string{"minute field"}},
		{"0 5/x * * * *", []string{"minute field", "step"}},
		{"0 5- * * * *", []string{"minute field", "empty"}},
		{"0 * * * *  * *", []string{"7 fields"}},
		{"* * * *", []string{"4 fields"}},
		{"", []string{"empty"}},
		{"25:00:00", []string{"timespan hours"}},
		{"00:60:00", []string{"timespan minutes"}},
		{"-00:05:00", []string{"negative"}},
		{"00:00:00", []string{"longer than zero"}},
		{"abc", []string{"not a number"}},
	}
	for _, tt := range tests {
		_, err := Parse(tt.expr)
		if err == nil {
			t.Errorf("Parse(%q) succeeded, want error", tt.expr)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("Parse(%q) error %q does not mention %q", tt.expr, err, w)
			}
		}
	}
}

func TestTimeSpanForms(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"00:05:00", 5 * time.Minute},
		{"1.02:03:04", 26*time.Hour + 3*time.Minute + 4*time.Second},
		{"10:30", 10*time.Hour + 30*time.Minute},
		{"7", 7 * 24 * time.Hour},
		{" 00:00:30 ", 30 * time.Second},
		{"00:00:00.25", 250 * time.Millisecond},
		{"00:00:00.0000001", 100 * time.Nanosecond},
	}
	for _, tt := range tests {
		got, err := parseTimeSpan(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("parseTimeSpan(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestCronNextUTC(t *testing.T) {
	utc := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		name, expr, after string
		want              []string
	}{
		{"every five minutes", "0 */5 * * * *", "2026-05-01T11:57:30Z",
			[]string{"2026-05-01T12:00:00Z", "2026-05-01T12:05:00Z", "2026-05-01T12:10:00Z"}},
		{"on the occurrence is after, not at", "0 */5 * * * *", "2026-05-01T12:00:00Z",
			[]string{"2026-05-01T12:05:00Z"}},
		{"sub-second base", "* * * * * *", "2026-05-01T12:00:00.9Z",
			[]string{"2026-05-01T12:00:01Z", "2026-05-01T12:00:02Z"}},
		{"every ten seconds", "*/10 * * * * *", "2026-05-01T12:00:55Z",
			[]string{"2026-05-01T12:01:00Z", "2026-05-01T12:01:10Z"}},
		{"five fields have second zero", "30 9 * * *", "2026-05-01T09:30:00Z",
			[]string{"2026-05-02T09:30:00Z", "2026-05-03T09:30:00Z"}},
		{"weekdays at 9:30", "0 30 9 * * 1-5", "2026-05-01T10:00:00Z", // a Friday
			[]string{"2026-05-04T09:30:00Z", "2026-05-05T09:30:00Z"}},
		{"day and weekday must both match", "0 0 0 13 * 5", "2026-01-01T00:00:00Z",
			[]string{"2026-02-13T00:00:00Z", "2026-03-13T00:00:00Z", "2026-11-13T00:00:00Z"}},
		{"31st skips short months", "0 0 0 31 * *", "2026-01-31T00:00:00Z",
			[]string{"2026-03-31T00:00:00Z", "2026-05-31T00:00:00Z"}},
		{"leap day", "0 0 0 29 2 *", "2026-01-01T00:00:00Z",
			[]string{"2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z"}},
		{"year rollover", "0 0 0 1 1 *", "2026-12-31T23:59:59Z",
			[]string{"2027-01-01T00:00:00Z"}},
		{"never fires", "0 0 0 30 2 *", "2026-01-01T00:00:00Z", nil},
		{"last second of the day", "59 59 23 * * *", "2026-05-01T23:59:59Z",
			[]string{"2026-05-02T23:59:59Z"}},
		{"hour list wraps to the next day", "0 0 8,17 * * *", "2026-05-01T17:00:00Z",
			[]string{"2026-05-02T08:00:00Z", "2026-05-02T17:00:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NextN(mustParse(t, tt.expr), utc(tt.after), len(tt.want)+1)
			if tt.want == nil {
				if len(got) != 0 {
					t.Fatalf("got %v, want no occurrence", got)
				}
				return
			}
			for i, w := range tt.want {
				if !got[i].Equal(utc(w)) {
					t.Fatalf("occurrence %d = %s, want %s (all: %v)", i, got[i].Format(time.RFC3339), w, got)
				}
			}
		})
	}
}

// TestCronNextMatchesBruteForce checks Next against a minute-by-minute scan.
func TestCronNextMatchesBruteForce(t *testing.T) {
	exprs := []string{"*/7 * * * *", "15 3,15 * * 1-5", "0 0 1-7 * 1", "45 23 28-31 * *", "0 12 * JAN,FEB sun", "*/20 5-6 10 * *"}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	end := start.Add(90 * 24 * time.Hour)
	for _, expr := range exprs {
		c, err := parseCron(expr)
		if err != nil {
			t.Fatal(err)
		}
		next := c.Next(start)
		for m := start.Add(time.Minute); m.Before(end); m = m.Add(time.Minute) {
			matches := c.minutes.has(m.Minute()) && c.hours.has(m.Hour()) && c.days.has(m.Day()) &&
				c.months.has(int(m.Month())) && c.weekdays.has(int(m.Weekday()))
			if !matches {
				continue
			}
			if !next.Equal(m) {
				t.Fatalf("%q: Next gave %s, scan found %s", expr, next, m)
			}
			next = c.Next(next)
		}
	}
}

func TestCronNextAcrossDaylightSaving(t *testing.T) {
	ny := mustLoad(t, "America/New_York") // 2026: spring forward Mar 8 02:00, fall back Nov 1 02:00
	at := func(s string) time.Time {
		tm, err := time.Parse("2006-01-02T15:04:05-07:00", s)
		if err != nil {
			t.Fatal(err)
		}
		return tm.In(ny)
	}
	tests := []struct {
		name, expr, after string
		want              []string
	}{
		{"daily time in the spring gap runs an hour later on the wall", "0 30 2 * * *", "2026-03-07T03:00:00-05:00",
			[]string{"2026-03-08T03:30:00-04:00", "2026-03-09T02:30:00-04:00"}},
		{"interval skips the missing hour", "0 */30 * * * *", "2026-03-08T01:00:00-05:00",
			[]string{"2026-03-08T01:30:00-05:00", "2026-03-08T03:00:00-04:00", "2026-03-08T03:30:00-04:00"}},
		{"interval runs both passes of the repeated hour", "0 */30 * * * *", "2026-11-01T00:30:00-04:00",
			[]string{"2026-11-01T01:00:00-04:00", "2026-11-01T01:30:00-04:00", "2026-11-01T01:00:00-05:00",
				"2026-11-01T01:30:00-05:00", "2026-11-01T02:00:00-05:00"}},
		{"hourly interval in the repeated hour", "0 0 * * * *", "2026-11-01T00:00:00-04:00",
			[]string{"2026-11-01T01:00:00-04:00", "2026-11-01T01:00:00-05:00", "2026-11-01T02:00:00-05:00"}},
		{"point in time runs once in the repeated hour", "0 30 1 * * *", "2026-10-31T01:30:00-04:00",
			[]string{"2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"}},
		{"point in time started in the second pass waits a day", "0 30 1 * * *", "2026-11-01T01:29:00-05:00",
			[]string{"2026-11-02T01:30:00-05:00"}},
		{"several points in the repeated hour run in the first pass only", "0 0,40 1 * * *", "2026-11-01T00:50:00-04:00",
			[]string{"2026-11-01T01:00:00-04:00", "2026-11-01T01:40:00-04:00", "2026-11-02T01:00:00-05:00"}},
		{"rare schedule across many transitions", "0 0 0 29 2 1", "2026-01-01T00:00:00-05:00",
			[]string{"2044-02-29T00:00:00-05:00"}},
		{"plain days keep their offset", "0 0 12 * * *", "2026-07-01T13:00:00-04:00",
			[]string{"2026-07-02T12:00:00-04:00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NextN(mustParse(t, tt.expr), at(tt.after), len(tt.want))
			if len(got) != len(tt.want) {
				t.Fatalf("got %d occurrences %v, want %d", len(got), got, len(tt.want))
			}
			for i, w := range tt.want {
				if !got[i].Equal(at(w)) {
					t.Fatalf("occurrence %d = %s, want %s", i, got[i].Format(time.RFC3339), w)
				}
				if got[i].Location() != ny {
					t.Fatalf("occurrence %d in %v, want the schedule's zone", i, got[i].Location())
				}
			}
		})
	}
}

func TestConstantNextIgnoresDaylightSaving(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	s := mustParse(t, "01:00:00")
	after := time.Date(2026, 3, 8, 1, 30, 0, 0, ny)
	got := s.Next(after)
	if got.Sub(after) != time.Hour {
		t.Fatalf("Next is %v after, want exactly 1h", got.Sub(after))
	}
	if got.Hour() != 3 || got.Minute() != 30 {
		t.Fatalf("Next wall time = %s, want 03:30 (one real hour across the gap)", got)
	}
}

func TestIsInterval(t *testing.T) {
	tests := []struct {
		expr string
		want bool
	}{
		{"0 */30 * * * *", true}, // hours "*"
		{"0 30 1 * * *", false},
		{"0 0,30 1 * * *", false},
		{"0 0-10 1 * * *", true},
		{"0 0,1 1 * * *", true}, // expands to the range 0-1
		{"30 1 * * *", false},   // five fields: minutes and hours only
		{"30 * * * *", true},
	}
	for _, tt := range tests {
		c, err := parseCron(tt.expr)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.IsInterval(); got != tt.want {
			t.Errorf("IsInterval(%q) = %v, want %v", tt.expr, got, tt.want)
		}
	}
}

func TestMonitorDisabled(t *testing.T) {
	tests := []struct {
		expr string
		want bool
	}{
		{"*/10 * * * * *", true},
		{"0,30 * * * * *", true},
		{"0 * * * * *", false},
		{"* * * * *", false},
		{"*/10 * 5 * * *", false},
		{"0 */5 * * * *", false},
		{"00:00:30", true},
		{"00:01:00", false},
		{"1.00:00:00", false},
	}
	for _, tt := range tests {
		if got := MonitorDisabled(mustParse(t, tt.expr)); got != tt.want {
			t.Errorf("MonitorDisabled(%q) = %v, want %v", tt.expr, got, tt.want)
		}
	}
}

func TestLocation(t *testing.T) {
	tests := []struct {
		name     string
		settings map[string]string
		want     string
		wantErr  string
	}{
		{"nothing set", nil, time.Local.String(), ""},
		{"windows name", map[string]string{"WEBSITE_TIME_ZONE": "W. Europe Standard Time"}, "Europe/Berlin", ""},
		{"windows name any case", map[string]string{"WEBSITE_TIME_ZONE": "eastern standard time"}, "America/New_York", ""},
		{"iana name", map[string]string{"WEBSITE_TIME_ZONE": "Asia/Tokyo"}, "Asia/Tokyo", ""},
		{"website wins over TZ", map[string]string{"WEBSITE_TIME_ZONE": "UTC", "TZ": "Asia/Tokyo"}, "UTC", ""},
		{"TZ", map[string]string{"TZ": "Europe/Paris"}, "Europe/Paris", ""},
		{"TZ with colon", map[string]string{"TZ": ":Europe/Paris"}, "Europe/Paris", ""},
		{"empty values ignored", map[string]string{"WEBSITE_TIME_ZONE": " ", "TZ": "Europe/Paris"}, "Europe/Paris", ""},
		{"unknown", map[string]string{"WEBSITE_TIME_ZONE": "Mars Standard Time"}, "", "setting WEBSITE_TIME_ZONE"},
		{"unknown TZ", map[string]string{"TZ": "Nowhere/Land"}, "", "setting TZ"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc, err := Location(func(k string) (string, bool) { v, ok := tt.settings[k]; return v, ok })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want mention of %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || loc.String() != tt.want {
				t.Fatalf("Location = %v, %v; want %s", loc, err, tt.want)
			}
		})
	}
}

func TestWindowsZonesAllLoad(t *testing.T) {
	for win, iana := range windowsZones {
		if _, err := time.LoadLocation(iana); err != nil {
			t.Errorf("%q maps to %q, which does not load: %v", win, iana, err)
		}
	}
}
