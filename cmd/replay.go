package cmd

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/admin"
	"github.com/funcemu/funcemu/emulator/adminclient"
	"github.com/funcemu/funcemu/emulator/journal"
)

// replayOptions are the flags of funcemu replay.
type replayOptions struct {
	events eventsOptions
	file   string
	url    string
	diff   bool
	dryRun bool
	wait   time.Duration
	sys    *Factory
}

func newReplayCmd(sys *Factory) *cobra.Command {
	o := &replayOptions{events: eventsOptions{clock: emulator.SystemClock{}}, sys: sys}
	c := &cobra.Command{
		Use:   "replay [ID]",
		Short: "Run a recorded invocation again against a running funcemu",
		Long: `Send a recorded invocation's trigger input again to a running funcemu (found through
the app's data folder, or --url). An HTTP invocation is sent as the same request; a manual or
timer invocation, a queue message or a blob version goes through the admin API, which runs
it with the request its trigger builds. With --diff, the new outputs are compared with the
recorded ones and a difference makes funcemu exit with status 1. With --dry-run, queue and
blob outputs are recorded in the journal but not written to storage.

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
	f.StringVar(&o.events.dataDir, "data-dir", "", dataDirHelp)
	f.StringVar(&o.file, "file", "", "replay from this JSON Lines export instead of the journal")
	f.StringVar(&o.url, "url", "", "the running funcemu's HTTP endpoint (default: from the data folder)")
	f.BoolVar(&o.diff, "diff", false, "compare the new outputs with the recorded ones; exit 1 on a difference")
	f.BoolVar(&o.dryRun, "dry-run", false, "record the queue and blob outputs without writing them to storage")
	f.DurationVar(&o.wait, "wait", 30*time.Second, "with --diff, how long to wait for a non-HTTP invocation to finish")
	c.ValidArgsFunction = completeInvocationIDs(&o.events)
	return c
}

func (o *replayOptions) run(cmd *cobra.Command, id string) error {
	rec, err := o.load(cmd, id)
	if err != nil {
		return err
	}
	c, err := o.sys.adminClient(cmd, &o.events, o.url)
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	got, err := sendReplay(cmd.Context(), c, rec, o.dryRun)
	if err != nil {
		return err
	}
	if got.http != nil {
		fmt.Fprintf(out, "replayed %s %s: HTTP %d\n", rec.Input.HTTP.Method, rec.Input.HTTP.URL, got.http.Status)
		if !o.diff {
			_, err := out.Write(got.http.Body)
			return err
		}
		return reportDiff(out, httpDiff(recordedHTTP(rec.Outputs), got.http))
	}
	fmt.Fprintf(out, "replayed %s through the admin API as invocation %s: %s\n", rec.Function, got.id, got.status)
	if !o.diff {
		return nil
	}
	again, err := o.awaitRecord(cmd, got.id)
	if err != nil {
		return err
	}
	return reportDiff(out, outputsDiff(rec.Invocation, again.Invocation))
}

// replayed is what a replay made: the HTTP response of an HTTP
// invocation, or the id and status of the new invocation.
type replayed struct {
	http   *emulator.HTTPResponse
	id     string
	status emulator.InvocationStatus
}

// sendReplay sends rec's trigger input again to the funcemu c calls: an
// HTTP invocation as the same request; anything else through
// POST /admin/funcemu/replay, which runs it the way its trigger did.
func sendReplay(ctx context.Context, c *adminclient.Client, rec *journal.Record, dryRun bool) (*replayed, error) {
	in := rec.Input
	switch {
	case in == nil:
		return nil, fmt.Errorf("invocation %s has no recorded input to replay", rec.ID)
	case in.HTTP != nil:
		if in.HTTP.BodyTruncated {
			return nil, fmt.Errorf("the recorded request body was truncated; replaying it would send a different request")
		}
		resp, err := c.SendHTTP(ctx, in.HTTP, dryRun)
		if err != nil {
			return nil, fmt.Errorf("replay: %w", err)
		}
		return &replayed{http: resp}, nil
	default:
		got, err := c.Replay(ctx, admin.ReplayRequest{Function: rec.Function, Input: in, DryRun: dryRun})
		if err != nil {
			return nil, fmt.Errorf("replay %s: %w", rec.Function, err)
		}
		return &replayed{id: got.ID, status: got.Status}, nil
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

// awaitRecord polls the journal until the invocation id is recorded as
// finished: the journal writes a moment after the invocation ends.
func (o *replayOptions) awaitRecord(cmd *cobra.Command, id string) (*journal.Record, error) {
	j, err := o.events.openExisting(cmd, nil)
	if err != nil {
		return nil, err
	}
	defer j.Close()
	ctx, cancel := context.WithTimeout(cmd.Context(), o.wait)
	defer cancel()
	for {
		rec, err := j.Get(ctx, id)
		if err == nil && rec.Status != emulator.StatusRunning {
			return rec, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("the replayed invocation %s is not in the journal within %s (--wait)", id, o.wait)
		case <-time.After(50 * time.Millisecond):
		}
	}
}
