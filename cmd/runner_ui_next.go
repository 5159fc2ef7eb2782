package cmd

import (
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/schedule"
)

// nextTimerRun is a timer function's next occurrence after t, in the
// app's time zone (WEBSITE_TIME_ZONE, TZ, else local), for the UI.
func (r *runner) nextTimerRun(f *emulator.Function, after time.Time) (time.Time, bool) {
	tr := f.Trigger()
	if tr == nil || tr.Kind() != emulator.BindingTimerTrigger {
		return time.Time{}, false
	}
	s, err := schedule.Parse(tr.Schedule)
	if err != nil {
		return time.Time{}, false
	}
	loc, err := schedule.Location(r.config().Lookup)
	if err != nil {
		return time.Time{}, false
	}
	next := s.Next(after.In(loc))
	return next, !next.IsZero()
}
