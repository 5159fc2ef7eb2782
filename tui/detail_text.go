package tui

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/funcemu/funcemu/emulator"
)

// maxShownBody bounds how much of a payload the detail pane prints.
const maxShownBody = 4096

// detailLines is the invocation detail before wrapping: summary, trigger
// input, outputs, error, logs, parent and children.
func detailLines(st *state, rec *invRecord) []string {
	inv := &rec.inv
	l := []string{
		"Invocation " + inv.ID,
		fmt.Sprintf("Function  %s    Trigger  %s    Status  %s", inv.Function, inv.Trigger, inv.Status),
		fmt.Sprintf("Started   %s    Duration  %s", stamp(inv.Start), durationText(inv)),
	}
	if inv.Reason != "" {
		l = append(l, "Reason    "+inv.Reason)
	}
	retries := fmt.Sprintf("Retries   %d", inv.RetryCount)
	if in := inv.Input; in != nil && in.Queue != nil {
		retries += fmt.Sprintf("    Dequeue count  %d", in.Queue.DequeueCount)
	}
	l = append(l, retries)
	if inv.ParentID != "" {
		l = append(l, "Parent    "+relatedText(st, inv.ParentID))
	}
	for i, c := range rec.children {
		label := "Children  "
		if i > 0 {
			label = "          "
		}
		l = append(l, label+relatedText(st, c))
	}
	l = append(l, "", "Input")
	l = append(l, indent(inputLines(inv.Input))...)
	l = append(l, "", "Outputs")
	l = append(l, indent(outputLines(inv.Outputs))...)
	if inv.Error != "" {
		l = append(l, "", "Error")
		l = append(l, indent(strings.Split(inv.Error, "\n"))...)
	}
	l = append(l, "", "Logs")
	if len(rec.logs) == 0 {
		l = append(l, "  (none)")
	}
	for _, lg := range rec.logs {
		for _, line := range splitLines(lg.message()) {
			l = append(l, "  "+lg.time.UTC().Format("15:04:05.000")+" "+line)
		}
	}
	return l
}

// relatedText names a parent or child invocation, with what is known of it.
func relatedText(st *state, id string) string {
	if rec := st.invocation(id); rec != nil {
		return fmt.Sprintf("%s (%s, %s)", id, rec.inv.Function, rec.inv.Status)
	}
	return id + " (no longer in history)"
}

func inputLines(in *emulator.Input) []string {
	switch {
	case in == nil:
		return []string{"(not recorded)"}
	case in.HTTP != nil:
		l := []string{in.HTTP.Method + " " + in.HTTP.URL}
		l = append(l, headerLines(in.HTTP.Headers)...)
		return append(l, bodyLines(in.HTTP.Body, in.HTTP.BodyTruncated)...)
	case in.Queue != nil:
		q := in.Queue
		l := []string{fmt.Sprintf("queue %s message %s (inserted %s)", q.Queue, q.ID, stamp(q.InsertionTime))}
		return append(l, bodyLines([]byte(q.Body), false)...)
	case in.Blob != nil:
		b := in.Blob
		l := []string{fmt.Sprintf("blob %s/%s etag %s", b.Container, b.Name, b.ETag)}
		return append(l, bodyLines(b.Content, b.ContentTruncated)...)
	case in.Timer != nil:
		return bodyLines(in.Timer.Info, false)
	case in.Manual != nil:
		return append([]string{"manual"}, bodyLines([]byte(in.Manual.Input), false)...)
	case in.EventGrid != nil:
		return append([]string{eventGridInputLine(in.EventGrid)}, bodyLines(in.EventGrid.Event, false)...)
	}
	return []string{"(empty)"}
}

func outputLines(outs []emulator.Output) []string {
	if len(outs) == 0 {
		return []string{"(none)"}
	}
	var l []string
	for _, o := range outs {
		switch {
		case o.HTTP != nil:
			l = append(l, fmt.Sprintf("%s: HTTP %d", o.Binding, o.HTTP.Status))
			l = append(l, headerLines(o.HTTP.Headers)...)
			l = append(l, bodyLines(o.HTTP.Body, false)...)
		case o.Queue != nil:
			l = append(l, fmt.Sprintf("%s: queue %s", o.Binding, o.Queue.Queue))
			l = append(l, bodyLines([]byte(o.Queue.Message), false)...)
		case o.Blob != nil:
			l = append(l, fmt.Sprintf("%s: blob %s/%s", o.Binding, o.Blob.Container, o.Blob.Name))
			l = append(l, bodyLines(o.Blob.Content, false)...)
		case o.EventGrid != nil:
			l = append(l, fmt.Sprintf("%s: %d event(s) to %s", o.Binding, len(o.EventGrid.Events), o.EventGrid.Endpoint))
		case o.Table != nil:
			l = append(l, fmt.Sprintf("%s: table %s, entity %q/%q", o.Binding, o.Table.Table, o.Table.PartitionKey, o.Table.RowKey))
			l = append(l, bodyLines(o.Table.Entity, false)...)
		default:
			l = append(l, o.Binding)
		}
	}
	return l
}

func headerLines(h map[string][]string) []string {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	l := make([]string, 0, len(names))
	for _, k := range names {
		l = append(l, k+": "+strings.Join(h[k], ", "))
	}
	return l
}

// bodyLines shows a payload: indented JSON when it is JSON, text when it
// is text, a size note when it is binary.
func bodyLines(b []byte, truncated bool) []string {
	if len(b) == 0 {
		return nil
	}
	var l []string
	var pretty strings.Builder
	switch {
	case json.Valid(b) && len(b) <= maxShownBody:
		var buf strings.Builder
		if err := indentJSON(&buf, b); err == nil {
			pretty.WriteString(buf.String())
		}
	case !utf8.Valid(b):
		return []string{fmt.Sprintf("(%d bytes of binary data)", len(b))}
	}
	if pretty.Len() == 0 {
		s := string(b)
		if len(s) > maxShownBody {
			s, truncated = s[:maxShownBody], true
		}
		pretty.WriteString(s)
	}
	l = append(l, strings.Split(strings.TrimRight(pretty.String(), "\n"), "\n")...)
	if truncated {
		l = append(l, "… (truncated)")
	}
	return l
}

func indentJSON(w *strings.Builder, b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	w.Write(out)
	return nil
}

func indent(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = "  " + l
	}
	return out
}
