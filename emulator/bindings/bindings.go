package bindings

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/binding"
)

// Options configure Bindings.
type Options struct {
	App      *emulator.App
	Lookup   ConnectionLookup // resolves "connection" names
	Accounts Accounts         // the embedded store's accounts
	Clock    emulator.Clock   // default emulator.SystemClock
}

// Bindings writes queue and blob output bindings and reads blob input
// bindings. Its Write and Read methods fit the host's Outputs and Inputs
// hooks. It is safe for concurrent use.
type Bindings struct {
	opts      Options
	app       atomic.Pointer[emulator.App]
	templates sync.Map // expression text -> *binding.Template
	patterns  sync.Map // trigger path -> *binding.Pattern
}

// New returns Bindings for opts.
func New(opts Options) *Bindings {
	if opts.Clock == nil {
		opts.Clock = emulator.SystemClock{}
	}
	b := &Bindings{opts: opts}
	b.app.Store(opts.App)
	return b
}

// SetApp replaces the app after its folder was reloaded.
func (b *Bindings) SetApp(a *emulator.App) { b.app.Store(a) }

// Check resolves the connection of every storage binding of the app's
// enabled functions, so a connection funcemu cannot serve stops startup
// with an error naming the function and the setting.
func (b *Bindings) Check() error {
	var errs []error
	for _, fn := range b.app.Load().Functions {
		if fn.Disabled {
			continue
		}
		for _, bd := range fn.Bindings {
			if !isStorage(bd) {
				continue
			}
			if _, err := Account(b.opts.Lookup, fn, bd); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// isStorage reports whether a binding reads or writes the storage account.
func isStorage(b *emulator.Binding) bool {
	switch b.Kind() {
	case emulator.BindingQueueTrigger, emulator.BindingQueue, emulator.BindingBlobTrigger, emulator.BindingBlob:
		return true
	}
	return false
}

func (b *Bindings) queues(fn *emulator.Function, bd *emulator.Binding) (emulator.QueueStore, error) {
	account, err := Account(b.opts.Lookup, fn, bd)
	if err != nil {
		return nil, err
	}
	return b.opts.Accounts.QueueStore(account), nil
}

func (b *Bindings) blobs(fn *emulator.Function, bd *emulator.Binding) (emulator.BlobStore, error) {
	account, err := Account(b.opts.Lookup, fn, bd)
	if err != nil {
		return nil, err
	}
	return b.opts.Accounts.BlobStore(account), nil
}

// resolve evaluates a binding expression (a queue name or blob path)
// against the invocation's binding data.
func (b *Bindings) resolve(fn *emulator.Function, bd *emulator.Binding, field, expr string, data binding.Data) (string, error) {
	var t *binding.Template
	if v, ok := b.templates.Load(expr); ok {
		t = v.(*binding.Template)
	} else {
		parsed, err := binding.ParseTemplate(expr)
		if err != nil {
			return "", fmt.Errorf("function %s: binding %q: %s %q: %w", fn.Name, bd.Name, field, expr, err)
		}
		b.templates.Store(expr, parsed)
		t = parsed
	}
	s, err := t.Resolve(data, b.opts.Clock)
	if err != nil {
		return "", fmt.Errorf("function %s: binding %q: %s %q: %w", fn.Name, bd.Name, field, expr, err)
	}
	return s, nil
}

// pattern returns the parsed blob trigger path.
func (b *Bindings) pattern(path string) (*binding.Pattern, error) {
	if v, ok := b.patterns.Load(path); ok {
		return v.(*binding.Pattern), nil
	}
	p, err := binding.ParsePattern(path)
	if err != nil {
		return nil, err
	}
	b.patterns.Store(path, p)
	return p, nil
}

// Stores returns the storage account binding bd of fn connects to, with
// its queue and blob stores, for wiring the function's trigger listener.
func (b *Bindings) Stores(fn *emulator.Function, bd *emulator.Binding) (string, emulator.QueueStore, emulator.BlobStore, error) {
	account, err := Account(b.opts.Lookup, fn, bd)
	if err != nil {
		return "", nil, nil, err
	}
	return account, b.opts.Accounts.QueueStore(account), b.opts.Accounts.BlobStore(account), nil
}
