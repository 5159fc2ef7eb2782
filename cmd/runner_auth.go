package cmd

import (
	"context"
	"net"
	"strings"

	"github.com/spf13/pflag"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/keys"
	"github.com/funcemu/funcemu/emulator/storage/rest"
)

// masterKeyEnv gives the master key to funcemu start and to funcemu's own
// commands (invoke, replay, clock) when --master-key is not written down.
const masterKeyEnv = "FUNCEMU_MASTER_KEY"

// authOptions are the key flags of start and exec.
type authOptions struct {
	enableAuth bool
	masterKey  string
}

func addAuthFlags(f *pflag.FlagSet, o *authOptions, getenv func(string) string) {
	f.BoolVar(&o.enableAuth, "enable-auth", false,
		"enforce function keys on loopback too, as func start --enableAuth (always on beyond loopback)")
	f.StringVar(&o.masterKey, "master-key", getenv(masterKeyEnv),
		"the master key, instead of the one generated into the data folder (env "+masterKeyEnv+")")
}

// keysPath is where the app's keys are kept: in its data folder.
func (r *runner) keysPath() string { return keys.PathIn(r.dataDir()) }

// openKeys turns keys on when funcemu listens beyond loopback or with
// --enable-auth, warns about what is exposed, and shows new keys once.
func (r *runner) openKeys(context.Context) error {
	exposed := !isLoopbackAddress(r.opts.address)
	if exposed {
		r.log(emulator.LevelWarning, "funcemu listens on %s, beyond loopback: other machines can reach your functions, the admin API and storage. Function keys are enforced.", r.opts.address)
		r.log(emulator.LevelWarning, "%s", exposedStorageWarning(r.opts.address))
	}
	if !exposed && !r.opts.auth.enableAuth {
		return nil
	}
	path := r.keysPath()
	if r.opts.storageOpts.inMemory {
		path = "" // nothing of this run is written to disk
	}
	store, made, err := keys.Open(path, r.opts.auth.masterKey)
	if err != nil {
		return err
	}
	fnMade, err := store.EnsureFunctions(functionNames(r.app))
	if err != nil {
		return err
	}
	r.keys = store
	r.showKeys(append(made, fnMade...), path)
	r.onAppReload = append(r.onAppReload, func(a *emulator.App) error {
		more, err := store.EnsureFunctions(functionNames(a))
		r.showKeys(more, path)
		return err
	})
	return nil
}

// showKeys prints keys just made, the only time funcemu shows them.
func (r *runner) showKeys(made []keys.Generated, path string) {
	where := "kept in " + path
	if path == "" {
		where = "kept in memory for this run only"
	}
	for _, g := range made {
		r.log(emulator.LevelWarning, "New %s key (shown once, %s): %s", g.Name, where, g.Key)
	}
}

func functionNames(a *emulator.App) []string {
	names := make([]string, 0, len(a.Functions))
	for _, fn := range a.Functions {
		names = append(names, fn.Name)
	}
	return names
}

// exposedStorageWarning says that storage beyond loopback takes the
// well-known key, which anyone can look up.
func exposedStorageWarning(address string) string {
	return "Warning: storage listens on " + address + ", beyond loopback, and accepts account " + rest.DevAccountName +
		" with the well-known development key (AccountKey=" + rest.DevAccountKey[:12] + "..., published in Azure's docs): " +
		"anyone who reaches the storage ports can read and write all of it."
}

// isLoopbackAddress reports whether a listen address stays on this
// machine: localhost or a loopback IP. Other names count as exposed.
func isLoopbackAddress(address string) bool {
	if strings.EqualFold(address, "localhost") {
		return true
	}
	ip := net.ParseIP(address)
	return ip != nil && ip.IsLoopback()
}
