package cmd

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/funcemu/funcemu/emulator/journal"
)

func newEventsImportCmd(o *eventsOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE",
		Short: "Add invocations from a JSON Lines export to the journal",
		Long: "Add invocations from a JSON Lines export (\"-\" reads stdin). The import is all or\n" +
			"nothing: a bad line rejects the file and every bad line is reported. Invocations\n" +
			"already in the journal are kept as they are.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			in := cmd.InOrStdin()
			if name != "-" {
				f, err := os.Open(name)
				if err != nil {
					return fmt.Errorf("import: %w", err)
				}
				defer f.Close()
				in = f
			}
			path, err := o.journalPath(cmd, nil)
			if err != nil {
				return err
			}
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return fmt.Errorf("import: %w", err)
			}
			j, err := journal.Open(journal.Options{Path: path, Clock: o.clock})
			if err != nil {
				return err
			}
			defer j.Close()
			res, err := j.Import(cmd.Context(), in)
			if err != nil {
				return fmt.Errorf("import %s: %w", name, err)
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "imported %d invocations into %s (%d already there, skipped)\n",
				res.Imported, path, res.Skipped)
			return err
		},
	}
}
