package cmd

import (
	"context"
	"fmt"
	"time"

	"github.com/funcemu/funcemu/emulator/admin"
	"github.com/funcemu/funcemu/emulator/clock"
	"github.com/funcemu/funcemu/emulator/journal"
)

// setClock picks the runner's clock from --clock before any part uses it:
// the wall clock, or a virtual clock that only moves when told (funcemu
// clock advance), starting at the wall clock's now.
func (r *runner) setClock(context.Context) error {
	switch r.opts.clock {
	case "", "system":
	case "virtual":
		r.clock = clock.NewVirtual(time.Now())
	default:
		return fmt.Errorf("--clock %q: want system or virtual", r.opts.clock)
	}
	return nil
}

// clockKind names the runner's clock for the journal.
func (r *runner) clockKind() string {
	if r.clockMover() != nil {
		return journal.ClockVirtual
	}
	return journal.ClockSystem
}

// clockMover is the virtual clock for the admin API, or nil.
func (r *runner) clockMover() admin.ClockMover {
	if v, ok := r.clock.(*clock.Virtual); ok {
		return v
	}
	return nil
}
