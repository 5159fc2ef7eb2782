package cmd

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/funcemu/funcemu/emulator/journal"
)

// recentIDs is how many invocation ids replay's completion offers.
const recentIDs = 20

// completeFunctionNames completes a function name of the app folder named
// by --app, else by the first positional argument, else the current
// folder: every immediate subfolder that holds a function.json. It reads
// only the folder listing, so a broken app still completes.
func completeFunctionNames(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	dir := appDirForCompletion(cmd, args)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(strings.ToLower(e.Name()), strings.ToLower(toComplete)) {
			continue
		}
		if fileExists(filepath.Join(dir, e.Name(), "function.json")) {
			names = append(names, e.Name())
		}
	}
	sort.Slice(names, func(i, j int) bool { return strings.ToLower(names[i]) < strings.ToLower(names[j]) })
	return names, cobra.ShellCompDirectiveNoFileComp
}

// appDirForCompletion is the app folder a partly typed command line names:
// --app when given, else a first positional argument that is a folder
// (not, say, a function name already typed), else --app's default or ".".
func appDirForCompletion(cmd *cobra.Command, args []string) string {
	if f := cmd.Flags().Lookup("app"); f != nil && f.Changed {
		return f.Value.String()
	}
	if len(args) > 0 {
		if st, err := os.Stat(args[0]); err == nil && st.IsDir() {
			return args[0]
		}
	}
	if f := cmd.Flags().Lookup("app"); f != nil && f.Value.String() != "" {
		return f.Value.String()
	}
	return "."
}

// completeInvocationIDs completes replay's ID with the newest invocations
// in the journal of --data-dir or --app, each described by its function
// and status. Without a journal it offers nothing.
func completeInvocationIDs(o *eventsOptions) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		path, err := o.journalPath(cmd, nil)
		if err != nil || !fileExists(path) {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		j, err := journal.Open(journal.Options{Path: path, Clock: o.clock, ReadOnly: true})
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		defer j.Close()
		ctx := cmd.Context()
		if ctx == nil {
			ctx = context.Background()
		}
		invs, err := j.List(ctx, journal.Filter{Limit: recentIDs})
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var ids []string
		for _, inv := range invs {
			if strings.HasPrefix(inv.ID, toComplete) {
				ids = append(ids, inv.ID+"\t"+inv.Function+" "+string(inv.Status))
			}
		}
		return ids, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveKeepOrder
	}
}
