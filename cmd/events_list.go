package cmd

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/funcemu/funcemu/emulator"
)

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
			j, err := o.openExisting(cmd, args)
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
	fmt.Fprintln(tw, "ID\tFUNCTION\tTRIGGER\tSTATUS\tSTARTED (UTC)\tDURATION\tERROR")
	for _, inv := range invs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", inv.ID, inv.Function, inv.Trigger, inv.Status,
			inv.Start.UTC().Format("2006-01-02T15:04:05.000Z"), formatDuration(inv), firstLine(inv.Error, 60))
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
