package cmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/funcemu/funcemu/emulator/scaffold"
)

func newInitCmd() *cobra.Command {
	var opts scaffold.InitOptions
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Create a new Go custom-handler function app",
		Long: `Create a new Go custom-handler function app in DIR (default: the current folder):
host.json, local.settings.json using the embedded storage, go.mod, a handler, .gitignore
and .funcignore. Add functions with "funcemu new", run it with "funcemu start".`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			files, err := scaffold.Init(dir, opts)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			for _, f := range files {
				fmt.Fprintf(out, "created %s\n", f)
			}
			fmt.Fprintf(out, "\nNext: funcemu new --app %s --template http --name hello\n      funcemu start %s\n", dir, dir)
			return nil
		},
	}
	cmd.Flags().StringVar(&opts.Module, "module", "", "module path for go.mod (default: the folder's name)")
	return cmd
}
