// Package blob is the blob trigger: it finds new and changed blobs of a
// container that match the trigger path, records a receipt per blob
// version (ETag) as the host does so each version runs once, even across
// restarts, and invokes the function, moving blobs that keep failing to
// the webjobs-blobtrigger-poison queue. It scans the container at start
// for blobs written while funcemu was stopped and then reacts to the
// store's change notifications instead of the host's 10-second scans.
package blob

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/bindexpr"
	"github.com/funcemu/funcemu/emulator/poll"
)

// Options configure a Listener.
type Options struct {
	Function *emulator.Function
	App      *emulator.App       // host.json's extensions.blobs and queues
	Blobs    emulator.BlobStore  // the account of the trigger's connection
	Queues   emulator.QueueStore // the same account, for the poison queue
	// Receipts holds the receipts (azure-webjobs-hosts); default Blobs.
	Receipts  emulator.BlobStore
	Invoker   emulator.Invoker
	Clock     emulator.Clock     // default emulator.SystemClock
	Publisher emulator.Publisher // may be nil
	// HostID names the host in receipt paths; it must stay the same
	// across restarts for receipts to be found again.
	HostID  string
	Account string // recorded on invocation inputs
	// BlobEndpoint is the account's blob URL (http://127.0.0.1:10000/
	// devstoreaccount1), for the Uri binding data; may be empty.
	BlobEndpoint string
	// Setting is the connection setting of the trigger, named in
	// storage error logs; default the binding's connection.
	Setting string
}

// Listener runs one blob-triggered function.
type Listener struct {
	opts      Options
	trigger   *emulator.Binding
	pattern   *bindexpr.Pattern
	prefix    string // the blob name prefix the pattern needs
	threshold int

	report *poll.Reporter

	cancel context.CancelFunc
	wg     sync.WaitGroup
	slots  chan struct{} // bounds parallel invocations

	mu      sync.Mutex
	pending map[string]bool // "name\x00etag" queued or running
	// done holds the last version (ETag) finished per blob name, so a
	// notification that repeats a scanned version is not run again.
	done map[string]string
	// receiptsReady is set once the receipts container is known to exist.
	receiptsReady atomic.Bool
	// ctx is the running listener's context, for BlobEvent.
	ctx context.Context
}

// NewListener checks opts and applies defaults. The function must have a
// blobTrigger binding with a valid path.
func NewListener(opts Options) (*Listener, error) {
	if opts.Function == nil || opts.App == nil || opts.Blobs == nil || opts.Queues == nil || opts.Invoker == nil {
		return nil, errors.New("blob listener: Function, App, Blobs, Queues and Invoker are required")
	}
	t := opts.Function.Trigger()
	if t == nil || t.Kind() != emulator.BindingBlobTrigger {
		return nil, fmt.Errorf("blob listener: function %s has no blobTrigger binding", opts.Function.Name)
	}
	if opts.HostID == "" {
		return nil, fmt.Errorf("blob listener: function %s: HostID is required for blob receipts", opts.Function.Name)
	}
	p, err := bindexpr.ParsePattern(t.Path)
	if err != nil {
		return nil, fmt.Errorf("function %s: binding %q: path: %w", opts.Function.Name, t.Name, err)
	}
	if opts.Clock == nil {
		opts.Clock = emulator.SystemClock{}
	}
	if opts.Receipts == nil {
		opts.Receipts = opts.Blobs
	}
	parallel := opts.App.Host.Blobs.MaxDegreeOfParallelism
	if parallel <= 0 {
		parallel = 8
	}
	threshold := opts.App.Host.Blobs.PoisonBlobThreshold
	if threshold <= 0 {
		threshold = 5
	}
	setting := opts.Setting
	if setting == "" {
		setting = t.Connection
	}
	if setting == "" {
		setting = "AzureWebJobsStorage"
	}
	return &Listener{
		opts: opts, trigger: t, pattern: p, prefix: namePrefix(t.Path),
		report:    &poll.Reporter{Function: opts.Function.Name, Setting: setting},
		threshold: threshold,
		slots:     make(chan struct{}, parallel),
		pending:   map[string]bool{},
		done:      map[string]string{},
	}, nil
}

// namePrefix is the literal start of the blob part of a trigger path,
// up to its first {capture}, to narrow container listings.
func namePrefix(path string) string {
	_, blob, _ := strings.Cut(path, "/")
	if i := strings.Index(blob, "{"); i >= 0 {
		blob = blob[:i]
	}
	return strings.ReplaceAll(blob, "}}", "}")
}

// Container is the container the listener watches.
func (l *Listener) Container() string { return l.pattern.Container() }

// Function is the name of the function the listener triggers.
func (l *Listener) Function() string { return l.opts.Function.Name }

// Start scans the container for blobs not yet processed and then follows
// its changes. A disabled function gets no listener: Start logs so.
func (l *Listener) Start(ctx context.Context) error {
	if l.opts.Function.Disabled {
		l.log(emulator.LevelInfo, fmt.Sprintf("Function 'Functions.%s' is disabled", l.opts.Function.Name))
		return nil
	}
	ctx, l.cancel = context.WithCancel(ctx)
	if l.eventGrid() {
		l.mu.Lock()
		l.ctx = ctx
		l.mu.Unlock()
		return nil // driven by BlobEvent: no scan, no watch
	}
	watch, stop := l.opts.Blobs.Watch(l.Container())
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		defer stop()
		l.run(ctx, watch)
	}()
	return nil
}

// Close stops the listener, cancels running invocations and waits.
func (l *Listener) Close() error {
	if l.cancel != nil {
		l.cancel()
	}
	l.wg.Wait()
	return nil
}

// run scans once, then dispatches each notified change. A notification
// channel found full may have dropped changes, so once it drains the
// container is scanned again; receipts keep that from running a blob
// twice. Without notifications it scans as the host does (see poll).
func (l *Listener) run(ctx context.Context, watch <-chan emulator.BlobChange) {
	if watch == nil {
		l.poll(ctx)
		return
	}
	l.scan(ctx)
	rescan := false
	for {
		select {
		case <-ctx.Done():
			return
		case c, ok := <-watch:
			if !ok {
				l.poll(ctx)
				return
			}
			if len(watch) == cap(watch)-1 {
				rescan = true
			}
			l.candidate(ctx, c.Name, c.ETag, true)
			if rescan && len(watch) == 0 {
				rescan = false
				l.scan(ctx)
			}
		}
	}
}

// poll is the host's container scan for stores that cannot notify:
// every poll.ScanInterval on the clock, the blobs modified since the
// saved cursor are candidates.
func (l *Listener) poll(ctx context.Context) {
	account := l.opts.Account
	if account == "" {
		account = "devstoreaccount1"
	}
	scanner := &poll.ContainerScan{Blobs: l.opts.Blobs, Hosts: l.opts.Receipts, HostID: l.opts.HostID,
		Account: account, Container: l.Container()}
	for {
		blobs, err := scanner.Scan(ctx)
		if ctx.Err() != nil {
			return
		}
		l.reportScan(err)
		for _, b := range blobs {
			l.candidate(ctx, b.Name, b.ETag, false)
		}
		tick := make(chan struct{})
		t := l.opts.Clock.AfterFunc(poll.ScanInterval, func() { close(tick) })
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-tick:
		}
	}
}

// scan lists the container and dispatches every matching blob. The
// function's receipts are listed once beside it, so a container of many
// blobs done before costs two listings, not a receipt lookup per blob: a
// version with a receipt is done, one without runs without a lookup. The
// embedded store is this funcemu's alone, and a receipt written after the
// listing is this listener's, which its done set records.
func (l *Listener) scan(ctx context.Context) {
	blobs, err := l.opts.Blobs.ListBlobs(ctx, l.Container(), l.prefix)
	if ctx.Err() != nil {
		return
	}
	if emulator.ErrorCode(err) == emulator.ENOTFOUND {
		err = nil // the container is created later; its writes notify
	}
	l.reportScan(err)
	if len(blobs) == 0 {
		return
	}
	receipts, listed := l.listReceipts(ctx)
	for _, b := range blobs {
		if !listed {
			l.candidate(ctx, b.Name, b.ETag, false)
			continue
		}
		if _, done := receipts[l.receiptName(b.Name, b.ETag)]; done {
			l.mu.Lock()
			l.done[b.Name] = b.ETag
			l.mu.Unlock()
			continue
		}
		l.candidate(ctx, b.Name, b.ETag, true)
	}
}

// listReceipts returns the names of this function's receipts; false when
// they could not be listed, and each blob's receipt is looked up instead.
func (l *Listener) listReceipts(ctx context.Context) (map[string]struct{}, bool) {
	// The function's receipts: "blobreceipts/<host>/<function>/".
	prefix := strings.TrimSuffix(poll.ReceiptPath(l.opts.HostID, l.functionID(), "", "", ""), "//")
	list, err := l.opts.Receipts.ListBlobs(ctx, poll.HostsContainer, prefix)
	if emulator.ErrorCode(err) == emulator.ENOTFOUND {
		return nil, true // no receipts container: nothing ran yet
	}
	if err != nil {
		return nil, false
	}
	names := make(map[string]struct{}, len(list))
	for _, r := range list {
		names[r.Name] = struct{}{}
	}
	return names, true
}

// reportScan logs a failed scan once and the recovery once.
func (l *Listener) reportScan(err error) {
	if err != nil {
		if line, ok := l.report.Failure(err); ok {
			l.log(emulator.LevelWarning, line)
		}
		return
	}
	if line, ok := l.report.Success(); ok {
		l.log(emulator.LevelInfo, line)
	}
}

// candidate starts processing a blob version unless it does not match the
// path or is already queued, running or done. fresh says the version was
// reported by the store's notification: written after the listener
// subscribed, so it can have no receipt unless this listener wrote it,
// and the receipt lookup is skipped.
func (l *Listener) candidate(ctx context.Context, name, etag string, fresh bool) {
	captures, ok := l.pattern.Match(l.Container() + "/" + name)
	if !ok || ctx.Err() != nil {
		return
	}
	key := name + "\x00" + etag
	l.mu.Lock()
	if l.pending[key] || l.done[name] == etag {
		l.mu.Unlock()
		return
	}
	l.pending[key] = true
	l.mu.Unlock()

	select {
	case l.slots <- struct{}{}:
	case <-ctx.Done():
		l.forget(key)
		return
	}
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		defer func() { <-l.slots }()
		defer l.forget(key)
		if l.process(ctx, name, etag, captures, fresh) {
			l.mu.Lock()
			l.done[name] = etag
			l.mu.Unlock()
		}
	}()
}

func (l *Listener) forget(key string) {
	l.mu.Lock()
	delete(l.pending, key)
	l.mu.Unlock()
}

// log publishes a host log line for the function.
func (l *Listener) log(level emulator.Level, msg string) {
	if l.opts.Publisher == nil {
		return
	}
	l.opts.Publisher.Publish(emulator.Event{
		Time: l.opts.Clock.Now(),
		Kind: emulator.EventLog,
		Log: &emulator.LogEntry{Level: level, Category: emulator.CategoryHost,
			Message: msg, Function: l.opts.Function.Name},
	})
}
