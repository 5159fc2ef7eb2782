package eventgrid

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// retrySchedule is Event Grid's wait after each failed attempt: 10 s,
// 30 s, 1 min, 5 min, 10 min, 30 min, 1 h, then hourly. Azure adds
// jitter; funcemu waits exactly, so a virtual clock can be stepped to
// each attempt.
var retrySchedule = []time.Duration{10 * time.Second, 30 * time.Second, time.Minute,
	5 * time.Minute, 10 * time.Minute, 30 * time.Minute, time.Hour}

// RetryDelay is the wait after the attempt-th failed attempt (1-based).
func RetryDelay(attempt int) time.Duration {
	if attempt-1 < len(retrySchedule) {
		return retrySchedule[max(attempt-1, 0)]
	}
	return time.Hour
}

// Cause is what published an event, for the journal and the UI.
type Cause struct {
	// ParentID is the invocation that wrote the blob or published the
	// event, when one did.
	ParentID string `json:"parentId,omitempty"`
	// Source describes the publication: "PutBlob photos/a.png",
	// "topic orders".
	Source string `json:"source,omitempty"`
}

// Delivery is one attempt at handing an event to a subscription's
// function.
type Delivery struct {
	Subscription string
	Topic        string
	Function     string
	Event        Event // in the subscription's delivery schema
	Attempt      int   // 1 for the first
	Cause        Cause
	PublishTime  time.Time
}

// Target hands a delivery to its function; nil is success (a 2xx from
// the function's webhook).
type Target interface {
	Deliver(ctx context.Context, d *Delivery) error
}

// DeadLetterWriter stores a blob of dead-lettered events in a container
// of the embedded storage account.
type DeadLetterWriter func(ctx context.Context, container, name string, body []byte) error

// BrokerOptions configure a Broker.
type BrokerOptions struct {
	Config     *Config
	Target     Target
	Clock      emulator.Clock     // default emulator.SystemClock
	Publisher  emulator.Publisher // may be nil
	DeadLetter DeadLetterWriter   // nil drops what would be dead-lettered
}

// Broker matches published events against the subscriptions and
// delivers them, retrying failures on Event Grid's schedule by the
// emulator's clock until the subscription's attempts or time-to-live run
// out, then dead-lettering them when the subscription says where.
type Broker struct {
	opts    BrokerOptions
	cfg     atomic.Pointer[Config]
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	pending atomic.Int64
	// inFlight counts deliveries started or running, not those waiting
	// for a retry.
	inFlight atomic.Int64

	mu     sync.Mutex
	timers map[*retry]emulator.Timer
	closed bool
}

type retry struct{ d *Delivery }

// NewBroker returns a running Broker; Close stops it.
func NewBroker(opts BrokerOptions) *Broker {
	if opts.Clock == nil {
		opts.Clock = emulator.SystemClock{}
	}
	b := &Broker{opts: opts, timers: map[*retry]emulator.Timer{}}
	b.ctx, b.cancel = context.WithCancel(context.Background())
	if opts.Config == nil {
		opts.Config = &Config{}
	}
	b.cfg.Store(opts.Config)
	return b
}

// SetConfig switches to reloaded subscriptions; deliveries already
// scheduled keep the subscription they started with.
func (b *Broker) SetConfig(c *Config) { b.cfg.Store(c) }

// Config is the configuration in use.
func (b *Broker) Config() *Config { return b.cfg.Load() }

// Pending counts deliveries running or waiting for a retry.
func (b *Broker) Pending() int { return int(b.pending.Load()) }

// Busy reports whether a delivery is starting or running; retries
// waiting for their time do not count, so funcemu exec can call an app
// with a failing subscriber idle.
func (b *Broker) Busy() bool { return b.inFlight.Load() > 0 }

// Publish starts delivering events published on topic (a local topic's
// name, or StorageTopicName) to each subscription whose filter they pass.
// It returns how many deliveries started; it never blocks on them.
func (b *Broker) Publish(topic string, events []Event, cause Cause) int {
	now := b.opts.Clock.Now()
	n := 0
	cfg := b.cfg.Load()
	for i := range cfg.Subscriptions {
		s := &cfg.Subscriptions[i]
		if !strings.EqualFold(s.Topic, topic) {
			continue
		}
		for _, e := range events {
			if !s.Filter.Matches(e) {
				continue
			}
			n++
			b.start(&Delivery{Subscription: s.Name, Topic: topic, Function: s.Function,
				Event: e.As(s.EventDeliverySchema), Attempt: 1, Cause: cause, PublishTime: now}, s)
		}
	}
	return n
}

func (b *Broker) start(d *Delivery, s *Subscription) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return
	}
	b.pending.Add(1)
	b.inFlight.Add(1)
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		b.attempt(d, *s)
	}()
}

// attempt delivers once and schedules the next attempt on failure. It
// owns one pending count, handed on to the retry it schedules.
func (b *Broker) attempt(d *Delivery, s Subscription) {
	err := b.opts.Target.Deliver(b.ctx, d)
	defer b.inFlight.Add(-1)
	if err == nil || b.ctx.Err() != nil {
		b.pending.Add(-1)
		return
	}
	now := b.opts.Clock.Now()
	delay := RetryDelay(d.Attempt)
	reason := ""
	switch {
	case d.Attempt >= s.MaxAttempts():
		reason = "MaxDeliveryAttemptsExceeded"
	case now.Add(delay).After(d.PublishTime.Add(time.Duration(s.TTLMinutes()) * time.Minute)):
		reason = "TimeToLiveExceeded"
	}
	if reason != "" {
		b.log(emulator.LevelError, d.Function, fmt.Sprintf("Event Grid gave up delivering event %s of subscription %s after %d attempts (%s): %v",
			d.Event.ID(), d.Subscription, d.Attempt, reason, err))
		b.deadLetter(d, &s, reason, now)
		b.pending.Add(-1)
		return
	}
	b.log(emulator.LevelWarning, d.Function, fmt.Sprintf("Event Grid delivery of event %s to subscription %s failed (attempt %d of %d): %v. Next attempt in %s.",
		d.Event.ID(), d.Subscription, d.Attempt, s.MaxAttempts(), err, delay))
	next := *d
	next.Attempt++
	r := &retry{d: &next}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		b.pending.Add(-1)
		return
	}
	b.wg.Add(1)
	b.timers[r] = b.opts.Clock.AfterFunc(delay, func() {
		defer b.wg.Done()
		b.mu.Lock()
		_, live := b.timers[r]
		delete(b.timers, r)
		b.mu.Unlock()
		if live {
			b.inFlight.Add(1)
			b.attempt(r.d, s)
		}
	})
}

// Close stops retries and waits for deliveries in flight.
func (b *Broker) Close() {
	b.mu.Lock()
	b.closed = true
	for r, t := range b.timers {
		if t.Stop() { // else it fired and runs with the canceled context
			b.wg.Done()
			b.pending.Add(-1)
			delete(b.timers, r)
		}
	}
	b.mu.Unlock()
	b.cancel()
	b.wg.Wait()
}

func (b *Broker) log(level emulator.Level, fn, msg string) {
	if b.opts.Publisher == nil {
		return
	}
	b.opts.Publisher.Publish(emulator.Event{Time: b.opts.Clock.Now(), Kind: emulator.EventLog,
		Log: &emulator.LogEntry{Level: level, Category: emulator.CategoryHost, Message: msg, Function: fn}})
}
