package cmd

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/spf13/pflag"

	"github.com/funcemu/funcemu/emulator/adminclient"
	"github.com/funcemu/funcemu/internal/datadir"
	"github.com/funcemu/funcemu/internal/sqlitedb"
	"github.com/funcemu/funcemu/watcher"
)

// dataDirHelp is the --data-dir help of every command that has it: the
// folder holds all of funcemu's state for an app.
const dataDirHelp = "funcemu's state folder: storage, journal, instance file, timer state (default <app>/.funcemu)"

// resolveDataDir is the data folder of the app in appDir: --data-dir made
// absolute, else <app>/.funcemu.
func resolveDataDir(appDir, flag string) (string, error) {
	if flag == "" {
		return filepath.Join(appDir, watcher.DefaultDataDir), nil
	}
	abs, err := filepath.Abs(flag)
	if err != nil {
		return "", fmt.Errorf("--data-dir %s: %w", flag, err)
	}
	return abs, nil
}

// addDurabilityFlag declares --durability, shared by start, exec and
// storage.
func addDurabilityFlag(f *pflag.FlagSet, o *storageOptions) {
	f.StringVar(&o.durability, "durability", string(sqlitedb.DurabilityNormal),
		"normal: a write survives a crash of funcemu; full: also a crash of the machine (slower writes)")
}

// lockDataDir takes the data folder for this process, failing at once
// when another funcemu has it.
func lockDataDir(dir string) (*datadir.Lock, error) {
	l, err := datadir.Acquire(dir)
	var inUse *datadir.InUseError
	var access *datadir.AccessError
	switch {
	case errors.As(err, &inUse):
		where := "starting"
		if e, ierr := adminclient.ReadInstance(dir); ierr == nil && (e.PID == inUse.PID || inUse.PID == 0) {
			where = e.HTTP
		}
		return nil, fmt.Errorf("%s is in use by funcemu pid %d (%s); stop it, or use --data-dir or --in-memory", dir, inUse.PID, where)
	case errors.As(err, &access) && errors.Is(err, fs.ErrPermission):
		return nil, fmt.Errorf("%v: get write access to it, or use another --data-dir or --in-memory", err)
	case errors.As(err, &access):
		return nil, fmt.Errorf("%v: use another --data-dir or --in-memory", err)
	}
	return l, err
}
