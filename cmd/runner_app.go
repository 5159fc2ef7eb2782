package cmd

import (
	"context"
	"path/filepath"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/app"
)

// loadApp loads the app folder and fills the flags' defaults from
// local.settings.json.
func (r *runner) loadApp(context.Context) error {
	a, err := loadApp(r.opts.dir, r.opts.functions)
	if err != nil {
		return err
	}
	r.opts.resolve(a)
	r.app = a
	r.exe = executablePath(a)
	return nil
}

// dataDir is where funcemu keeps its state for the app.
func (r *runner) dataDir() string { return filepath.Join(r.app.Dir, ".funcemu") }

// config looks settings up the way the host does.
func (r *runner) config() app.Config { return app.NewConfig(r.app, r.environ()) }

// appLoaded announces the (re)loaded app.
func (r *runner) appLoaded(a *emulator.App) {
	r.publish(emulator.Event{Kind: emulator.EventAppLoaded, App: a})
}
