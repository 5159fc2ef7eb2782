package timer

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/funcemu/funcemu/emulator/schedule"
)

// Trigger detail keys and values the host logs for unscheduled runs.
const (
	DetailUnscheduledReason = "UnscheduledInvocationReason"
	DetailOriginalSchedule  = "OriginalSchedule"
	ReasonPastDue           = "IsPastDue"
	ReasonRunOnStartup      = "RunOnStartup"
)

// roundTripLayout is .NET's "o" format for local times.
const roundTripLayout = "2006-01-02T15:04:05.0000000-07:00"

// Reason is the invocation reason the host gives a timer run:
// "Timer fired at 2024-05-01T12:00:00.0012345+02:00".
func Reason(firedAt time.Time) string {
	return "Timer fired at " + firedAt.Format(roundTripLayout)
}

// timerInfo is the TimerInfo object the handler receives as Data.<name>.
type timerInfo struct {
	Schedule struct {
		AdjustForDST bool
	}
	ScheduleStatus *Status // null when schedule monitoring is off
	IsPastDue      bool
}

// TimerInfo returns the JSON the handler receives for a timer trigger:
// {"Schedule":{"AdjustForDST":true},"ScheduleStatus":{...}|null,"IsPastDue":false}.
// AdjustForDST is true for cron schedules and false for TimeSpans, as the
// host's schedule types report it.
func TimerInfo(s schedule.Schedule, status *Status, isPastDue bool) json.RawMessage {
	var info timerInfo
	_, constant := s.(schedule.Constant)
	info.Schedule.AdjustForDST = !constant
	info.ScheduleStatus = status
	info.IsPastDue = isPastDue
	b, err := json.Marshal(info)
	if err != nil {
		panic("timer: TimerInfo does not marshal: " + err.Error()) // only strings and bools inside
	}
	return b
}

// occurrencesLayout is the host's format for the start-up list of next
// occurrences ("MM'/'dd'/'yyyy HH':'mm':'ssK").
const occurrencesLayout = "01/02/2006 15:04:05"

// nextOccurrencesMessage is the host's start-up line listing the next five
// occurrences, each in the schedule's zone and, unless that is UTC, in UTC.
func nextOccurrencesMessage(function string, s schedule.Schedule, now time.Time) string {
	var b strings.Builder
	b.WriteString("The next 5 occurrences of the '" + function + "' schedule (" + s.String() + ") will be:")
	isUTC := hasUTCRules(now.Location())
	for _, t := range schedule.NextN(s, now, 5) {
		b.WriteString("\n")
		u := t.UTC().Format(occurrencesLayout) + "Z"
		if isUTC {
			b.WriteString(u)
			continue
		}
		b.WriteString(t.Format(occurrencesLayout) + t.Format("-07:00") + " (" + u + ")")
	}
	return b.String()
}

// hasUTCRules reports whether loc never leaves offset zero.
func hasUTCRules(loc *time.Location) bool {
	for _, month := range []time.Month{time.January, time.July} {
		if _, off := time.Date(2001, month, 1, 0, 0, 0, 0, loc).Zone(); off != 0 {
			return false
		}
	}
	return true
}
