// Package eventgridtrigger runs functions on Event Grid events: the
// eventGridTrigger (an invocation per event, in the envelope the host
// builds) and blob triggers with "source": "EventGrid" (the event's blob
// handed to the function's blob listener, which keeps receipts and
// poison handling). It serves the host's webhooks,
// /runtime/webhooks/EventGrid and /runtime/webhooks/blobs, and is the
// delivery target of local subscriptions.
package eventgridtrigger

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/eventgrid"
)

// BlobListener is an EventGrid-sourced blob trigger's listener: it runs
// the function on a blob version named by an event.
type BlobListener interface {
	// BlobEvent queues the blob version (etag quoted) and reports whether
	// the blob matches the trigger's path.
	BlobEvent(ctx context.Context, container, name, etag string) bool
}

// Options configure a Trigger.
type Options struct {
	App     func() *emulator.App // the app as loaded now
	Invoker emulator.Invoker
	// BlobListener returns the running listener of an EventGrid-sourced
	// blob trigger function, nil when it has none.
	BlobListener func(function string) BlobListener
	Clock        emulator.Clock     // default emulator.SystemClock
	Publisher    emulator.Publisher // may be nil
}

// Trigger delivers events to functions.
type Trigger struct{ opts Options }

// New returns a Trigger.
func New(opts Options) *Trigger {
	if opts.Clock == nil {
		opts.Clock = emulator.SystemClock{}
	}
	return &Trigger{opts: opts}
}

// Deliver hands one delivery to its function: an eventGridTrigger runs
// once with the event; a blob trigger queues the event's blob. It
// implements eventgrid.Target.
func (t *Trigger) Deliver(ctx context.Context, d *eventgrid.Delivery) error {
	fn := t.opts.App().Function(d.Function)
	if fn == nil {
		return fmt.Errorf("function %s is not loaded", d.Function)
	}
	if fn.Disabled {
		// Its webhook answers 404 on Azure, which Event Grid retries.
		return fmt.Errorf("function %s is disabled", d.Function)
	}
	if eventgrid.IsEventGridBlobTrigger(fn.Trigger()) {
		return t.blobEvent(ctx, fn, d.Event)
	}
	in := &emulator.EventGridInput{Event: d.Event.JSON(), Subscription: d.Subscription, Topic: d.Topic,
		DeliveryCount: d.Attempt, Cause: d.Cause.Source}
	_, err := t.invoke(ctx, fn, d.Event, in, d.Cause.ParentID, false)
	return err
}

// invoke runs an eventGridTrigger function on one event.
func (t *Trigger) invoke(ctx context.Context, fn *emulator.Function, e eventgrid.Event, in *emulator.EventGridInput, parent string, dryRun bool) (*emulator.Result, error) {
	tr := fn.Trigger()
	if tr == nil || tr.Kind() != eventgrid.BindingEventGridTrigger {
		return nil, emulator.Errorf(emulator.EINVALID, "function %s has no eventGridTrigger", fn.Name)
	}
	value, meta := eventgrid.TriggerValues(e)
	return t.opts.Invoker.Invoke(ctx, emulator.InvokeRequest{
		Function: fn.Name,
		Trigger:  emulator.TriggerEventGrid,
		Reason:   eventgrid.TriggerReason(t.opts.Clock.Now()),
		ParentID: parent,
		Data:     map[string]any{tr.Name: value},
		Metadata: meta,
		Input:    &emulator.Input{EventGrid: in},
		DryRun:   dryRun,
	})
}

// blobEvent queues the blob an event names on the function's listener,
// reading the fields the blobs extension reads: data.url, data.eTag
// (quoted on the way) and data.blobType.
func (t *Trigger) blobEvent(ctx context.Context, fn *emulator.Function, e eventgrid.Event) error {
	var data struct {
		URL      string `json:"url"`
		ETag     string `json:"eTag"`
		BlobType string `json:"blobType"`
	}
	if err := json.Unmarshal(e.Data(), &data); err != nil {
		return emulator.Errorf(emulator.EINVALID, "event %s: data is not a blob event's: %v", e.ID(), err)
	}
	switch data.BlobType {
	case "BlockBlob", "PageBlob", "AppendBlob":
	default:
		return emulator.Errorf(emulator.EINVALID, "event %s: data.blobType %q is not BlockBlob, PageBlob or AppendBlob", e.ID(), data.BlobType)
	}
	container, name, err := eventgrid.ParseBlobURL(data.URL)
	if err != nil {
		return emulator.Errorf(emulator.EINVALID, "event %s: %v", e.ID(), err)
	}
	l := t.opts.BlobListener(fn.Name)
	if l == nil {
		t.log(emulator.LevelWarning, fn.Name, fmt.Sprintf("Blob event %s for %s/%s: function %s has no running EventGrid blob listener.", e.ID(), container, name, fn.Name))
		return nil
	}
	l.BlobEvent(ctx, container, name, `"`+strings.Trim(data.ETag, `"`)+`"`)
	return nil
}

// Replay runs an eventGridTrigger function again on a recorded delivery.
func (t *Trigger) Replay(ctx context.Context, function string, in *emulator.EventGridInput, dryRun bool) (*emulator.Result, error) {
	fn := t.opts.App().Function(function)
	if fn == nil {
		return nil, emulator.Errorf(emulator.ENOTFOUND, "function %q not found", function)
	}
	e, err := eventgrid.ParseEvent(in.Event)
	if err != nil {
		return nil, emulator.Errorf(emulator.EINVALID, "replay: the recorded event is not a JSON object: %v", err)
	}
	again := *in
	again.Cause = "replay"
	return t.invoke(ctx, fn, e, &again, "", dryRun)
}

func (t *Trigger) log(level emulator.Level, fn, msg string) {
	if t.opts.Publisher == nil {
		return
	}
	t.opts.Publisher.Publish(emulator.Event{Time: t.opts.Clock.Now(), Kind: emulator.EventLog,
		Log: &emulator.LogEntry{Level: level, Category: emulator.CategoryHost, Message: msg, Function: fn}})
}
