package cmd

import "context"

// lockData makes this runner the one owner of its data folder, before
// anything is built or opened; with --in-memory nothing is kept on disk
// and no folder is taken.
func (r *runner) lockData(context.Context) error {
	if r.opts.storageOpts.inMemory {
		return nil
	}
	l, err := lockDataDir(r.dataDir())
	if err != nil {
		return err
	}
	r.onClose(l.Release)
	return nil
}
