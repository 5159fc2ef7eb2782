package watcher

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Names of the files whose patterns the watcher honours. .funcignore is
// read at the app root only (Core Tools reads it there); .gitignore in
// every watched folder, applying to what is below it, as in git.
const (
	funcIgnoreName = ".funcignore"
	gitIgnoreName  = ".gitignore"
)

// defaultIgnorePatterns are never changes worth acting on: version control,
// dependencies of other toolchains, IDE state, and the temporary files
// editors write around a save and build tools write next to their output.
var defaultIgnorePatterns = []string{
	".git/", ".hg/", ".svn/",
	"node_modules/",
	".idea/", ".vscode/", ".DS_Store",
	"*.sw[a-p]", "*.swx", // vim swap files
	"4913",              // vim probes write access with this name
	"*~", ".#*", `\#*#`, // emacs backups, lock files and autosaves
	"*.tmp",
	"*___jb_tmp___", "*___jb_old___", // JetBrains safe write
	".funcemu-build-*", // funcemu's own build output before it is moved into place
	"*-go-tmp-umask",   // go build -o probes the output folder with this file
}

// ignoreSet decides which paths under the root the watcher skips. Paths are
// slash-separated and relative to the root. It is not safe for concurrent
// use; the watcher's loop owns it.
type ignoreSet struct {
	defaults []ignoreRule
	// exact are paths skipped with everything under them: the data folder
	// and the build outputs the caller names.
	exact map[string]bool
	// keep are paths, and the folders above them, that ignore files
	// cannot hide: the executable of an app without a build step.
	keep map[string]bool
	// files holds the rules of each ignore file, keyed by the folder that
	// holds it ("" for the root) and then by file name.
	files map[string]map[string][]ignoreRule
}

func newIgnoreSet(exact, keep []string) *ignoreSet {
	s := &ignoreSet{exact: map[string]bool{}, keep: map[string]bool{}, files: map[string]map[string][]ignoreRule{}}
	for _, p := range defaultIgnorePatterns {
		r, ok, err := parseIgnoreLine(p)
		if err != nil || !ok {
			panic(fmt.Sprintf("watcher: bad default ignore pattern %q: %v", p, err))
		}
		r.origin = "default"
		s.defaults = append(s.defaults, r)
	}
	for _, p := range exact {
		s.exact[p] = true
	}
	for _, p := range keep {
		for ; p != "." && p != "/" && p != ""; p = path.Dir(p) {
			s.keep[p] = true
		}
	}
	return s
}

// load reads the ignore file name in the folder dir (relative to root) and
// replaces its rules; a missing file drops them. Bad lines are reported in
// the error while the good ones take effect.
func (s *ignoreSet) load(root, dir, name string) error {
	rel := path.Join(dir, name)
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if os.IsNotExist(err) {
		delete(s.files[dir], name)
		return nil
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", rel, err)
	}
	rules, perr := parseIgnoreFile(rel, data)
	if s.files[dir] == nil {
		s.files[dir] = map[string][]ignoreRule{}
	}
	s.files[dir][name] = rules
	return perr
}

// ignored reports whether rel is skipped. As in git, nothing below an
// ignored folder can be re-included, so every parent folder is tried first.
func (s *ignoreSet) ignored(rel string, isDir bool) bool {
	if rel == "" || rel == "." {
		return false
	}
	for i := 0; i < len(rel); i++ {
		if rel[i] == '/' && s.ignoredSelf(rel[:i], true) {
			return true
		}
	}
	return s.ignoredSelf(rel, isDir)
}

// ignoredSelf applies the rules to rel alone, ignoring its parents. Rules
// of deeper files come later and the last match wins, so a folder's
// .gitignore overrides its parent's, and .funcignore overrides the root
// .gitignore.
func (s *ignoreSet) ignoredSelf(rel string, isDir bool) bool {
	if s.exact[rel] {
		return true
	}
	for _, r := range s.defaults {
		if r.match(rel, isDir) {
			return true
		}
	}
	if s.keep[rel] || (!isDir && alwaysWatched(path.Base(rel))) {
		return false
	}
	out := false
	for _, dir := range s.dirsAbove(rel) {
		sub := rel
		if dir != "" {
			sub = strings.TrimPrefix(rel, dir+"/")
		}
		for _, name := range []string{gitIgnoreName, funcIgnoreName} {
			for _, r := range s.files[dir][name] {
				if r.match(sub, isDir) {
					out = !r.negate
				}
			}
		}
	}
	return out
}

// alwaysWatched reports whether a file name is one the inner loop exists
// for, which ignore files must not hide. They often list exactly these:
// .funcignore keeps Go sources and local.settings.json out of a deployment,
// and .gitignore keeps local.settings.json out of the repository, yet an
// edit to any of them has to reach the running app.
func alwaysWatched(name string) bool {
	switch strings.ToLower(name) {
	case "host.json", "function.json", "local.settings.json", "go.mod", "go.sum", "go.work", "go.work.sum":
		return true
	}
	return strings.HasSuffix(name, ".go")
}

// dirsAbove lists the folders with ignore files that contain rel, the root
// first.
func (s *ignoreSet) dirsAbove(rel string) []string {
	var dirs []string
	for dir := range s.files {
		if dir == "" || strings.HasPrefix(rel, dir+"/") {
			dirs = append(dirs, dir)
		}
	}
	sort.Slice(dirs, func(i, j int) bool { return len(dirs[i]) < len(dirs[j]) })
	return dirs
}
