// Package schedule parses timer trigger schedules the way the Azure
// Functions host does (NCRONTAB with or without seconds, or a TimeSpan)
// and computes their occurrences, daylight-saving transitions included.
package schedule

import (
	"fmt"
	"strings"
	"time"
)

// Schedule says when a timer fires.
type Schedule interface {
	// Next returns the first occurrence strictly after `after`, in after's
	// location (the schedule's time zone), or the zero time if none.
	Next(after time.Time) time.Time
	// String is the host's description, as in its startup log lines.
	String() string
}

// Parse reads a timerTrigger schedule: a six-field NCRONTAB expression
// ("0 */5 * * * *"), a five-field one without seconds ("*/5 * * * *") or a
// TimeSpan ("00:05:00", "1.00:00:00"). %Setting% references must already
// be resolved.
func Parse(expr string) (Schedule, error) {
	if strings.TrimSpace(expr) == "" {
		return nil, fmt.Errorf("schedule expression is empty")
	}
	c, cronErr := parseCron(expr)
	if cronErr == nil {
		return c, nil
	}
	d, spanErr := parseTimeSpan(expr)
	if spanErr == nil {
		if d <= 0 {
			return nil, fmt.Errorf("schedule expression '%s': timespan must be longer than zero", expr)
		}
		return Constant{Interval: d}, nil
	}
	// Report the error of the form the expression most looks like.
	detail := cronErr
	if len(strings.Fields(expr)) == 1 {
		detail = spanErr
	}
	return nil, fmt.Errorf("schedule expression '%s' was not recognized as a valid cron expression or timespan string: %w", expr, detail)
}

// NextN returns up to n occurrences after `after`, fewer if the schedule
// stops firing.
func NextN(s Schedule, after time.Time, n int) []time.Time {
	var out []time.Time
	for range n {
		next := s.Next(after)
		if next.IsZero() {
			break
		}
		out = append(out, next)
		after = next
	}
	return out
}

// MonitorDisabled reports whether the host switches schedule monitoring
// (useMonitor) off for s because it fires more than once a minute: a
// TimeSpan under one minute, or a cron expression whose only restriction
// is several seconds in every minute ("*/10 * * * * *").
func MonitorDisabled(s Schedule) bool {
	switch s := s.(type) {
	case Constant:
		return s.Interval < time.Minute
	case *Cron:
		return s.firesMoreThanOncePerMinute()
	}
	return false
}
