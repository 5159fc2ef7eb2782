package cmd

import (
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/spf13/cobra"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/journal"
)

// eventsOptions are the flags every events subcommand shares.
type eventsOptions struct {
	app     string
	dataDir string
	clock   emulator.Clock
}

func newEventsCmd() *cobra.Command {
	o := &eventsOptions{clock: emulator.SystemClock{}}
	c := &cobra.Command{
		Use:   "events",
		Short: "List, show, export and import recorded invocations",
		Long: "Every invocation funcemu runs is recorded with its input, outputs and logs in\n" +
			"<data-dir>/journal.db. These commands read that journal, also while funcemu runs.",
	}
	c.PersistentFlags().StringVar(&o.app, "app", ".", "the function app folder")
	c.PersistentFlags().StringVar(&o.dataDir, "data-dir", "", dataDirHelp)
	c.AddCommand(newEventsListCmd(o), newEventsShowCmd(o), newEventsExportCmd(o), newEventsImportCmd(o))
	return c
}

// dataDirIn is --data-dir, or the data folder of the app: appArgs[0]
// when given, else --app. It resolves as start does (resolveDataDir).
func (o *eventsOptions) dataDirIn(cmd *cobra.Command, appArgs []string) (string, error) {
	app := o.app
	if o.dataDir == "" && len(appArgs) > 0 {
		if cmd.Flags().Changed("app") && appArgs[0] != o.app {
			return "", fmt.Errorf("app folder given twice, as %s and --app %s: give one", appArgs[0], o.app)
		}
		app = appArgs[0]
	}
	return resolveDataDir(app, o.dataDir)
}

// journalPath is the journal file in that data folder.
func (o *eventsOptions) journalPath(cmd *cobra.Command, appArgs []string) (string, error) {
	dir, err := o.dataDirIn(cmd, appArgs)
	if err != nil {
		return "", err
	}
	return journal.PathIn(dir), nil
}

// openExisting opens a journal that must already exist, read-only:
// reading commands never create data folders nor write a journal.
func (o *eventsOptions) openExisting(cmd *cobra.Command, appArgs []string) (*journal.Journal, error) {
	path, err := o.journalPath(cmd, appArgs)
	if err != nil {
		return nil, err
	}
	j, err := journal.Open(journal.Options{Path: path, Clock: o.clock, ReadOnly: true})
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no journal at %s: run funcemu start in the app folder first, or pass --app or --data-dir", path)
	}
	return j, err
}

// filterFlags are the selection flags of list and export.
type filterFlags struct {
	function string
	status   string
	since    string
	limit    int
}

func (f *filterFlags) register(c *cobra.Command, limit int) {
	c.Flags().StringVar(&f.function, "function", "", "only invocations of this function")
	c.Flags().StringVar(&f.status, "status", "", "only invocations with this status: running, succeeded, failed or canceled")
	c.Flags().StringVar(&f.since, "since", "", "only invocations started since a duration ago (90m) or an RFC 3339 time")
	c.Flags().IntVar(&f.limit, "limit", limit, "at most this many, the newest (0 for all)")
}

func (f *filterFlags) filter(now time.Time) (journal.Filter, error) {
	out := journal.Filter{Function: f.function, Limit: f.limit}
	switch s := emulator.InvocationStatus(f.status); s {
	case "", emulator.StatusRunning, emulator.StatusSucceeded, emulator.StatusFailed, emulator.StatusCanceled:
		out.Status = s
	default:
		return out, fmt.Errorf("--status %q: want running, succeeded, failed or canceled", f.status)
	}
	if f.limit < 0 {
		return out, fmt.Errorf("--limit %d: must not be negative", f.limit)
	}
	since, err := parseSince(f.since, now)
	if err != nil {
		return out, err
	}
	out.Since = since
	return out, nil
}

// parseSince reads --since: a duration back from now, or an RFC 3339 time.
func parseSince(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		if d < 0 {
			return time.Time{}, fmt.Errorf("--since %q: duration must not be negative", s)
		}
		return now.Add(-d), nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("--since %q: want a duration such as 90m or an RFC 3339 time such as 2026-03-01T09:00:00Z", s)
	}
	return t, nil
}
