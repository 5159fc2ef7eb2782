package watcher

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/funcemu/funcemu/emulator"
)

// DefaultDebounce is how long the folder must stay quiet before a batch is
// emitted: long enough to take in an editor's save or a git checkout as one
// change, short enough not to be felt.
const DefaultDebounce = 100 * time.Millisecond

// earlyLookAfter is how long after the first change of a burst its early
// look is sent (see Watcher.Early): long enough to take in an editor's
// save (a temporary file written and renamed over the old one takes well
// under a millisecond), a small part of the debounce.
const earlyLookAfter = 10 * time.Millisecond

// DefaultDataDir is funcemu's own data folder inside the app, never watched.
const DefaultDataDir = ".funcemu"

// Options configure a Watcher. The zero value is ready to use.
type Options struct {
	// Debounce is the quiet period that closes a batch; DefaultDebounce
	// when zero.
	Debounce time.Duration
	// DataDir is funcemu's data folder, relative to the root or absolute;
	// DefaultDataDir when empty.
	DataDir string
	// Ignore lists more paths to skip with everything under them, relative
	// to the root or absolute: the handler binary and other build outputs.
	// Paths outside the root are dropped.
	Ignore []string
	// Keep lists paths that ignore files cannot hide, relative to the root
	// or absolute: the executable of an app without a build step, which
	// .gitignore usually lists. The folders above them are watched too.
	Keep []string
	// Clock times the debounce; the system clock when nil.
	Clock emulator.Clock
	// Warn receives problems that stop nothing: a bad line in an ignore
	// file, a folder that could not be watched, a lost event queue.
	Warn func(error)
}

// Watcher reports changes under a folder as Batches. New sets it up, Start
// begins watching, Close stops it and waits.
type Watcher struct {
	root   string
	opts   Options
	ignore *ignoreSet
	out    chan Batch
	early  chan Batch

	// Owned by the loop goroutine once Start returns.
	fs   *fsnotify.Watcher
	dirs map[string]bool // watched folders, relative ("" is the root)

	mu      sync.Mutex
	started bool
	closed  bool
	cancel  context.CancelFunc
	done    chan struct{}
}

// New returns a Watcher for the folder root, with the defaults applied.
func New(root string, opts Options) (*Watcher, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("watch %s: %w", root, err)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("watch %s: %w", root, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("watch %s: not a folder", root)
	}
	if opts.Debounce <= 0 {
		opts.Debounce = DefaultDebounce
	}
	if opts.DataDir == "" {
		opts.DataDir = DefaultDataDir
	}
	if opts.Clock == nil {
		opts.Clock = emulator.SystemClock{}
	}
	if opts.Warn == nil {
		opts.Warn = func(error) {}
	}
	return &Watcher{
		root:   abs,
		opts:   opts,
		ignore: newIgnoreSet(relAll(abs, append([]string{opts.DataDir}, opts.Ignore...)), relAll(abs, opts.Keep)),
		out:    make(chan Batch),
		early:  make(chan Batch, 1),
		dirs:   map[string]bool{},
	}, nil
}

// relAll returns the paths that lie under root, relative to it.
func relAll(root string, paths []string) []string {
	var rels []string
	for _, p := range paths {
		if rel, ok := relTo(root, p); ok {
			rels = append(rels, rel)
		}
	}
	return rels
}

// Root is the absolute path of the watched folder.
func (w *Watcher) Root() string { return w.root }

// Batches delivers the debounced changes. It is closed after Close, or
// once the context given to Start is done.
func (w *Watcher) Batches() <-chan Batch { return w.out }

// Early delivers early looks: a burst's changes as they stand a moment
// after its first one (earlyLookAfter), while the debounce still waits
// for quiet, so a reader can start slow work (a build) at once and keep
// its result only if the burst's batch has the same Seq, that is, if
// nothing changed after the look. A burst looked at always ends with a
// batch on Batches, even an empty one. A look not read before the next
// one is dropped; nothing needs to read them.
func (w *Watcher) Early() <-chan Batch { return w.early }

// Start watches every folder under the root that is not ignored. Changes
// made after Start returns are reported. Watching stops when ctx is done
// or Close is called.
func (w *Watcher) Start(ctx context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.started || w.closed {
		return errors.New("watcher already started")
	}
	fs, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch %s: %w", w.root, err)
	}
	w.fs = fs
	if err := w.ignore.load(w.root, "", funcIgnoreName); err != nil {
		w.opts.Warn(err)
	}
	if err := w.sync(); err != nil {
		fs.Close()
		return err
	}
	ctx, w.cancel = context.WithCancel(ctx)
	w.done = make(chan struct{})
	w.started = true

	paths := make(chan change)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		filter := newContentFilter(w.root)
		var early *earlyLook
		if w.opts.Debounce > earlyLookAfter {
			early = &earlyLook{after: earlyLookAfter, peek: filter.peek, out: w.early}
		}
		debounce(ctx, w.opts.Clock, w.opts.Debounce, filter.changed, paths, w.out, early)
	}()
	go func() {
		defer wg.Done()
		defer close(paths)
		w.loop(ctx, paths)
	}()
	go func() {
		wg.Wait()
		w.fs.Close()
		close(w.done)
	}()
	return nil
}

// Close stops watching and waits until the goroutines are gone. Batches
// is closed when it returns.
func (w *Watcher) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil
	}
	w.closed = true
	if !w.started {
		close(w.out)
		return nil
	}
	w.cancel()
	<-w.done
	return nil
}

// loop turns fsnotify events into changes for the debouncer.
func (w *Watcher) loop(ctx context.Context, paths chan<- change) {
	emit := func(c change) bool {
		select {
		case paths <- c:
			return true
		case <-ctx.Done():
			return false
		}
	}
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-w.fs.Events:
			if !ok {
				return
			}
			w.handle(ev, emit)
		case err, ok := <-w.fs.Errors:
			if !ok {
				return
			}
			w.opts.Warn(fmt.Errorf("watch %s: %w", w.root, err))
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				// Events were lost; at least watch every folder again.
				if err := w.sync(); err != nil {
					w.opts.Warn(err)
				}
			}
		}
	}
}

// relTo returns p relative to root, slash-separated; false for paths
// outside root and for root itself.
func relTo(root, p string) (string, bool) {
	if !filepath.IsAbs(p) {
		p = filepath.Join(root, p)
	}
	rel, err := filepath.Rel(root, p)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}
