package host

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// fakeWorker hands out leases on an httptest server standing in for the
// handler.
type fakeWorker struct {
	url      string
	recycled atomic.Int32
	released atomic.Int32
}

func (w *fakeWorker) Acquire(ctx context.Context) (Lease, error) {
	return &fakeLease{w: w}, nil
}

type fakeLease struct{ w *fakeWorker }

func (l *fakeLease) URL() string                  { return l.w.url }
func (l *fakeLease) Transport() http.RoundTripper { return http.DefaultTransport }
func (l *fakeLease) Release()                     { l.w.released.Add(1) }
func (l *fakeLease) Recycle(string)               { l.w.recycled.Add(1) }

// fakeClock is a Clock whose time moves only by Advance.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
	added  chan struct{}
}

type fakeTimer struct {
	at      time.Time
	f       func()
	stopped bool
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2024, 5, 1, 12, 0, 0, 123456700, time.UTC), added: make(chan struct{}, 100)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) AfterFunc(d time.Duration, f func()) emulator.Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	c.added <- struct{}{}
	return stopper{c, t}
}

type stopper struct {
	c *fakeClock
	t *fakeTimer
}

func (s stopper) Stop() bool {
	s.c.mu.Lock()
	defer s.c.mu.Unlock()
	was := !s.t.stopped
	s.t.stopped = true
	return was
}

// Advance moves time on and runs the timers that came due.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	var due []*fakeTimer
	for _, t := range c.timers {
		if !t.stopped && !t.at.After(c.now) {
			t.stopped = true
			due = append(due, t)
		}
	}
	c.mu.Unlock()
	for _, t := range due {
		t.f()
	}
}

// newTestHost starts handler as the custom handler and returns a Host for
// app, with its events.
func newTestHost(t *testing.T, app *emulator.App, handler http.HandlerFunc, edit func(*Options)) (*Host, *fakeWorker, <-chan emulator.Event, *fakeClock) {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	w := &fakeWorker{url: srv.URL}
	bus := emulator.NewBus()
	events, cancel := bus.Subscribe(1000)
	t.Cleanup(cancel)
	clock := newFakeClock()
	opts := Options{App: app, Worker: w, Publisher: bus, Clock: clock, CompatBase64Outputs: true}
	if edit != nil {
		edit(&opts)
	}
	return New(opts), w, events, clock
}

func httpApp(bindings ...*emulator.Binding) *emulator.App {
	if len(bindings) == 0 {
		bindings = []*emulator.Binding{
			{Type: "httpTrigger", Direction: "in", Name: "req"},
			{Type: "http", Direction: "out", Name: "res"},
		}
	}
	return &emulator.App{
		Host:      emulator.HostConfig{Version: "2.0", RoutePrefix: "api"},
		Functions: []*emulator.Function{{Name: "Order", Bindings: bindings}},
	}
}

// drain returns the events published so far.
func drain(events <-chan emulator.Event) []emulator.Event {
	var out []emulator.Event
	for {
		select {
		case e := <-events:
			out = append(out, e)
		default:
			return out
		}
	}
}
