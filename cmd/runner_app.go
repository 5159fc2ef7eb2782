package cmd

import (
	"context"
	"path/filepath"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/app"
	"github.com/funcemu/funcemu/watcher"
)

// loadApp loads the app folder and fills the flags' defaults from
// local.settings.json.
func (r *runner) loadApp(context.Context) error {
	a, err := loadApp(r.opts.dir, r.opts.functions, r.environ())
	if err != nil {
		return err
	}
	r.opts.resolve(a)
	r.app = a
	r.exe = executablePath(a)
	r.data, err = resolveDataDir(a.Dir, r.opts.storageOpts.dataDir)
	return err
}

// dataDir is where funcemu keeps its state for the app: --data-dir, else
// <app>/.funcemu.
func (r *runner) dataDir() string { return r.data }

// buildDir holds build outputs before they move into place: always in
// the app folder, beside the handler, so the move is a rename.
func (r *runner) buildDir() string { return filepath.Join(r.app.Dir, watcher.DefaultDataDir, "build") }

// config looks settings up the way the host does.
func (r *runner) config() app.Config { return app.NewConfig(r.app, r.environ()) }

// appLoaded announces the (re)loaded app.
func (r *runner) appLoaded(a *emulator.App) {
	r.publish(emulator.Event{Kind: emulator.EventAppLoaded, App: a})
}
