package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/funcemu/funcemu/emulator/journal"
	"github.com/funcemu/funcemu/emulator/storage"
)

// compactDataDir gives the space of deleted blobs, messages and pruned
// invocations back to the file system: it drops unused blob chunks and
// rebuilds storage.db and journal.db. It takes the data folder's lock, so
// it refuses to run beside a funcemu using the folder.
func compactDataDir(ctx context.Context, dir string, out io.Writer) error {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("no data folder at %s: pass the folder to compact with --data-dir", dir)
	}
	l, err := lockDataDir(dir)
	if err != nil {
		return err
	}
	defer l.Release()
	for _, name := range []string{storageFileName, journal.FileName} {
		path := filepath.Join(dir, name)
		before, err := dbSize(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		if err := compactFile(ctx, path, name); err != nil {
			return err
		}
		after, err := dbSize(path)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%s: %s -> %s\n", path, formatMiB(before), formatMiB(after))
	}
	return nil
}

func compactFile(ctx context.Context, path, name string) error {
	if name == storageFileName {
		s, err := storage.Open(storage.Options{Path: path})
		if err != nil {
			return err
		}
		defer s.Close()
		return s.Compact(ctx)
	}
	j, err := journal.Open(journal.Options{Path: path, MaxInvocations: -1, MaxBytes: -1})
	if err != nil {
		return err
	}
	defer j.Close()
	return j.Compact()
}

// dbSize is the database file with its write-ahead log and, for the
// store, the chunk files of large blobs.
func dbSize(path string) (int64, error) {
	st, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	size := st.Size()
	if wal, err := os.Stat(path + "-wal"); err == nil {
		size += wal.Size()
	}
	chunks, _ := os.ReadDir(path + "-chunks") // none for the journal
	for _, e := range chunks {
		if info, err := e.Info(); err == nil {
			size += info.Size()
		}
	}
	return size, nil
}

func formatMiB(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
