package cmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/app"
	"github.com/funcemu/funcemu/emulator/eventgrid"
	"github.com/funcemu/funcemu/emulator/storage"
	"github.com/funcemu/funcemu/emulator/storage/rest"
	"github.com/funcemu/funcemu/emulator/trigger/blob"
	eventgridtrigger "github.com/funcemu/funcemu/emulator/trigger/eventgrid"
)

// eventGridPart is Event Grid on this machine: the subscriptions, the
// blob events of the embedded storage, the local topics and the
// webhooks.
type eventGridPart struct {
	config  *eventgrid.Config // as loaded at start
	broker  *eventgrid.Broker
	trigger *eventgridtrigger.Trigger
	// topicsURL is where local topics are served, "" when none are.
	topicsURL string
	// backlog counts blob changes not yet published.
	backlog func() int
}

// loadEventGrid reads the subscriptions file (or makes the default
// subscriptions) right after the app, so a mistake in it stops start-up
// before anything runs.
func (r *runner) loadEventGrid(context.Context) error {
	cfg, err := eventgrid.LoadConfig(r.app, eventgrid.ImpliedTopics(r.app, r.config().Lookup))
	if err != nil {
		return err
	}
	r.eventGrid = &eventGridPart{config: cfg}
	return nil
}

// startEventGrid publishes the embedded storage's blob events to the
// subscriptions, serves the local topics and prints what it set up.
func (r *runner) startEventGrid(context.Context) error {
	p := r.eventGrid
	cfg := p.config
	p.trigger = eventgridtrigger.New(eventgridtrigger.Options{App: r.host.App, Invoker: r.host,
		BlobListener: r.eventGridBlobListener, Clock: r.clock, Publisher: r.bus})
	p.broker = eventgrid.NewBroker(eventgrid.BrokerOptions{Config: cfg, Target: p.trigger, Clock: r.clock,
		Publisher: r.bus, DeadLetter: r.deadLetterWriter()})
	r.onClose(p.broker.Close)
	p.backlog = func() int { return 0 }
	if r.store != nil {
		p.backlog = r.publishBlobEvents(p.broker)
	}
	if len(cfg.Topics) > 0 {
		if err := r.serveTopics(p, cfg.TopicPort()); err != nil {
			return err
		}
	}
	r.onAppReload = append(r.onAppReload, func(a *emulator.App) error {
		next, err := eventgrid.LoadConfig(a, eventgrid.ImpliedTopics(a, app.NewConfig(a, r.environ()).Lookup))
		if err != nil {
			r.log(emulator.LevelError, "Event Grid subscriptions not reloaded, the previous ones stay: %v", err)
			return nil
		}
		p.broker.SetConfig(next)
		return nil
	})
	r.printEventGrid(cfg, p.topicsURL)
	if r.idle != nil {
		r.idle.Check = p.idleCheck(r.idle.Check)
	}
	return nil
}

// idleCheck adds Event Grid to funcemu exec's wait for quiet: blob events
// not yet published and deliveries running are work still to do.
func (p *eventGridPart) idleCheck(next func(context.Context) (bool, error)) func(context.Context) (bool, error) {
	return func(ctx context.Context) (bool, error) {
		if p.backlog() > 0 || p.broker.Busy() {
			return false, nil
		}
		if next == nil {
			return true, nil
		}
		return next(ctx)
	}
}

// publishBlobEvents turns the embedded store's committed blob changes
// into the storage account's Event Grid events. It returns how many
// changes wait to be published.
func (r *runner) publishBlobEvents(b *eventgrid.Broker) func() int {
	changes, stop := r.store.SubscribeAllBlobs()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-done:
				return
			case c := <-changes:
				if c.API == "" || c.Account != rest.DevAccountName {
					continue
				}
				e := eventgrid.BlobEvent(eventgrid.BlobChange{Account: c.Account, Container: c.Container, Name: c.Name,
					Deleted: c.Kind == storage.BlobChangeDeleted, API: c.API, ETag: c.ETag, ContentType: c.ContentType,
					ContentLength: c.Size, BlobType: c.BlobType, RequestID: c.RequestID, ClientRequestID: c.ClientRequestID,
					BlobEndpoint: r.endpoints.Blob, Time: r.clock.Now()})
				b.Publish(eventgrid.StorageTopicName, []eventgrid.Event{e},
					eventgrid.Cause{ParentID: c.ParentID, Source: c.API + " " + c.Container + "/" + c.Name})
			}
		}
	}()
	r.onClose(func() {
		stop()
		close(done)
		wg.Wait()
	})
	return func() int { return len(changes) }
}

// serveTopics serves the local topics' publish endpoints.
func (r *runner) serveTopics(p *eventGridPart, port int) error {
	ln, err := net.Listen("tcp", net.JoinHostPort(r.opts.address, strconv.Itoa(port)))
	if err != nil {
		return fmt.Errorf("event grid topics: %w (set \"port\" in %s)", err, eventgrid.ConfigFile)
	}
	srv := &http.Server{Handler: &eventgrid.TopicServer{Broker: p.broker, Clock: r.clock}, ReadHeaderTimeout: 30 * time.Second}
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			r.fail(fmt.Errorf("serve event grid topics: %w", err))
		}
	}()
	r.onClose(func() {
		ctx, cancel := r.closeContext(shutdownGrace)
		defer cancel()
		_ = srv.Shutdown(ctx)
	})
	p.topicsURL = "http://" + net.JoinHostPort(dialHost(r.opts.address), strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
	return nil
}

// eventGridBlobListener is the running listener of an EventGrid-sourced
// blob trigger function.
func (r *runner) eventGridBlobListener(function string) eventgridtrigger.BlobListener {
	fn := r.host.App().Function(function)
	if fn == nil {
		return nil
	}
	if l, ok := r.listenerOf(fn).(*blob.Listener); ok {
		return l
	}
	return nil
}

// deadLetterWriter writes dead-lettered events to the embedded account.
func (r *runner) deadLetterWriter() eventgrid.DeadLetterWriter {
	if r.store == nil {
		return nil
	}
	blobs := r.store.BlobStore(rest.DevAccountName)
	return func(ctx context.Context, container, name string, body []byte) error {
		if err := blobs.CreateContainer(ctx, container); err != nil {
			return err
		}
		_, err := blobs.WriteBlob(ctx, container, name, bytes.NewReader(body), emulator.WriteBlob{ContentType: "application/json"})
		return err
	}
}

// eventGridWebhooks serves /runtime/webhooks/, nil before the step ran.
func (r *runner) eventGridWebhooks() http.Handler {
	if r.eventGrid == nil || r.eventGrid.trigger == nil {
		return nil
	}
	return r.eventGrid.trigger
}

// printEventGrid shows the subscriptions and topics at start.
func (r *runner) printEventGrid(cfg *eventgrid.Config, topicsURL string) {
	if len(cfg.Subscriptions) == 0 && len(cfg.Topics) == 0 {
		return
	}
	var b strings.Builder
	source := eventgrid.ConfigFile
	if cfg.Default {
		source = "default, no " + eventgrid.ConfigFile
	}
	fmt.Fprintf(&b, "Event Grid subscriptions (%s):", source)
	for _, s := range cfg.Subscriptions {
		fmt.Fprintf(&b, "\n  %s: %s -> %s (%s)", s.Name, s.Topic, s.Function, s.EventDeliverySchema)
		if f := s.Filter; f != nil && len(f.IncludedEventTypes) > 0 {
			fmt.Fprintf(&b, " types %s", strings.Join(f.IncludedEventTypes, ","))
		}
		if f := s.Filter; f != nil && f.SubjectBeginsWith != "" {
			fmt.Fprintf(&b, " subject %s*", f.SubjectBeginsWith)
		}
	}
	for _, t := range cfg.Topics {
		fmt.Fprintf(&b, "\n  topic %s: %s/%s/api/events", t.Name, topicsURL, t.Name)
	}
	r.log(emulator.LevelInfo, "%s", b.String())
}
