package cmd

import "github.com/spf13/cobra"

// invokeCompletion completes funcemu invoke's function name.
var invokeCompletion cobra.CompletionFunc = cobra.NoFileCompletions
