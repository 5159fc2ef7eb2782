package azstore

import (
	"errors"
	"fmt"
	"sync"

	"github.com/funcemu/funcemu/emulator"
)

// Stores hands each binding the store its connection names: the embedded
// store for development storage (and, unless Mode is ModeRemote, for a
// connection no setting names, where `func start` would refuse to start),
// a remote account otherwise. One store per account is kept.
type Stores struct {
	// Lookup returns a setting, as app.Config.Lookup does.
	Lookup  func(string) (string, bool)
	Mode    Mode
	Options Options
	// EmbeddedQueues and EmbeddedBlobs serve local connections.
	EmbeddedQueues emulator.QueueStore
	EmbeddedBlobs  emulator.BlobStore
	EmbeddedTables emulator.TableStore

	mu     sync.Mutex
	queues map[string]*QueueStore // by setting and account
	blobs  map[string]*BlobStore
	tables map[string]*TableStore
}

// Account resolves a connection; nil (and no error) means the embedded
// store serves it.
func (s *Stores) Account(connection string) (*Account, error) {
	a, err := Resolve(s.Lookup, connection)
	if errors.Is(err, ErrNotSet) && s.Mode != ModeRemote {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !s.Mode.Remote(a) {
		return nil, nil
	}
	return a, nil
}

// Queues returns the queue store for a connection and the account behind
// it (nil for the embedded store).
func (s *Stores) Queues(connection string) (emulator.QueueStore, *Account, error) {
	a, err := s.Account(connection)
	if err != nil || a == nil {
		return s.EmbeddedQueues, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if q, ok := s.queues[storeKey(a)]; ok {
		return q, a, nil
	}
	q, err := NewQueueStore(a, s.Options)
	if err != nil {
		return nil, nil, err
	}
	if s.queues == nil {
		s.queues = map[string]*QueueStore{}
	}
	s.queues[storeKey(a)] = q
	return q, a, nil
}

// Blobs returns the blob store for a connection and the account behind it
// (nil for the embedded store).
func (s *Stores) Blobs(connection string) (emulator.BlobStore, *Account, error) {
	a, err := s.Account(connection)
	if err != nil || a == nil {
		return s.EmbeddedBlobs, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if b, ok := s.blobs[storeKey(a)]; ok {
		return b, a, nil
	}
	b, err := NewBlobStore(a, s.Options)
	if err != nil {
		return nil, nil, err
	}
	if s.blobs == nil {
		s.blobs = map[string]*BlobStore{}
	}
	s.blobs[storeKey(a)] = b
	return b, a, nil
}

// Tables returns the table store for a connection and the account behind
// it (nil for the embedded store).
func (s *Stores) Tables(connection string) (emulator.TableStore, *Account, error) {
	a, err := s.Account(connection)
	if err != nil || a == nil {
		return s.EmbeddedTables, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.tables[storeKey(a)]; ok {
		return t, a, nil
	}
	t, err := NewTableStore(a, s.Options)
	if err != nil {
		return nil, nil, err
	}
	if s.tables == nil {
		s.tables = map[string]*TableStore{}
	}
	s.tables[storeKey(a)] = t
	return t, a, nil
}

// Check opens the store of every queue and blob binding of the app's
// enabled functions, so a bad connection setting stops start-up with an
// error naming the function, the binding and the setting.
func (s *Stores) Check(app *emulator.App) error {
	var errs []error
	for _, f := range app.Functions {
		if f.Disabled {
			continue
		}
		for _, b := range f.Bindings {
			var err error
			switch b.Kind() {
			case emulator.BindingQueueTrigger, emulator.BindingQueue:
				_, _, err = s.Queues(b.Connection)
			case emulator.BindingBlobTrigger, emulator.BindingBlob:
				_, _, err = s.Blobs(b.Connection)
			case emulator.BindingTable:
				_, _, err = s.Tables(b.Connection)
			default:
				continue
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("function %s, binding %q (%s): %w", f.Name, b.Name, b.Type, err))
			}
		}
	}
	return errors.Join(errs...)
}

// storeKey tells accounts apart: two settings may name one account with
// different credentials.
func storeKey(a *Account) string { return a.Setting + "|" + a.String() }
