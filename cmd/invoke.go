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
)

// invokeOptions are funcemu invoke's flags.
type invokeOptions struct {
	events    eventsOptions // --app and --data-dir find the running instance
	url       string
	input     string
	inputFile string
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
trigger gets a POST with it as the body, a timer ignores it, an eventGridTrigger gets it as the event
(a JSON object in the Event Grid or CloudEvents schema). An --input naming an existing .json file
sends that file's content, so "funcemu invoke OnUpload --input event.json" fires a saved event.`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: invokeCompletion,
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.run(cmd, args[0])
		},
	}
	f := c.Flags()
	f.StringVar(&o.events.app, "app", ".", "the function app folder")
	f.StringVar(&o.events.dataDir, "data-dir", "", "funcemu's data folder (default <app>/.funcemu)")
	f.StringVar(&o.url, "url", "", "the running funcemu's HTTP endpoint (default: from the data folder)")
	f.StringVar(&o.input, "input", "", "the input string")
	f.StringVar(&o.inputFile, "input-file", "", "read the input string from this file (- for stdin)")
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
	if err := postInvoke(cmd, base, function, input); err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "invoked %s (see its run in the console or with funcemu events list)\n", function)
	return nil
}

// postInvoke asks the admin API to run the function; it answers 202 and
// runs it in the background.
func postInvoke(cmd *cobra.Command, base, function, input string) error {
	body, _ := json.Marshal(map[string]string{"input": input})
	target := base + "/admin/functions/" + url.PathEscape(function)
	req, err := http.NewRequestWithContext(cmd.Context(), http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("invoke: --url %q: %w", base, err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("invoke: no funcemu answers at %s: %w", base, err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	switch resp.StatusCode {
	case http.StatusAccepted:
		return nil
	case http.StatusNotFound:
		return fmt.Errorf("invoke: funcemu at %s has no function %q", base, function)
	}
	return fmt.Errorf("invoke: POST /admin/functions/%s answered %s: %s", function, resp.Status, strings.TrimSpace(string(msg)))
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
