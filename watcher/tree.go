package watcher

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/fsnotify/fsnotify"
)

// handle reacts to one fsnotify event: it keeps the set of watched
// folders and the ignore rules current, and emits the paths that changed.
func (w *Watcher) handle(ev fsnotify.Event, emit func(change) bool) {
	if !ev.Has(fsnotify.Create) && !ev.Has(fsnotify.Write) && !ev.Has(fsnotify.Remove) && !ev.Has(fsnotify.Rename) {
		return // chmod alone: Spotlight, indexers, touch -a
	}
	rel, ok := relTo(w.root, ev.Name)
	if !ok {
		return
	}
	gone := ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename)
	isDir := w.dirs[rel]
	if ev.Has(fsnotify.Create) {
		isDir = isDirPath(filepath.Join(w.root, filepath.FromSlash(rel)))
	}
	if w.ignore.ignored(rel, isDir) {
		return
	}
	switch {
	case isIgnoreFile(rel):
		dir := path.Dir(rel)
		if dir == "." {
			dir = ""
		}
		if err := w.ignore.load(w.root, dir, path.Base(rel)); err != nil {
			w.opts.Warn(err)
		}
		// The rules changed: watch what they now let in, drop what they
		// now keep out.
		if err := w.sync(); err != nil {
			w.opts.Warn(err)
		}
		emit(change{path: rel})
	case gone && w.dirs[rel]:
		w.unwatchTree(rel)
		emit(change{path: rel + "/"})
	case ev.Has(fsnotify.Create) && isDir:
		// Files may have landed in the folder before its watch was added
		// (mkdir -p a/b && touch a/b/c), so report what is in it now.
		emit(change{path: rel + "/", created: true})
		if err := w.watchTree(rel, emit); err != nil {
			w.opts.Warn(err)
		}
	default:
		emit(change{path: rel, created: ev.Has(fsnotify.Create)})
	}
}

func isIgnoreFile(rel string) bool {
	return path.Base(rel) == gitIgnoreName || rel == funcIgnoreName
}

// sync walks the whole tree: it loads every .gitignore, watches every
// folder that is not ignored and unwatches the ones that now are.
func (w *Watcher) sync() error {
	seen := map[string]bool{}
	err := w.walk("", func(rel string, isDir bool) error {
		if isDir {
			seen[rel] = true
		}
		return nil
	})
	for rel := range w.dirs {
		if !seen[rel] {
			w.unwatch(rel)
		}
	}
	return err
}

// watchTree watches the folder rel and every folder below it, and emits
// the files it finds there.
func (w *Watcher) watchTree(rel string, emit func(change) bool) error {
	return w.walk(rel, func(p string, isDir bool) error {
		if !isDir {
			emit(change{path: p, created: true})
		}
		return nil
	})
}

// walk visits the tree under start (relative; "" is the root), skipping
// ignored paths, loading each folder's .gitignore before its contents are
// judged, and watching each folder. A folder that cannot be watched
// because the system ran out of watches is an error; one that vanished
// mid-walk is not.
func (w *Watcher) walk(start string, visit func(rel string, isDir bool) error) error {
	base := filepath.Join(w.root, filepath.FromSlash(start))
	return filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return fmt.Errorf("watch %s: %w", p, err)
		}
		rel, _ := relTo(w.root, p)
		if rel != "" && w.ignore.ignored(rel, d.IsDir()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() {
			return visit(rel, false)
		}
		if err := w.ignore.load(w.root, rel, gitIgnoreName); err != nil {
			w.opts.Warn(err)
		}
		if !w.dirs[rel] {
			if err := w.fs.Add(p); err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return filepath.SkipDir
				}
				if errors.Is(err, syscall.ENOSPC) {
					return fmt.Errorf("watch %s: out of inotify watches (raise fs.inotify.max_user_watches, or ignore large folders in .funcignore): %w", p, err)
				}
				return fmt.Errorf("watch %s: %w", p, err)
			}
			w.dirs[rel] = true
		}
		return visit(rel, true)
	})
}

// unwatchTree forgets rel and every watched folder below it.
func (w *Watcher) unwatchTree(rel string) {
	for d := range w.dirs {
		if d == rel || strings.HasPrefix(d, rel+"/") {
			w.unwatch(d)
		}
	}
}

// unwatch removes one folder's watch. The kernel has usually dropped it
// already when the folder was deleted, so errors say nothing new.
func (w *Watcher) unwatch(rel string) {
	_ = w.fs.Remove(filepath.Join(w.root, filepath.FromSlash(rel)))
	delete(w.dirs, rel)
	delete(w.ignore.files, rel)
}

func isDirPath(p string) bool {
	fi, err := os.Lstat(p)
	return err == nil && fi.IsDir()
}
