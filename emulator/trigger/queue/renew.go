package queue

import (
	"context"
	"sync"

	"github.com/funcemu/funcemu/emulator"
)

// renewal keeps a message invisible while its function runs, as the
// host's visibility timer does: every half of the receive visibility it
// extends the visibility by a full period, which changes the pop receipt.
type renewal struct {
	l       *Listener
	m       *emulator.QueueMessageInfo
	mu      sync.Mutex
	pop     string
	timer   emulator.Timer
	stopped bool
}

func (l *Listener) startRenewal(m *emulator.QueueMessageInfo) *renewal {
	r := &renewal{l: l, m: m, pop: m.PopReceipt}
	r.mu.Lock()
	r.timer = l.opts.Clock.AfterFunc(receiveVisibility/2, r.renew)
	r.mu.Unlock()
	return r
}

func (r *renewal) renew() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), settleTimeout)
	defer cancel()
	pop, err := r.l.opts.Store.SetVisibility(ctx, r.l.queue, r.m.ID, r.pop, receiveVisibility)
	if err != nil {
		r.l.ignoreGone(err)
		return
	}
	r.pop = pop
	r.timer = r.l.opts.Clock.AfterFunc(receiveVisibility/2, r.renew)
}

// stop ends the renewals and returns the current pop receipt.
func (r *renewal) stop() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stopped = true
	if r.timer != nil {
		r.timer.Stop()
	}
	return r.pop
}
