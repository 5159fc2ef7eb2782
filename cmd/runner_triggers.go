package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/azstore"
	"github.com/funcemu/funcemu/emulator/bindings"
	"github.com/funcemu/funcemu/emulator/storage/rest"
	"github.com/funcemu/funcemu/emulator/trigger/blob"
	"github.com/funcemu/funcemu/emulator/trigger/queue"
	"github.com/funcemu/funcemu/emulator/trigger/timer"
)

// storageTriggers are the queue and blob trigger listeners of the running
// app and the output and input bindings the host calls.
type storageTriggers struct {
	r        *runner
	stores   *azstore.Stores
	bindings *bindings.Bindings
	hostID   string

	mu        sync.Mutex
	ctx       context.Context
	listeners []listener
}

type listener interface {
	Start(context.Context) error
	Close() error
}

// storageBindings returns the triggers' shared parts, made on first use:
// the host asks for its output and input hooks before the listeners start.
func (r *runner) storageBindings() *storageTriggers {
	if r.triggers != nil {
		return r.triggers
	}
	mode, _ := azstore.ParseMode(r.opts.storage) // checked by checkStorageAccounts
	s := &azstore.Stores{Lookup: r.config().Lookup, Mode: mode, Options: azstore.Options{MaxRetries: 1}}
	if r.store != nil {
		s.EmbeddedQueues = r.store.QueueStore(rest.DevAccountName)
		s.EmbeddedBlobs = r.store.BlobStore(rest.DevAccountName)
		s.EmbeddedTables = r.store.TableStore(rest.DevAccountName)
	}
	machine, _ := os.Hostname()
	r.triggers = &storageTriggers{r: r, stores: s, hostID: timer.HostID(machine, r.app.Dir),
		bindings: bindings.New(bindings.Options{App: r.app, Clock: r.clock,
			QueueStore: func(c string) (emulator.QueueStore, error) { q, _, err := s.Queues(c); return q, err },
			BlobStore:  func(c string) (emulator.BlobStore, error) { b, _, err := s.Blobs(c); return b, err },
			Lookup:     func(name string) (string, bool) { return r.config().Lookup(name) },
			TableStore: func(c string) (emulator.TableStore, error) { t, _, err := s.Tables(c); return t, err },
		})}
	return r.triggers
}

// startTriggers starts a listener for every enabled queue- and
// blob-triggered function, and restarts them when the app is reloaded.
func (r *runner) startTriggers(ctx context.Context) error {
	t := r.storageBindings()
	t.ctx = ctx
	r.onAppReload = append(r.onAppReload, t.switchApp)
	r.onClose(t.closeAll)
	if r.idle != nil {
		r.idle.Check = t.idle
	}
	return t.startAll(r.app)
}

// idle reports whether every triggered queue is empty, for funcemu exec's
// wait for quiet: a waiting message is work still to do.
func (t *storageTriggers) idle(ctx context.Context) (bool, error) {
	t.mu.Lock()
	ls := append([]listener(nil), t.listeners...)
	t.mu.Unlock()
	for _, l := range ls {
		q, ok := l.(*queue.Listener)
		if !ok {
			continue
		}
		n, err := q.Pending(ctx)
		if err != nil || n > 0 {
			return false, err
		}
	}
	return true, nil
}

func (t *storageTriggers) switchApp(a *emulator.App) error {
	t.closeAll()
	t.bindings.SetApp(a)
	return t.startAll(a)
}

func (t *storageTriggers) closeAll() {
	t.mu.Lock()
	ls := t.listeners
	t.listeners = nil
	t.mu.Unlock()
	for _, l := range ls {
		l.Close()
	}
}

func (t *storageTriggers) startAll(a *emulator.App) error {
	var errs []error
	for _, fn := range a.Functions {
		l, err := t.listenerFor(a, fn)
		if err == nil && l != nil {
			err = l.Start(t.ctx)
			t.mu.Lock()
			t.listeners = append(t.listeners, l)
			t.mu.Unlock()
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("function %s: %w", fn.Name, err))
		}
	}
	return errors.Join(errs...)
}

// listenerFor returns the function's queue or blob listener, nil for other
// triggers. Disabled functions get one that only logs so at start.
func (t *storageTriggers) listenerFor(a *emulator.App, fn *emulator.Function) (listener, error) {
	tr := fn.Trigger()
	if tr == nil {
		return nil, nil
	}
	r := t.r
	switch tr.Kind() {
	case emulator.BindingQueueTrigger:
		qs, acct, err := t.stores.Queues(tr.Connection)
		if err != nil {
			return nil, err
		}
		name, setting := accountNames(acct, tr)
		return queue.NewListener(queue.Options{Function: fn, App: a, Store: qs, Invoker: r.host,
			Clock: r.clock, Publisher: r.bus, Account: name, Setting: setting})
	case emulator.BindingBlobTrigger:
		bs, acct, err := t.stores.Blobs(tr.Connection)
		if err != nil {
			return nil, err
		}
		qs, _, err := t.stores.Queues(tr.Connection)
		if err != nil {
			return nil, err
		}
		hosts, _, err := t.stores.Blobs("")
		if err != nil {
			return nil, err
		}
		name, setting := accountNames(acct, tr)
		endpoint := r.endpoints.Blob
		if acct != nil {
			endpoint = acct.BlobURL
		}
		return blob.NewListener(blob.Options{Function: fn, App: a, Blobs: bs, Queues: qs, Receipts: hosts,
			Invoker: r.host, Clock: r.clock, Publisher: r.bus, HostID: t.hostID,
			Account: name, Setting: setting, BlobEndpoint: endpoint})
	}
	return nil, nil
}

// accountNames are the account and the setting a trigger's connection
// resolved to, for invocation records and error logs.
func accountNames(acct *azstore.Account, tr *emulator.Binding) (string, string) {
	if acct != nil {
		return acct.Name, acct.Setting
	}
	setting := tr.Connection
	if setting == "" {
		setting = "AzureWebJobsStorage"
	}
	return rest.DevAccountName, setting
}
