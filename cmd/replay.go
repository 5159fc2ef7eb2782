package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/journal"
)

// replayOptions are the flags of funcemu replay.
type replayOptions struct {
	events eventsOptions
	file   string
	url    string
	diff   bool
	wait   time.Duration
}

func newReplayCmd() *cobra.Command {
	o := &replayOptions{events: eventsOptions{clock: emulator.SystemClock{}}}
	c := &cobra.Command{
		Use:   "replay [ID]",
		Short: "Run a recorded invocation again against a running funcemu",
		Long: `Send a recorded invocation's trigger input again to a running funcemu (found through
the app's data folder, or --url). An HTTP invocation is sent as the same request; a manual or
timer invocation goes through the admin API. With --diff, the new outputs are compared with the
recorded ones and a difference makes funcemu exit with status 1.

ID is any unique prefix of an invocation id in the journal, or, with --file, of one in a JSON
Lines export (optional when the file holds one invocation).`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id := ""
			if len(args) == 1 {
				id = args[0]
			}
			return o.run(cmd, id)
		},
	}
	f := c.Flags()
	f.StringVar(&o.events.app, "app", ".", "the function app folder")
	f.StringVar(&o.events.dataDir, "data-dir", "", "funcemu's data folder (default <app>/.funcemu)")
	f.StringVar(&o.file, "file", "", "replay from this JSON Lines export instead of the journal")
	f.StringVar(&o.url, "url", "", "the running funcemu's HTTP endpoint (default: from the data folder)")
	f.BoolVar(&o.diff, "diff", false, "compare the new outputs with the recorded ones; exit 1 on a difference")
	f.DurationVar(&o.wait, "wait", 30*time.Second, "with --diff, how long to wait for a non-HTTP invocation to finish")
	c.ValidArgsFunction = completeInvocationIDs(&o.events)
	return c
}

func (o *replayOptions) run(cmd *cobra.Command, id string) error {
	rec, err := o.load(cmd, id)
	if err != nil {
		return err
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
	out := cmd.OutOrStdout()
	since := time.Now()
	got, err := sendReplay(cmd.Context(), base, rec)
	if err != nil {
		return err
	}
	if got != nil {
		fmt.Fprintf(out, "replayed %s %s: HTTP %d\n", rec.Input.HTTP.Method, rec.Input.HTTP.URL, got.Status)
		if !o.diff {
			_, err := out.Write(got.Body)
			return err
		}
		return reportDiff(out, httpDiff(recordedHTTP(rec.Outputs), got))
	}
	fmt.Fprintf(out, "replayed %s through the admin API\n", rec.Function)
	if !o.diff {
		return nil
	}
	again, err := o.awaitInvocation(cmd, rec.Function, since)
	if err != nil {
		return err
	}
	return reportDiff(out, outputsDiff(rec.Invocation, again.Invocation))
}

// sendReplay sends rec's trigger input again to the funcemu serving base:
// an HTTP invocation as the same request, whose response it returns; a
// manual or timer invocation through the admin API, returning no response
// once the API has accepted it.
func sendReplay(ctx context.Context, base string, rec *journal.Record) (*emulator.HTTPResponse, error) {
	in := rec.Input
	switch {
	case in == nil:
		return nil, fmt.Errorf("invocation %s has no recorded input to replay", rec.ID)
	case in.HTTP != nil:
		return replayHTTP(ctx, base, in.HTTP)
	case in.Manual != nil, in.Timer != nil:
		input := ""
		if in.Manual != nil {
			input = in.Manual.Input
		}
		return nil, replayAdmin(ctx, base, rec.Function, input)
	default:
		return nil, fmt.Errorf("invocation %s: replaying %s triggers is not supported yet; only http, manual and timer", rec.ID, rec.Trigger)
	}
}

// load finds the invocation in --file or the journal.
func (o *replayOptions) load(cmd *cobra.Command, id string) (*journal.Record, error) {
	if o.file == "" {
		if id == "" {
			return nil, fmt.Errorf("give the id of the invocation to replay, or --file")
		}
		j, err := o.events.openExisting(cmd, nil)
		if err != nil {
			return nil, err
		}
		defer j.Close()
		return j.Get(cmd.Context(), id)
	}
	f, err := os.Open(o.file)
	if err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	defer f.Close()
	j, err := journal.Open(journal.Options{MaxInvocations: -1, MaxBytes: -1})
	if err != nil {
		return nil, err
	}
	defer j.Close()
	if _, err := j.Import(cmd.Context(), f); err != nil {
		return nil, fmt.Errorf("replay %s: %w", o.file, err)
	}
	if id == "" {
		all, err := j.List(cmd.Context(), journal.Filter{Limit: 2})
		if err != nil {
			return nil, err
		}
		if len(all) != 1 {
			return nil, fmt.Errorf("%s holds %d invocations: give the id of the one to replay", o.file, len(all))
		}
		id = all[0].ID
	}
	return j.Get(cmd.Context(), id)
}

// awaitInvocation polls the journal for the first invocation of function
// that started at or after since and has finished.
func (o *replayOptions) awaitInvocation(cmd *cobra.Command, function string, since time.Time) (*journal.Record, error) {
	j, err := o.events.openExisting(cmd, nil)
	if err != nil {
		return nil, err
	}
	defer j.Close()
	ctx, cancel := context.WithTimeout(cmd.Context(), o.wait)
	defer cancel()
	for {
		list, err := j.List(ctx, journal.Filter{Function: function, Since: since})
		if err == nil {
			for i := len(list) - 1; i >= 0; i-- {
				if list[i].Status != emulator.StatusRunning {
					return j.Get(ctx, list[i].ID)
				}
			}
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("the replayed %s invocation did not finish within %s (--wait)", function, o.wait)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// hopHeaders are not part of the request a handler sees again.
var hopHeaders = map[string]bool{"Host": true, "Content-Length": true, "Connection": true,
	"Transfer-Encoding": true, "Keep-Alive": true, "Te": true, "Upgrade": true, "Accept-Encoding": true}

func replayHTTP(ctx context.Context, base string, r *emulator.HTTPRequest) (*emulator.HTTPResponse, error) {
	if r.BodyTruncated {
		return nil, fmt.Errorf("the recorded request body was truncated; replaying it would send a different request")
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, base+r.URL, bytes.NewReader(r.Body))
	if err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	for k, vs := range r.Headers {
		if hopHeaders[http.CanonicalHeaderKey(k)] {
			continue
		}
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("replay: read the response: %w", err)
	}
	return &emulator.HTTPResponse{Status: resp.StatusCode, Headers: resp.Header, Body: body}, nil
}

func replayAdmin(ctx context.Context, base, function, input string) error {
	body, _ := json.Marshal(map[string]string{"input": input})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/admin/functions/"+function, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		return fmt.Errorf("replay: POST /admin/functions/%s answered %s", function, resp.Status)
	}
	return nil
}
