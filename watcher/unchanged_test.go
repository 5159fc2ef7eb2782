package watcher

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestContentFilter(t *testing.T) {
	root := t.TempDir()
	write := func(rel, content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(root, rel), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f := newContentFilter(root)
	steps := []struct {
		name  string
		do    func()
		paths []string
		want  []string
	}{
		{"first sighting counts", func() { write("a.go", "v1") }, []string{"a.go"}, []string{"a.go"}},
		{"same content is dropped", func() { write("a.go", "v1") }, []string{"a.go"}, nil},
		{"new content counts", func() { write("a.go", "v2") }, []string{"a.go"}, []string{"a.go"}},
		{"back to old content counts", func() { write("a.go", "v1") }, []string{"a.go"}, []string{"a.go"}},
		{"deletion counts", func() { os.Remove(filepath.Join(root, "a.go")) }, []string{"a.go"}, []string{"a.go"}},
		{"still deleted is dropped", func() {}, []string{"a.go"}, nil},
		{"recreated counts", func() { write("a.go", "v1") }, []string{"a.go"}, []string{"a.go"}},
		{"folders always pass", func() {}, []string{"sub/", "sub/"}, []string{"sub/", "sub/"}},
		{"mixed batch keeps the changed ones", func() { write("b.go", "x") }, []string{"a.go", "b.go"}, []string{"b.go"}},
	}
	for _, s := range steps {
		s.do()
		if got := f.changed(changes(s.paths...)); !slices.Equal(got, s.want) {
			t.Fatalf("%s: changed(%q) = %q, want %q", s.name, s.paths, got, s.want)
		}
	}
}

func TestContentFilterPassesWhatItCannotRead(t *testing.T) {
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, "dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	big := make([]byte, maxHashedSize+1)
	if err := os.WriteFile(filepath.Join(root, "big.bin"), big, 0o644); err != nil {
		t.Fatal(err)
	}
	f := newContentFilter(root)
	for range 2 {
		// a folder reported without its slash, and a file too big to hash
		if got := f.changed(changes("dir", "big.bin")); len(got) != 2 {
			t.Fatalf("changed = %q, want both paths every time", got)
		}
	}
}

func changes(paths ...string) []change {
	var cs []change
	for _, p := range paths {
		cs = append(cs, change{path: p})
	}
	return cs
}

func TestContentFilterDropsTemporaryFiles(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "kept.go"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	f := newContentFilter(root)
	got := f.changed([]change{
		{path: "gone.go", created: true}, // created and removed within the batch
		{path: "kept.go", created: true}, // created and still there
		{path: "deleted.go"},             // existed before, now removed
	})
	if want := []string{"kept.go", "deleted.go"}; !slices.Equal(got, want) {
		t.Fatalf("changed = %q, want %q", got, want)
	}
}
