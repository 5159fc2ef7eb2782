package cmd

import "github.com/spf13/cobra"

// invokeCompletion completes funcemu invoke's function name from the app
// folder (--app, else the current folder); invoke takes one name only.
var invokeCompletion cobra.CompletionFunc = func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return completeFunctionNames(cmd, nil, toComplete)
}
