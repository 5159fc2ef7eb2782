package cmd

import (
	"context"

	"github.com/funcemu/funcemu/emulator/azstore"
)

// checkStorageAccounts resolves the connection of every queue and blob
// binding under --storage, so a bad connection setting stops start-up with
// the function, binding and setting named instead of failing at the first
// message.
func (r *runner) checkStorageAccounts(context.Context) error {
	mode, err := azstore.ParseMode(r.opts.storage)
	if err != nil {
		return err
	}
	s := &azstore.Stores{Lookup: r.config().Lookup, Mode: mode}
	return s.Check(r.app)
}
