package cmd

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/watcher"
)

func TestStartHotReloadFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args     []string
		noWatch  bool
		debounce time.Duration
		build    string
	}{
		{nil, false, watcher.DefaultDebounce, ""},
		{[]string{"--no-watch"}, true, watcher.DefaultDebounce, ""},
		{[]string{"--debounce", "250ms"}, false, 250 * time.Millisecond, ""},
		{[]string{"--build", "make handler"}, false, watcher.DefaultDebounce, "make handler"},
	}
	for _, tt := range tests {
		cmd := newStartCmd(testFactory(t))
		if err := cmd.ParseFlags(tt.args); err != nil {
			t.Fatalf("%q: %v", tt.args, err)
		}
		f := cmd.Flags()
		noWatch, _ := f.GetBool("no-watch")
		debounce, _ := f.GetDuration("debounce")
		build, _ := f.GetString("build")
		if noWatch != tt.noWatch || debounce != tt.debounce || build != tt.build {
			t.Errorf("%q: no-watch=%v debounce=%v build=%q, want %v %v %q",
				tt.args, noWatch, debounce, build, tt.noWatch, tt.debounce, tt.build)
		}
	}
	if err := newStartCmd(testFactory(t)).ParseFlags([]string{"--debounce", "soon"}); err == nil {
		t.Error("--debounce soon accepted")
	}
}

func TestNoWatchStartsNothing(t *testing.T) {
	t.Parallel()
	r := newRunner(&startOptions{noWatch: true}, nil)
	if err := r.startWatch(t.Context()); err != nil {
		t.Fatal(err)
	}
	if len(r.closers) != 0 {
		t.Fatalf("--no-watch registered %d parts to close", len(r.closers))
	}
}

func TestExeInApp(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		exe, want string
	}{
		{dir + "/handler", "handler"},
		{dir + "/bin/handler", "bin/handler"},
		{"/usr/bin/python3", ""},
		{"python3", ""},
	}
	for _, tt := range tests {
		r := &runner{app: &emulator.App{Dir: dir}, exe: tt.exe}
		if got := r.exeInApp(); got != tt.want {
			t.Errorf("exeInApp(%q) = %q, want %q", tt.exe, got, tt.want)
		}
	}
}

func TestRebuildFuncChoosesTheBuild(t *testing.T) {
	t.Parallel()
	goApp := t.TempDir()
	if err := os.WriteFile(filepath.Join(goApp, "go.mod"), []byte("module x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	plain := t.TempDir()
	tests := []struct {
		name    string
		dir     string
		opts    startOptions
		builds  bool
		command bool // the --build command runs
	}{
		{"go module builds", goApp, startOptions{}, true, false},
		{"no go.mod, no build", plain, startOptions{}, false, false},
		{"--no-build wins", goApp, startOptions{noBuild: true, buildCmd: "touch built"}, false, false},
		{"--build without go.mod", plain, startOptions{buildCmd: "touch built"}, true, true},
		{"--build replaces go build", goApp, startOptions{buildCmd: "touch built"}, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			os.Remove(filepath.Join(tt.dir, "built"))
			r := &runner{opts: &tt.opts, app: &emulator.App{Dir: tt.dir}, exe: filepath.Join(tt.dir, "handler")}
			f := r.rebuildFunc()
			if (f != nil) != tt.builds {
				t.Fatalf("build step = %v, want %v", f != nil, tt.builds)
			}
			if !tt.command {
				return
			}
			b, err := f(t.Context())
			if err != nil || b.State != emulator.BuildSucceeded {
				t.Fatalf("build: %+v, %v", b, err)
			}
			if _, err := os.Stat(filepath.Join(tt.dir, "built")); err != nil {
				t.Fatalf("the --build command did not run in the app folder: %v", err)
			}
		})
	}
}
