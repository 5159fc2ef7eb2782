package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

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
	c.PersistentFlags().StringVar(&o.dataDir, "data-dir", "", "funcemu's data folder (default <app>/.funcemu)")
	c.AddCommand(newEventsListCmd(o), newEventsShowCmd(o), newEventsExportCmd(o), newEventsImportCmd(o))
	return c
}

// journalPath is the journal file, with args[0] (when given) as the app
// folder in place of --app.
func (o *eventsOptions) journalPath(args []string) string {
	dir := o.dataDir
	if dir == "" {
		app := o.app
		if len(args) > 0 {
			app = args[0]
		}
		dir = filepath.Join(app, ".funcemu")
	}
	return journal.PathIn(dir)
}

// openExisting opens a journal that must already exist: reading commands
// never create data folders.
func (o *eventsOptions) openExisting(args []string) (*journal.Journal, error) {
	path := o.journalPath(args)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no journal at %s: run funcemu start in the app folder first, or pass --app or --data-dir", path)
	}
	return journal.Open(journal.Options{Path: path, Clock: o.clock})
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
	c.Flags().StringVar(&f.status, "status", "", "only invocations with this status: running, succeeded or failed")
	c.Flags().StringVar(&f.since, "since", "", "only invocations started since a duration ago (90m) or an RFC 3339 time")
	c.Flags().IntVar(&f.limit, "limit", limit, "at most this many, the newest (0 for all)")
}

func (f *filterFlags) filter(now time.Time) (journal.Filter, error) {
	out := journal.Filter{Function: f.function, Limit: f.limit}
	switch s := emulator.InvocationStatus(f.status); s {
	case "", emulator.StatusRunning, emulator.StatusSucceeded, emulator.StatusFailed:
		out.Status = s
	default:
		return out, fmt.Errorf("--status %q: want running, succeeded or failed", f.status)
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

func newEventsListCmd(o *eventsOptions) *cobra.Command {
	var ff filterFlags
	var asJSON bool
	c := &cobra.Command{
		Use:   "list [app-dir]",
		Short: "List recorded invocations, newest first",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := ff.filter(o.clock.Now())
			if err != nil {
				return err
			}
			j, err := o.openExisting(args)
			if err != nil {
				return err
			}
			defer j.Close()
			invs, err := j.List(cmd.Context(), f)
			if err != nil {
				return err
			}
			if asJSON {
				return writeSummariesJSON(cmd.OutOrStdout(), invs)
			}
			return writeSummaryTable(cmd.OutOrStdout(), invs)
		},
	}
	ff.register(c, 50)
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON Lines, one invocation per line, instead of a table")
	return c
}

// summary is one line of list --json: the journal's record format without
// payloads and logs, plus the duration.
type summary struct {
	ID         string   `json:"id"`
	Function   string   `json:"function"`
	Trigger    string   `json:"trigger,omitempty"`
	Reason     string   `json:"reason,omitempty"`
	ParentID   string   `json:"parentId,omitempty"`
	RetryCount int      `json:"retryCount,omitempty"`
	Status     string   `json:"status"`
	Error      string   `json:"error,omitempty"`
	Start      string   `json:"start"`
	End        string   `json:"end,omitempty"`
	DurationMS *float64 `json:"durationMs,omitempty"` // set once ended
}

func writeSummariesJSON(w io.Writer, invs []emulator.Invocation) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, inv := range invs {
		s := summary{
			ID: inv.ID, Function: inv.Function, Trigger: inv.Trigger, Reason: inv.Reason,
			ParentID: inv.ParentID, RetryCount: inv.RetryCount, Status: string(inv.Status),
			Error: inv.Error, Start: inv.Start.UTC().Format(time.RFC3339Nano),
		}
		if !inv.End.IsZero() {
			s.End = inv.End.UTC().Format(time.RFC3339Nano)
			ms := float64(inv.Duration()) / float64(time.Millisecond)
			s.DurationMS = &ms
		}
		if err := enc.Encode(s); err != nil {
			return err
		}
	}
	return nil
}

func writeSummaryTable(w io.Writer, invs []emulator.Invocation) error {
	if len(invs) == 0 {
		_, err := fmt.Fprintln(w, "no invocations recorded")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tFUNCTION\tTRIGGER\tSTATUS\tSTARTED\tDURATION\tERROR")
	for _, inv := range invs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", inv.ID, inv.Function, inv.Trigger, inv.Status,
			inv.Start.Local().Format("2006-01-02 15:04:05.000"), formatDuration(inv), firstLine(inv.Error, 60))
	}
	return tw.Flush()
}

func formatDuration(inv emulator.Invocation) string {
	if inv.End.IsZero() {
		return "-"
	}
	d := inv.Duration()
	if d < time.Second {
		return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond))
	}
	return d.Round(time.Millisecond).String()
}

// firstLine is s's first line, cut to max runes.
func firstLine(s string, max int) string {
	s, _, cut := strings.Cut(s, "\n")
	if r := []rune(s); len(r) > max {
		return string(r[:max-1]) + "…"
	}
	if cut {
		return s + " …"
	}
	return s
}

func newEventsShowCmd(o *eventsOptions) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "show ID",
		Short: "Show one invocation: input, outputs, logs, parent and children",
		Long:  "Show one invocation. ID may be any unique prefix of the invocation id.",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			j, err := o.openExisting(nil)
			if err != nil {
				return err
			}
			defer j.Close()
			rec, err := j.Get(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if asJSON {
				return j.Export(cmd.Context(), cmd.OutOrStdout(), journal.Filter{ID: rec.ID})
			}
			return writeRecord(cmd.OutOrStdout(), rec)
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print the invocation as one line of the export format")
	return c
}

func newEventsExportCmd(o *eventsOptions) *cobra.Command {
	var ff filterFlags
	var out string
	c := &cobra.Command{
		Use:   "export [app-dir]",
		Short: "Write recorded invocations as JSON Lines, oldest first",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := ff.filter(o.clock.Now())
			if err != nil {
				return err
			}
			j, err := o.openExisting(args)
			if err != nil {
				return err
			}
			defer j.Close()
			if out == "" || out == "-" {
				return j.Export(cmd.Context(), cmd.OutOrStdout(), f)
			}
			return exportFile(cmd.Context(), j, out, f)
		},
	}
	ff.register(c, 0)
	c.Flags().StringVarP(&out, "out", "o", "", "write to this file instead of stdout")
	return c
}

// exportFile writes the export beside out and renames it into place, so
// a failed export never leaves a truncated file.
func exportFile(ctx context.Context, j *journal.Journal, out string, f journal.Filter) error {
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*")
	if err != nil {
		return fmt.Errorf("export to %s: %w", out, err)
	}
	defer os.Remove(tmp.Name())
	if err := j.Export(ctx, tmp, f); err != nil {
		tmp.Close()
		return fmt.Errorf("export to %s: %w", out, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("export to %s: %w", out, err)
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return fmt.Errorf("export to %s: %w", out, err)
	}
	return nil
}

func newEventsImportCmd(o *eventsOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE",
		Short: "Add invocations from a JSON Lines export to the journal",
		Long: "Add invocations from a JSON Lines export (\"-\" reads stdin). The import is all or\n" +
			"nothing: a bad line rejects the file and every bad line is reported. Invocations\n" +
			"already in the journal are kept as they are.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			in := cmd.InOrStdin()
			if name != "-" {
				f, err := os.Open(name)
				if err != nil {
					return fmt.Errorf("import: %w", err)
				}
				defer f.Close()
				in = f
			}
			path := o.journalPath(nil)
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return fmt.Errorf("import: %w", err)
			}
			j, err := journal.Open(journal.Options{Path: path, Clock: o.clock})
			if err != nil {
				return err
			}
			defer j.Close()
			res, err := j.Import(cmd.Context(), in)
			if err != nil {
				return fmt.Errorf("import %s: %w", name, err)
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "imported %d invocations into %s (%d already there, skipped)\n",
				res.Imported, path, res.Skipped)
			return err
		},
	}
}

// writeRecord prints one invocation for people.
func writeRecord(w io.Writer, rec *journal.Record) error {
	var b bytes.Buffer
	field := func(name, format string, args ...any) {
		fmt.Fprintf(&b, "%-10s %s\n", name, fmt.Sprintf(format, args...))
	}
	field("ID", "%s", rec.ID)
	field("Function", "%s", rec.Function)
	field("Trigger", "%s", rec.Trigger)
	if rec.Reason != "" {
		field("Reason", "%s", rec.Reason)
	}
	field("Status", "%s", rec.Status)
	field("Started", "%s", rec.Start.Local().Format(time.RFC3339Nano))
	if !rec.End.IsZero() {
		field("Ended", "%s (%s)", rec.End.Local().Format(time.RFC3339Nano), formatDuration(rec.Invocation))
	}
	if rec.RetryCount > 0 {
		field("Retry", "%d", rec.RetryCount)
	}
	if rec.ParentID != "" {
		field("Parent", "%s", rec.ParentID)
	}
	if rec.Error != "" {
		field("Error", "%s", rec.Error)
	}
	for i, c := range rec.Children {
		name := ""
		if i == 0 {
			name = "Children"
		}
		field(name, "%s  %s  %s", c.ID, c.Function, c.Status)
	}
	if rec.Input != nil {
		b.WriteString("\nInput\n")
		writeInput(&b, rec.Input)
	}
	if len(rec.Outputs) > 0 {
		b.WriteString("\nOutputs\n")
		for _, out := range rec.Outputs {
			writeOutput(&b, out)
		}
	}
	if len(rec.Logs) > 0 {
		b.WriteString("\nLogs\n")
		for _, l := range rec.Logs {
			fmt.Fprintf(&b, "  %s  %-7s  %s\n", l.Time.Local().Format("15:04:05.000"), l.Level, l.Message)
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

func writeInput(b *bytes.Buffer, in *emulator.Input) {
	switch {
	case in.HTTP != nil:
		r := in.HTTP
		fmt.Fprintf(b, "  %s %s\n", r.Method, r.URL)
		writeHeaders(b, r.Headers)
		writeBody(b, r.Body, r.BodyTruncated)
	case in.Queue != nil:
		m := in.Queue
		fmt.Fprintf(b, "  queue %s, message %s, dequeue count %d\n", m.Queue, m.ID, m.DequeueCount)
		writeBody(b, []byte(m.Body), false)
	case in.Blob != nil:
		bl := in.Blob
		fmt.Fprintf(b, "  blob %s/%s, etag %s, %d bytes\n", bl.Container, bl.Name, bl.ETag, len(bl.Content))
		writeBody(b, bl.Content, bl.ContentTruncated)
	case in.Timer != nil:
		fmt.Fprintf(b, "  timer %s\n", in.Timer.Info)
	case in.Manual != nil:
		b.WriteString("  manual\n")
		writeBody(b, []byte(in.Manual.Input), false)
	}
}

func writeOutput(b *bytes.Buffer, out emulator.Output) {
	switch {
	case out.HTTP != nil:
		fmt.Fprintf(b, "  %s: HTTP %d\n", out.Binding, out.HTTP.Status)
		writeHeaders(b, out.HTTP.Headers)
		writeBody(b, out.HTTP.Body, false)
	case out.Queue != nil:
		fmt.Fprintf(b, "  %s: queue %s\n", out.Binding, out.Queue.Queue)
		writeBody(b, []byte(out.Queue.Message), false)
	case out.Blob != nil:
		fmt.Fprintf(b, "  %s: blob %s/%s, %d bytes\n", out.Binding, out.Blob.Container, out.Blob.Name, len(out.Blob.Content))
		writeBody(b, out.Blob.Content, false)
	default:
		fmt.Fprintf(b, "  %s\n", out.Binding)
	}
}

func writeHeaders(b *bytes.Buffer, h map[string][]string) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(b, "  %s: %s\n", k, strings.Join(h[k], ", "))
	}
}

// writeBody prints text as text and anything else as a byte count.
func writeBody(b *bytes.Buffer, body []byte, truncated bool) {
	if len(body) == 0 {
		return
	}
	if !utf8.Valid(body) || bytes.ContainsFunc(body, isControl) {
		fmt.Fprintf(b, "    (%d bytes of binary data)\n", len(body))
	} else {
		for _, l := range strings.Split(strings.TrimRight(string(body), "\n"), "\n") {
			fmt.Fprintf(b, "    %s\n", l)
		}
	}
	if truncated {
		b.WriteString("    (truncated)\n")
	}
}

func isControl(r rune) bool { return r < 0x20 && r != '\n' && r != '\r' && r != '\t' }
