package cmd

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// fixtureCache builds each fixture's handler once per test binary (and
// links it once per source and toolchain, see linkedFixture): a go build
// links a new executable every time, which is most of what a test
// starting an app used to spend.
var fixtureCache = &builtFixtures{byName: map[string]*fixtureBuild{}}

type builtFixtures struct {
	mu     sync.Mutex
	dir    string
	byName map[string]*fixtureBuild
}

type fixtureBuild struct {
	once sync.Once
	dir  string
	err  error
}

// builtFixture returns a folder holding fixtures/name with its handler
// built, shared by every test: copy it (fixtureCopy) before changing it or
// running funcemu on it with its default data folder.
func builtFixture(t testing.TB, name string) string {
	t.Helper()
	f := fixtureCache.entry(name)
	f.once.Do(func() { f.dir, f.err = fixtureCache.build(name) })
	if f.err != nil {
		t.Fatalf("build fixture %s: %v", name, f.err)
	}
	return f.dir
}

func (c *builtFixtures) entry(name string) *fixtureBuild {
	c.mu.Lock()
	defer c.mu.Unlock()
	f := c.byName[name]
	if f == nil {
		f = &fixtureBuild{}
		c.byName[name] = f
	}
	return f
}

func (c *builtFixtures) build(name string) (string, error) {
	c.mu.Lock()
	if c.dir == "" {
		dir, err := os.MkdirTemp("", "funcemu-fixtures-")
		if err != nil {
			c.mu.Unlock()
			return "", err
		}
		c.dir = dir
	}
	dir := filepath.Join(c.dir, name)
	c.mu.Unlock()
	if err := copyDir(filepath.Join("..", "fixtures", name), dir); err != nil {
		return "", err
	}
	return dir, linkedFixture(dir, filepath.Join(dir, "handler"))
}

func (c *builtFixtures) remove() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dir != "" {
		os.RemoveAll(c.dir)
	}
}

// fixtureCopy is a copy of fixtures/name with its handler built, in a
// folder of the test's own, so its data folder is the test's alone.
func fixtureCopy(t testing.TB, name string) string {
	t.Helper()
	built := builtFixture(t, name)
	app := filepath.Join(t.TempDir(), name)
	if err := copyDir(built, app); err != nil {
		t.Fatal(err)
	}
	exe, err := os.ReadFile(filepath.Join(built, "handler"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(app, "handler"), exe, 0o755); err != nil {
		t.Fatal(err)
	}
	return app
}
