package bindings

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/bindexpr"
)

// Options configure Bindings.
type Options struct {
	App *emulator.App
	// QueueStore and BlobStore return the store a binding's connection
	// name leads to ("" is AzureWebJobsStorage): the embedded store or a
	// remote account (azstore.Stores decides).
	QueueStore func(connection string) (emulator.QueueStore, error)
	BlobStore  func(connection string) (emulator.BlobStore, error)
	// TableStore likewise for table bindings; nil when tables are not
	// served.
	TableStore func(connection string) (emulator.TableStore, error)
	Clock      emulator.Clock // default emulator.SystemClock
	// Lookup reads app settings, for the eventGrid output binding's
	// topicEndpointUri and topicKeySetting.
	Lookup func(name string) (string, bool)
}

// Bindings writes queue and blob output bindings and reads blob input
// bindings. Its Write and Read methods fit the host's Outputs and Inputs
// hooks. It is safe for concurrent use.
type Bindings struct {
	opts      Options
	app       atomic.Pointer[emulator.App]
	templates sync.Map // expression text -> *bindexpr.Template
	patterns  sync.Map // trigger path -> *bindexpr.Pattern
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

func (b *Bindings) queues(fn *emulator.Function, bd *emulator.Binding) (emulator.QueueStore, error) {
	s, err := b.opts.QueueStore(bd.Connection)
	if err != nil {
		return nil, fmt.Errorf("function %s: binding %q: connection %q: %w", fn.Name, bd.Name, settingName(bd.Connection), err)
	}
	return s, nil
}

func (b *Bindings) blobs(fn *emulator.Function, bd *emulator.Binding) (emulator.BlobStore, error) {
	s, err := b.opts.BlobStore(bd.Connection)
	if err != nil {
		return nil, fmt.Errorf("function %s: binding %q: connection %q: %w", fn.Name, bd.Name, settingName(bd.Connection), err)
	}
	return s, nil
}

// settingName is the setting a connection name is read from, for errors.
func settingName(connection string) string {
	if connection == "" {
		return "AzureWebJobsStorage"
	}
	return connection
}

// resolve evaluates a binding expression (a queue name or blob path)
// against the invocation's binding data.
func (b *Bindings) resolve(fn *emulator.Function, bd *emulator.Binding, field, expr string, data bindexpr.Data) (string, error) {
	var t *bindexpr.Template
	if v, ok := b.templates.Load(expr); ok {
		t = v.(*bindexpr.Template)
	} else {
		parsed, err := bindexpr.ParseTemplate(expr)
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
func (b *Bindings) pattern(path string) (*bindexpr.Pattern, error) {
	if v, ok := b.patterns.Load(path); ok {
		return v.(*bindexpr.Pattern), nil
	}
	p, err := bindexpr.ParsePattern(path)
	if err != nil {
		return nil, err
	}
	b.patterns.Store(path, p)
	return p, nil
}
