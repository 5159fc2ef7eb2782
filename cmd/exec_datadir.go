package cmd

import (
	"fmt"
	"os"
	"runtime"
)

// useDataDir gives exec a clean data folder of its own, removed by the
// returned cleanup, unless --data-dir names one to use and keep (or
// --in-memory keeps nothing on disk). A CI run is then deterministic and
// never shares state, or a lock, with a funcemu start in the app folder.
func (o *execOptions) useDataDir() (cleanup func(), err error) {
	s := &o.start.storageOpts
	if s.dataDir != "" || s.inMemory {
		return func() {}, nil
	}
	dir, err := os.MkdirTemp(tempDir(o.start.system().Getenv), "funcemu-exec-")
	if err != nil {
		return nil, fmt.Errorf("temporary data folder: %w", err)
	}
	s.dataDir = dir
	return func() { os.RemoveAll(dir) }, nil
}

// tempDir is the folder for temporary files as os.TempDir finds it, but
// reading TMPDIR from funcemu's environment (the Factory's) on Unix.
func tempDir(getenv func(string) string) string {
	if runtime.GOOS != "windows" && runtime.GOOS != "plan9" {
		if d := getenv("TMPDIR"); d != "" {
			return d
		}
	}
	return os.TempDir()
}
