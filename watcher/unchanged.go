package watcher

import (
	"crypto/sha256"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// maxHashedSize bounds the files whose content is compared; bigger ones
// always count as changed rather than cost a long read.
const maxHashedSize = 8 << 20

// contentFilter drops paths whose content is the same as when they were
// last reported. Saving a file unchanged, a formatter rewriting it as it
// was, or a build step that regenerates identical code (go generate,
// templ) would otherwise cause a rebuild, and a build step that writes
// into the app folder would rebuild forever. A path seen for the first
// time always counts as changed.
type contentFilter struct {
	root string
	last map[string]fileState
}

// fileState is what a path held when last reported.
type fileState struct {
	exists bool
	sum    [sha256.Size]byte
}

func newContentFilter(root string) *contentFilter {
	return &contentFilter{root: root, last: map[string]fileState{}}
}

// changed returns the paths whose content differs from what was last
// reported for them, and remembers the new content. Folders always pass.
// A path created and already gone again was a temporary file of some
// tool, and is dropped.
func (f *contentFilter) changed(changes []change) []string { return f.filter(changes, true) }

// peek is changed without remembering anything, for an early look at a
// burst whose batch will go through changed.
func (f *contentFilter) peek(changes []change) []string { return f.filter(changes, false) }

func (f *contentFilter) filter(changes []change, remember bool) []string {
	var out []string
	for _, c := range changes {
		p := c.path
		if strings.HasSuffix(p, "/") {
			out = append(out, p)
			continue
		}
		st, ok := f.state(p)
		if !ok {
			if remember {
				delete(f.last, p)
			}
			out = append(out, p)
			continue
		}
		if c.created && !st.exists {
			continue
		}
		if prev, seen := f.last[p]; seen && prev == st {
			continue
		}
		if remember {
			f.last[p] = st
		}
		out = append(out, p)
	}
	return out
}

// state reads what p holds now; false when it cannot tell (too big, not a
// regular file, unreadable).
func (f *contentFilter) state(p string) (fileState, bool) {
	file, err := os.Open(filepath.Join(f.root, filepath.FromSlash(p)))
	if os.IsNotExist(err) {
		return fileState{}, true
	}
	if err != nil {
		return fileState{}, false
	}
	defer file.Close()
	fi, err := file.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > maxHashedSize {
		return fileState{}, false
	}
	h := sha256.New()
	if _, err := io.Copy(h, file); err != nil {
		return fileState{}, false
	}
	st := fileState{exists: true}
	h.Sum(st.sum[:0])
	return st, true
}
