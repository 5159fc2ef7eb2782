package triggertest

import (
	"context"
	"sync"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// Queues is an in-memory emulator.QueueStore on a Clock, with the
// notifications of the embedded store.
type Queues struct {
	Clock emulator.Clock

	mu       sync.Mutex
	queues   map[string][]*message
	watchers map[string][]chan struct{}
	receives int
	renewals int
}

type message struct {
	info emulator.QueueMessageInfo
}

// NewQueues returns an empty store on clock.
func NewQueues(clock emulator.Clock) *Queues {
	return &Queues{Clock: clock, queues: map[string][]*message{}, watchers: map[string][]chan struct{}{}}
}

func notFound(what string) error { return emulator.Errorf(emulator.ENOTFOUND, "%s not found", what) }

// CreateQueue creates the queue unless it exists.
func (q *Queues) CreateQueue(_ context.Context, name string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if _, ok := q.queues[name]; !ok {
		q.queues[name] = nil
	}
	return nil
}

// Put adds a message.
func (q *Queues) Put(_ context.Context, name string, m emulator.PutMessage) (*emulator.QueueMessageInfo, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	msgs, ok := q.queues[name]
	if !ok {
		return nil, notFound("queue " + name)
	}
	now := q.Clock.Now()
	ttl := m.TTL
	if ttl == 0 {
		ttl = 7 * 24 * time.Hour
	}
	msg := &message{info: emulator.QueueMessageInfo{
		ID: emulator.NewGUID(), PopReceipt: emulator.NewGUID(), Text: m.Text,
		InsertionTime: now, NextVisibleTime: now.Add(m.Visibility), ParentID: m.ParentID,
	}}
	if ttl > 0 { // a negative TTL never expires: no expiration time
		msg.info.ExpirationTime = now.Add(ttl)
	}
	q.queues[name] = append(msgs, msg)
	if m.Visibility <= 0 {
		q.notifyLocked(name)
	}
	c := msg.info
	return &c, nil
}

// Receive makes up to n visible messages invisible.
func (q *Queues) Receive(_ context.Context, name string, n int, visibility time.Duration) ([]*emulator.QueueMessageInfo, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.receives++
	msgs, ok := q.queues[name]
	if !ok {
		return nil, notFound("queue " + name)
	}
	now := q.Clock.Now()
	var out []*emulator.QueueMessageInfo
	for _, m := range msgs {
		if len(out) == n {
			break
		}
		if m.info.NextVisibleTime.After(now) {
			continue
		}
		m.info.DequeueCount++
		m.info.PopReceipt = emulator.NewGUID()
		m.info.NextVisibleTime = now.Add(visibility)
		c := m.info
		out = append(out, &c)
	}
	return out, nil
}

func (q *Queues) find(name, id, pop string) (int, error) {
	msgs, ok := q.queues[name]
	if !ok {
		return 0, notFound("queue " + name)
	}
	for i, m := range msgs {
		if m.info.ID == id {
			if m.info.PopReceipt != pop {
				return 0, emulator.Errorf(emulator.ECONFLICT, "pop receipt mismatch")
			}
			return i, nil
		}
	}
	return 0, notFound("message " + id)
}

// Delete removes a received message.
func (q *Queues) Delete(_ context.Context, name, id, pop string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	i, err := q.find(name, id, pop)
	if err != nil {
		return err
	}
	q.queues[name] = append(q.queues[name][:i], q.queues[name][i+1:]...)
	return nil
}

// SetVisibility makes a received message visible after d.
func (q *Queues) SetVisibility(_ context.Context, name, id, pop string, d time.Duration) (string, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	i, err := q.find(name, id, pop)
	if err != nil {
		return "", err
	}
	m := q.queues[name][i]
	m.info.NextVisibleTime = q.Clock.Now().Add(d)
	m.info.PopReceipt = emulator.NewGUID()
	if d == receiveVisibility {
		q.renewals++
	}
	if d <= 0 {
		q.notifyLocked(name)
	}
	return m.info.PopReceipt, nil
}

// receiveVisibility is the listener's receive visibility; SetVisibility
// calls with it count as renewals.
const receiveVisibility = 10 * time.Minute

// Count returns the number of messages.
func (q *Queues) Count(_ context.Context, name string) (int, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	msgs, ok := q.queues[name]
	if !ok {
		return 0, notFound("queue " + name)
	}
	return len(msgs), nil
}

// Watch reports possible new visible messages.
func (q *Queues) Watch(name string) (<-chan struct{}, func()) {
	q.mu.Lock()
	defer q.mu.Unlock()
	ch := make(chan struct{}, 1)
	q.watchers[name] = append(q.watchers[name], ch)
	return ch, func() {
		q.mu.Lock()
		defer q.mu.Unlock()
		ws := q.watchers[name]
		for i, w := range ws {
			if w == ch {
				q.watchers[name] = append(ws[:i], ws[i+1:]...)
				return
			}
		}
	}
}

func (q *Queues) notifyLocked(name string) {
	for _, ch := range q.watchers[name] {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// NextVisible returns when the earliest invisible message becomes visible.
func (q *Queues) NextVisible(_ context.Context, name string) (time.Time, bool, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	now := q.Clock.Now()
	var t time.Time
	ok := false
	for _, m := range q.queues[name] {
		if m.info.NextVisibleTime.After(now) && (!ok || m.info.NextVisibleTime.Before(t)) {
			t, ok = m.info.NextVisibleTime, true
		}
	}
	return t, ok, nil
}

// Messages returns copies of a queue's messages, visible or not.
func (q *Queues) Messages(name string) []emulator.QueueMessageInfo {
	q.mu.Lock()
	defer q.mu.Unlock()
	var out []emulator.QueueMessageInfo
	for _, m := range q.queues[name] {
		out = append(out, m.info)
	}
	return out
}

// Exists reports whether the queue was created.
func (q *Queues) Exists(name string) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	_, ok := q.queues[name]
	return ok
}

// Renewals counts SetVisibility calls that extended a message by the
// listener's ten-minute receive visibility.
func (q *Queues) Renewals() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.renewals
}

// Receives counts Receive calls.
func (q *Queues) Receives() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.receives
}
