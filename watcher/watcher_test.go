package watcher

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// These tests run real fsnotify on a temporary folder. Time is used only to
// give up waiting (generous, for loaded machines); nothing asserts how fast
// a batch comes. Absence is checked by order instead: inotify reports
// events in order, so once a sentinel written last has been reported, any
// earlier event that was not ignored has been reported too.

const giveUp = 20 * time.Second

type fixture struct {
	t    *testing.T
	root string
	w    *Watcher
	seen map[string]bool
}

func startWatcher(t *testing.T, opts Options, files map[string]string) *fixture {
	t.Helper()
	root := t.TempDir()
	f := &fixture{t: t, root: root, seen: map[string]bool{}}
	for rel, content := range files {
		f.write(rel, content)
	}
	if opts.Debounce == 0 {
		opts.Debounce = 5 * time.Millisecond
	}
	if opts.Warn == nil {
		opts.Warn = func(err error) { t.Logf("warning: %v", err) }
	}
	w, err := New(root, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	f.w = w
	return f
}

func (f *fixture) abs(rel string) string { return filepath.Join(f.root, filepath.FromSlash(rel)) }

func (f *fixture) write(rel, content string) {
	f.t.Helper()
	if err := os.MkdirAll(filepath.Dir(f.abs(rel)), 0o755); err != nil {
		f.t.Fatal(err)
	}
	if err := os.WriteFile(f.abs(rel), []byte(content), 0o644); err != nil {
		f.t.Fatal(err)
	}
}

// waitFor reads batches until every path in want has been seen, and
// returns everything seen on the way.
func (f *fixture) waitFor(want ...string) map[string]bool {
	f.t.Helper()
	deadline := time.After(giveUp)
	for {
		missing := slices.DeleteFunc(slices.Clone(want), func(p string) bool { return f.seen[p] })
		if len(missing) == 0 {
			return f.seen
		}
		select {
		case b, ok := <-f.w.Batches():
			if !ok {
				f.t.Fatalf("Batches closed while waiting for %q", missing)
			}
			for _, p := range b.Paths {
				f.seen[p] = true
			}
		case <-deadline:
			f.t.Fatalf("gave up waiting for %q; seen %v", missing, keys(f.seen))
		}
	}
}

// sentinel writes a fresh file and waits for it, so every earlier event
// has been judged.
func (f *fixture) sentinel(name string) map[string]bool {
	f.t.Helper()
	f.write(name, "x")
	return f.waitFor(name)
}

func (f *fixture) watched(rel string) bool {
	return slices.Contains(f.w.fs.WatchList(), f.abs(rel))
}

func keys(m map[string]bool) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func TestWatcherReportsWritesRelativeToTheRoot(t *testing.T) {
	f := startWatcher(t, Options{}, map[string]string{"main.go": "package main", "orders/function.json": "{}"})
	f.write("main.go", "package main // edited")
	f.write("orders/function.json", `{"bindings":[]}`)
	f.waitFor("main.go", "orders/function.json")
}

func TestWatcherFollowsNewFolders(t *testing.T) {
	f := startWatcher(t, Options{}, nil)
	f.write("a/b/c/deep.go", "package c") // created before any watch on a/b/c exists
	f.waitFor("a/", "a/b/c/deep.go")
	f.write("a/b/c/later.go", "package c")
	f.waitFor("a/b/c/later.go")
	if !f.watched("a/b/c") {
		t.Fatal("a/b/c is not watched")
	}
}

func TestWatcherDropsDeletedAndRenamedFolders(t *testing.T) {
	f := startWatcher(t, Options{}, map[string]string{"old/x.go": "package old", "gone/y.go": "package gone"})
	if err := os.RemoveAll(f.abs("gone")); err != nil {
		t.Fatal(err)
	}
	f.waitFor("gone/")
	if err := os.Rename(f.abs("old"), f.abs("new")); err != nil {
		t.Fatal(err)
	}
	f.waitFor("old/", "new/", "new/x.go")
	f.write("new/z.go", "package old")
	f.waitFor("new/z.go")
	f.sentinel("sentinel")
	for _, dir := range []string{"gone", "old"} {
		if f.watched(dir) {
			t.Errorf("%s still watched", dir)
		}
	}
	if !f.watched("new") {
		t.Error("new is not watched")
	}
}

func TestWatcherSkipsIgnoredPaths(t *testing.T) {
	f := startWatcher(t,
		Options{Ignore: []string{"handler", "build/out"}, DataDir: "data"},
		map[string]string{
			".gitignore":     "*.log\n/dist/\n!keep.log\n",
			".funcignore":    "local-only/\n",
			"sub/.gitignore": "private.txt\n",
		})
	ignored := []string{
		".git/index", "node_modules/x/index.js", "main.go.swp", ".main.go.swx", "4913", "main.go~",
		".#main.go", "#main.go#", "x.tmp", "main.go___jb_tmp___", "data/funcemu.db", "handler",
		"build/out/bin", "app.log", "dist/app", "local-only/x.go", "sub/private.txt",
	}
	for _, p := range ignored {
		f.write(p, "x")
	}
	f.write("keep.log", "x")
	f.write("sub/public.go", "x")
	seen := f.sentinel("sentinel.go")
	for _, p := range ignored {
		if seen[p] {
			t.Errorf("%s was reported", p)
		}
	}
	for _, p := range []string{"keep.log", "sub/public.go"} {
		if !seen[p] {
			t.Errorf("%s was not reported", p)
		}
	}
	for _, dir := range []string{".git", "node_modules", "data", "dist", "local-only"} {
		if f.watched(dir) {
			t.Errorf("ignored folder %s is watched", dir)
		}
	}
}

func TestWatcherKeepsWhatIgnoreFilesCannotHide(t *testing.T) {
	// The files funcemu init writes: .funcignore lists the sources (they
	// are not deployed) and .gitignore the settings and the binary.
	f := startWatcher(t, Options{Keep: []string{"bin/handler"}}, map[string]string{
		".funcignore": ".git*\n.vscode\n.funcemu\nlocal.settings.json\n*.go\ngo.mod\ngo.sum\n",
		".gitignore":  "handler\nbin/\n.funcemu/\nlocal.settings.json\n",
	})
	for _, p := range []string{"main.go", "go.mod", "go.sum", "local.settings.json", "bin/handler", "handler", "bin/other"} {
		f.write(p, "x")
	}
	seen := f.waitFor("main.go", "go.mod", "go.sum", "local.settings.json", "bin/handler")
	f.sentinel("sentinel")
	if seen["handler"] {
		t.Error("handler reported although .gitignore lists it and Keep does not")
	}
}

func TestWatcherAppliesIgnoreFileChangesAtOnce(t *testing.T) {
	f := startWatcher(t, Options{}, map[string]string{".gitignore": "gen/\n", "gen/a.go": "package gen"})
	if f.watched("gen") {
		t.Fatal("gen watched while ignored")
	}
	f.write(".gitignore", "*.out\n")
	f.waitFor(".gitignore")
	f.write("gen/b.go", "package gen")
	f.write("x.out", "x")
	seen := f.sentinel("sentinel")
	if !seen["gen/b.go"] {
		t.Error("gen/b.go not reported after gen/ left .gitignore")
	}
	if seen["x.out"] {
		t.Error("x.out reported after *.out entered .gitignore")
	}
}

func TestWatcherIgnoresAbsolutePathsOutsideTheRoot(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "handler")
	f := startWatcher(t, Options{Ignore: []string{outside}}, nil)
	f.write("handler", "x") // same name, but inside the root: not the ignored one
	f.waitFor("handler")
}

func TestWatcherLifecycle(t *testing.T) {
	if _, err := New(filepath.Join(t.TempDir(), "missing"), Options{}); err == nil {
		t.Error("New on a missing folder succeeded")
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := New(file, Options{}); err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Errorf("New on a file: err = %v", err)
	}

	f := startWatcher(t, Options{}, nil)
	if err := f.w.Start(t.Context()); err == nil {
		t.Error("second Start succeeded")
	}
	if err := f.w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, ok := <-f.w.Batches(); ok {
		t.Error("Batches open after Close")
	}
	if err := f.w.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}

	never, err := New(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := never.Close(); err != nil {
		t.Fatal(err)
	}
	if _, ok := <-never.Batches(); ok {
		t.Error("Batches open after Close without Start")
	}
}

func TestWatcherDropsRewritesWithTheSameContent(t *testing.T) {
	f := startWatcher(t, Options{}, nil)
	f.write("gen.go", "package main")
	f.waitFor("gen.go")
	// Let every event of that write be judged: on a loaded machine the
	// truncation and the write of os.WriteFile can land in two batches.
	f.sentinel("settled")
	f.seen = map[string]bool{}
	// A generator writing what was there, in one step (temp file, rename),
	// so no half-written state can be seen.
	f.write("gen.go.new", "package main")
	if err := os.Rename(f.abs("gen.go.new"), f.abs("gen.go")); err != nil {
		t.Fatal(err)
	}
	if seen := f.sentinel("sentinel"); seen["gen.go"] {
		t.Fatal("gen.go reported although its content did not change")
	}
	f.write("gen.go", "package main // new")
	f.waitFor("gen.go")
}
