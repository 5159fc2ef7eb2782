package cmd

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/funcemu/funcemu/emulator/journal"
)

func newEventsExportCmd(o *eventsOptions) *cobra.Command {
	var ff filterFlags
	var out string
	c := &cobra.Command{
		Use:   "export [app-dir]",
		Short: "Write recorded invocations as JSON Lines, oldest first",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := ff.filter(o.clock.Now())
			if err != nil {
				return err
			}
			j, err := o.openExisting(cmd, args)
			if err != nil {
				return err
			}
			defer j.Close()
			if out == "" || out == "-" {
				return j.Export(cmd.Context(), cmd.OutOrStdout(), f)
			}
			return exportFile(cmd.Context(), j, out, f)
		},
	}
	ff.register(c, 0)
	c.Flags().StringVarP(&out, "out", "o", "", "write to this file instead of stdout")
	return c
}

// exportFile writes the export beside out and renames it into place, so
// a failed export never leaves a truncated file.
func exportFile(ctx context.Context, j *journal.Journal, out string, f journal.Filter) error {
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*")
	if err != nil {
		return fmt.Errorf("export to %s: %w", out, err)
	}
	defer os.Remove(tmp.Name())
	if err := j.Export(ctx, tmp, f); err != nil {
		tmp.Close()
		return fmt.Errorf("export to %s: %w", out, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("export to %s: %w", out, err)
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return fmt.Errorf("export to %s: %w", out, err)
	}
	return nil
}
