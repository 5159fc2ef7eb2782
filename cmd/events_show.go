package cmd

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/journal"
)

func newEventsShowCmd(o *eventsOptions) *cobra.Command {
	var asJSON, raw bool
	c := &cobra.Command{
		Use:   "show ID",
		Short: "Show one invocation: input, outputs, logs, parent and children",
		Long:  "Show one invocation. ID may be any unique prefix of the invocation id.",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			j, err := o.openExisting(cmd, nil)
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
			if raw {
				return writeExchange(cmd.OutOrStdout(), rec)
			}
			return writeRecord(cmd.OutOrStdout(), rec)
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print the invocation as one line of the export format")
	c.Flags().BoolVar(&raw, "raw", false, "print the request envelope sent to the handler and its answer, byte for byte")
	return c
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
	field("Started", "%s", rec.Start.UTC().Format(time.RFC3339Nano))
	if rec.Clock == journal.ClockVirtual {
		field("Clock", "virtual: the times are funcemu clock's, not the wall clock's")
	}
	if !rec.End.IsZero() {
		field("Ended", "%s (%s)", rec.End.UTC().Format(time.RFC3339Nano), formatDuration(rec.Invocation))
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
			fmt.Fprintf(&b, "  %s  %-7s  %s\n", l.Time.UTC().Format("15:04:05.000Z"), l.Level, l.Message)
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
		writeMessage(b, m.Body)
	case in.Blob != nil:
		bl := in.Blob
		fmt.Fprintf(b, "  blob %s/%s, etag %s, %d bytes\n", bl.Container, bl.Name, bl.ETag, len(bl.Content))
		writeBody(b, bl.Content, bl.ContentTruncated)
	case in.Timer != nil:
		fmt.Fprintf(b, "  timer %s\n", in.Timer.Info)
	case in.Manual != nil:
		b.WriteString("  manual\n")
		writeBody(b, []byte(in.Manual.Input), false)
	case in.EventGrid != nil:
		g := in.EventGrid
		fmt.Fprintf(b, "  event grid: subscription %q, delivery %d, published by %s\n", g.Subscription, g.DeliveryCount, g.Cause)
		writeBody(b, g.Event, false)
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
		writeMessage(b, out.Queue.Message)
	case out.Blob != nil:
		fmt.Fprintf(b, "  %s: blob %s/%s, %d bytes\n", out.Binding, out.Blob.Container, out.Blob.Name, len(out.Blob.Content))
		writeBody(b, out.Blob.Content, false)
	case out.EventGrid != nil:
		fmt.Fprintf(b, "  %s: %d event(s) to %s\n", out.Binding, len(out.EventGrid.Events), out.EventGrid.Endpoint)
	case out.Table != nil:
		fmt.Fprintf(b, "  %s: table %s, entity %q/%q\n", out.Binding, out.Table.Table, out.Table.PartitionKey, out.Table.RowKey)
		writeBody(b, out.Table.Entity, false)
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
