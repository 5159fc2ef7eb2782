package cmd

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/funcemu/funcemu/emulator/scaffold"
)

func newNewCmd() *cobra.Command {
	var (
		opts scaffold.FunctionOptions
		dir  string
	)
	cmd := &cobra.Command{
		Use:   "new --template http|queue|blob|timer --name NAME",
		Short: "Add a function to the app",
		Long: `Add a function folder with its function.json and, for apps made by "funcemu init",
a Go file that registers the function's route in the handler.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			files, err := scaffold.NewFunction(dir, opts)
			out := cmd.OutOrStdout()
			for _, f := range files {
				fmt.Fprintf(out, "created %s\n", f)
			}
			if errors.Is(err, scaffold.ErrNoHandlerRegistry) {
				fmt.Fprintf(out, "Your handler was not made by funcemu init: add a route for POST /%s to it.\n", opts.Name)
				return nil
			}
			return err
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Template, "template", "t", "", "function template: "+strings.Join(scaffold.Templates, ", "))
	f.StringVarP(&opts.Name, "name", "n", "", "function name (its folder's name)")
	f.StringVar(&dir, "app", ".", "the app folder")
	f.StringVar(&opts.Queue, "queue", "", "queue template: the queue to read (default NAME-items)")
	f.StringVar(&opts.Container, "container", "", "blob template: the container to watch (default NAME-input)")
	f.StringVar(&opts.Table, "table", "", "table template: the table to read and write (default NAME's letters and digits)")
	f.StringVar(&opts.Schedule, "schedule", "", "timer template: NCRONTAB schedule (default every five minutes)")
	_ = cmd.MarkFlagRequired("template")
	_ = cmd.MarkFlagRequired("name")
	_ = cmd.RegisterFlagCompletionFunc("template", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return scaffold.Templates, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}
