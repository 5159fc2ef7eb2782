package cmd

import (
	"errors"
	"fmt"
	"io"
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
	wait      bool // wait for the outcome; exit 1 when it failed
	json      bool // one JSON object instead of text
	sys       *Factory
}

func newInvokeCmd(sys *Factory) *cobra.Command {
	o := &invokeOptions{events: eventsOptions{clock: emulator.SystemClock{}}, sys: sys}
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
	c, err := o.sys.adminClient(cmd, &o.events, o.url)
	if err != nil {
		return err
	}
	noteBase64Input(cmd.ErrOrStderr(), input)
	if o.wait {
		return o.invokeAndWait(cmd, c, function, input)
	}
	id, err := c.Invoke(cmd.Context(), function, input)
	if err != nil {
		return fmt.Errorf("invoke: %w", err)
	}
	return o.printInvoked(cmd.OutOrStdout(), function, id)
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
