package cmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/spf13/cobra"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/admin"
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
func (o *invokeOptions) invokeAndWait(cmd *cobra.Command, base, key, function, input string) error {
	body, _ := json.Marshal(map[string]string{"input": input})
	target := base + "/admin/funcemu/invoke/" + url.PathEscape(function)
	req, err := http.NewRequestWithContext(cmd.Context(), http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("invoke: --url %q: %w", base, err)
	}
	setAdminHeaders(req, key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("invoke: no funcemu answers at %s: %w", base, err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound:
		return fmt.Errorf("invoke: funcemu at %s has no function %q", base, function)
	default:
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return fmt.Errorf("invoke: POST /admin/funcemu/invoke/%s answered %s: %s", function, resp.Status, strings.TrimSpace(string(msg)))
	}
	out := cmd.OutOrStdout()
	id := resp.Header.Get(admin.InvocationIDHeader)
	if !o.json {
		fmt.Fprintf(out, "invoked %s: invocation %s, waiting for it to finish\n", function, id)
	}
	var res invokeResult
	if err := json.NewDecoder(resp.Body).Decode(&res.InvokeOutcome); err != nil {
		return fmt.Errorf("invoke: funcemu at %s stopped before the invocation %s finished: %w", base, id, err)
	}
	res.Function = function
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
