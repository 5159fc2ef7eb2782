package cmd

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/admin"
	"github.com/funcemu/funcemu/emulator/adminclient"
)

// invokeResult is what invoke prints with --json.
type invokeResult struct {
	Function string `json:"function"`
	admin.InvokeOutcome
}

// printInvoked reports an invocation started without --wait.
func (o *invokeOptions) printInvoked(w io.Writer, function, id string) error {
	if o.json {
		return json.NewEncoder(w).Encode(map[string]string{"function": function, "id": id})
	}
	fmt.Fprintf(w, "invoked %s: invocation %s (see its run in the console or with funcemu events show %s)\n", function, id, id)
	return nil
}

// invokeAndWait runs the function through POST /admin/funcemu/invoke/NAME,
// which names the invocation at once and answers its outcome when done.
func (o *invokeOptions) invokeAndWait(cmd *cobra.Command, c *adminclient.Client, function, input string) error {
	running, err := c.StartInvoke(cmd.Context(), function, input)
	if err != nil {
		return fmt.Errorf("invoke: %w", err)
	}
	defer running.Close()
	out := cmd.OutOrStdout()
	if !o.json {
		fmt.Fprintf(out, "invoked %s: invocation %s, waiting for it to finish\n", function, running.ID)
	}
	outcome, err := running.Wait()
	if err != nil {
		return fmt.Errorf("invoke: %w", err)
	}
	res := invokeResult{Function: function, InvokeOutcome: outcome}
	if o.json {
		if err := json.NewEncoder(out).Encode(res); err != nil {
			return err
		}
	} else if res.Status == emulator.StatusSucceeded {
		fmt.Fprintln(out, "Succeeded")
	} else {
		fmt.Fprintf(out, "Failed: %s\n", failureText(res.Error))
	}
	if res.Status != emulator.StatusSucceeded {
		return &exitError{code: 1}
	}
	return nil
}

// failureText is the error of a failed invocation, its later lines
// indented under the first.
func failureText(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return "(no message)"
	}
	return strings.ReplaceAll(s, "\n", "\n  ")
}
