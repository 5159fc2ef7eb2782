package cmd

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/admin"
)

// invokeOptions are funcemu invoke's flags.
type invokeOptions struct {
	events    eventsOptions // --app and --data-dir find the running instance
	url       string
	input     string
	inputFile string
	wait      bool // wait for the outcome; exit 1 when it failed
	json      bool // one JSON object instead of text
}

func newInvokeCmd() *cobra.Command {
	o := &invokeOptions{events: eventsOptions{clock: emulator.SystemClock{}}}
	c := &cobra.Command{
		Use:   "invoke NAME",
		Short: "Fire a function of a running funcemu, whatever its trigger",
		Long: `Run a function of a running funcemu now, through its admin API (POST /admin/functions/NAME),
as the portal's Test/Run does. The running funcemu is found through the app's data folder, or --url.

The input is bound to the trigger as Azure's host binds it: a queue trigger gets it as the
message text, a blob trigger reads the blob at the path "container/blob" it names, an HTTP
trigger gets a POST with it as the body, a timer ignores it, an eventGridTrigger gets it as the
event (a JSON object in the Event Grid or CloudEvents schema). An --input naming an existing .json
file sends that file's content, so "funcemu invoke OnUpload --input event.json" fires a saved event.

It prints the invocation id; --wait waits for the outcome (retries included), prints
Succeeded or Failed: <message> and exits 0 or 1.`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: invokeCompletion,
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.run(cmd, args[0])
		},
	}
	f := c.Flags()
	f.StringVar(&o.events.app, "app", ".", "the function app folder")
	f.StringVar(&o.events.dataDir, "data-dir", "", dataDirHelp)
	f.StringVar(&o.url, "url", "", "the running funcemu's HTTP endpoint (default: from the data folder)")
	f.StringVar(&o.input, "input", "", "the input string")
	f.StringVar(&o.inputFile, "input-file", "", "read the input string from this file (- for stdin)")
	f.BoolVar(&o.wait, "wait", false, "wait for the outcome: print Succeeded or Failed: <message>, exit 0 or 1")
	f.BoolVar(&o.json, "json", false, `print one JSON object: {"function", "id", and with --wait "lastId", "status", "error"}`)
	return c
}

func (o *invokeOptions) run(cmd *cobra.Command, function string) error {
	if cmd.Flags().Changed("input") && o.inputFile != "" {
		return errors.New("give the input once: --input or --input-file, not both")
	}
	input := o.input
	if o.inputFile != "" {
		var b []byte
		var err error
		if o.inputFile == "-" {
			b, err = io.ReadAll(cmd.InOrStdin())
		} else {
			b, err = os.ReadFile(o.inputFile)
		}
		if err != nil {
			return fmt.Errorf("--input-file: %w", err)
		}
		input = string(b)
	} else if b, ok := readJSONInput(input); ok {
		input = string(b)
	}
	base := strings.TrimSuffix(o.url, "/")
	if base == "" {
		dir, err := o.events.dataDirIn(cmd, nil)
		if err != nil {
			return err
		}
		e, err := readInstance(dir)
		if err != nil {
			return err
		}
		base = e.HTTP
	}
	key, err := cliMasterKey(cmd, &o.events)
	if err != nil {
		return err
	}
	noteBase64Input(cmd.ErrOrStderr(), input)
	if o.wait {
		return o.invokeAndWait(cmd, base, key, function, input)
	}
	id, err := postInvoke(cmd, base, key, function, input)
	if err != nil {
		return err
	}
	return o.printInvoked(cmd.OutOrStdout(), function, id)
}

// postInvoke asks the admin API to run the function; it answers 202 and
// runs it in the background. key is the master key, "" when keys are off.
func postInvoke(cmd *cobra.Command, base, key, function, input string) (string, error) {
	body, _ := json.Marshal(map[string]string{"input": input})
	target := base + "/admin/functions/" + url.PathEscape(function)
	req, err := http.NewRequestWithContext(cmd.Context(), http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("invoke: --url %q: %w", base, err)
	}
	setAdminHeaders(req, key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("invoke: no funcemu answers at %s: %w", base, err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	switch resp.StatusCode {
	case http.StatusAccepted:
		return resp.Header.Get(admin.InvocationIDHeader), nil
	case http.StatusNotFound:
		return "", fmt.Errorf("invoke: funcemu at %s has no function %q", base, function)
	}
	return "", fmt.Errorf("invoke: POST /admin/functions/%s answered %s: %s", function, resp.Status, strings.TrimSpace(string(msg)))
}

// readJSONInput reads --input as a file when it names an existing .json
// file, as "funcemu invoke NAME --input EVENT.json" expects.
func readJSONInput(input string) ([]byte, bool) {
	if !strings.HasSuffix(strings.ToLower(input), ".json") {
		return nil, false
	}
	b, err := os.ReadFile(input)
	return b, err == nil
}
