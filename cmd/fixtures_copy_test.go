package cmd

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// filesUnder lists the files below root, relative and sorted.
func filesUnder(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		out = append(out, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// TestFixtureCopiesLeaveLeftoversBehind: a fixture the README's
// `funcemu start fixtures/hello` has run in holds a .funcemu folder and a
// built handler; the copies tests work on hold neither, only the
// fixture's own files.
func TestFixtureCopiesLeaveLeftoversBehind(t *testing.T) {
	t.Parallel()
	fixtures, err := os.ReadDir(filepath.Join("..", "fixtures"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fixtures {
		if !f.IsDir() {
			continue
		}
		t.Run(f.Name(), func(t *testing.T) {
			clean := filepath.Join(t.TempDir(), "clean")
			if err := copyDir(filepath.Join("..", "fixtures", f.Name()), clean); err != nil {
				t.Fatal(err)
			}
			used := filepath.Join(t.TempDir(), "used")
			if err := copyDir(clean, used); err != nil {
				t.Fatal(err)
			}
			for _, leftover := range []string{".funcemu/journal.db", ".funcemu/storage.db", ".funcemu/instance.json",
				".funcemu/funcemu.lock", ".funcemu/build/handler-123", "handler"} {
				path := filepath.Join(used, leftover)
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte("left over"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			copied := filepath.Join(t.TempDir(), "copied")
			if err := copyDir(used, copied); err != nil {
				t.Fatal(err)
			}
			if got, want := filesUnder(t, copied), filesUnder(t, clean); !slices.Equal(got, want) {
				t.Fatalf("copied %v, want the fixture's own files %v", got, want)
			}
			if slices.Contains(filesUnder(t, clean), "handler") {
				t.Fatal("the fixture copy holds a built handler")
			}
		})
	}
}
