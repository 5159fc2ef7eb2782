package host

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/clock"
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

// newFakeClock is a clock whose time moves only when a test advances it.
func newFakeClock() *clock.Virtual {
	return clock.NewVirtual(time.Date(2024, 5, 1, 12, 0, 0, 123456700, time.UTC))
}

// waitTimer waits until the host has armed a timer on c. The deadline only
// bounds a broken test; it asserts nothing timed.
func waitTimer(t *testing.T, c *clock.Virtual) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); c.Pending() == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no timer armed")
		}
	}
}

// newTestHost starts handler as the custom handler and returns a Host for
// app, with its events.
func newTestHost(t *testing.T, app *emulator.App, handler http.HandlerFunc, edit func(*Options)) (*Host, *fakeWorker, <-chan emulator.Event, *clock.Virtual) {
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
