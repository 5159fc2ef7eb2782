package cmd

import (
	"context"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/admin"
)

// trackIdle follows which invocations run, for GET /admin/funcemu/idle and
// funcemu exec's wait for quiet.
func (r *runner) trackIdle() {
	r.idle = admin.NewIdle(emulator.SystemClock{}) // waits are in wall time, also on a virtual clock
	events, unsubscribe := r.bus.Subscribe(4096)
	tracked := make(chan struct{})
	go func() {
		defer close(tracked)
		r.idle.Run(context.Background(), events) // until unsubscribed
	}()
	r.onClose(func() {
		unsubscribe()
		<-tracked
	})
}
