package cmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/funcemu/funcemu/emulator"
)

// recordedHTTP is the HTTP response among outputs, or nil.
func recordedHTTP(outputs []emulator.Output) *emulator.HTTPResponse {
	for _, o := range outputs {
		if o.HTTP != nil {
			return o.HTTP
		}
	}
	return nil
}

// httpDiff lists how got differs from the recorded response: status,
// Content-Type and body. Other headers carry dates and ids.
func httpDiff(want, got *emulator.HTTPResponse) []string {
	if want == nil {
		return []string{"no HTTP response was recorded to compare with"}
	}
	var diffs []string
	if want.Status != got.Status {
		diffs = append(diffs, fmt.Sprintf("status: recorded %d, now %d", want.Status, got.Status))
	}
	if w, g := header(want.Headers, "Content-Type"), header(got.Headers, "Content-Type"); w != g {
		diffs = append(diffs, fmt.Sprintf("Content-Type: recorded %q, now %q", w, g))
	}
	if !bytes.Equal(want.Body, got.Body) {
		diffs = append(diffs, fmt.Sprintf("body: recorded %q, now %q", want.Body, got.Body))
	}
	return diffs
}

func header(h map[string][]string, name string) string {
	for k, vs := range h {
		if len(vs) > 0 && strings.EqualFold(k, name) {
			return vs[0]
		}
	}
	return ""
}

// outputsDiff compares what two invocations of a function wrote and how
// they ended, ignoring ids and times.
func outputsDiff(want, got emulator.Invocation) []string {
	var diffs []string
	if want.Status != got.Status {
		diffs = append(diffs, fmt.Sprintf("status: recorded %s, now %s", want.Status, got.Status))
	}
	if want.Error != got.Error {
		diffs = append(diffs, fmt.Sprintf("error: recorded %q, now %q", want.Error, got.Error))
	}
	w, g := outputsByBinding(want.Outputs), outputsByBinding(got.Outputs)
	names := make([]string, 0, len(w)+len(g))
	for n := range w {
		names = append(names, n)
	}
	for n := range g {
		if _, ok := w[n]; !ok {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	for _, n := range names {
		if w[n] != g[n] {
			diffs = append(diffs, fmt.Sprintf("output %s: recorded %s, now %s", n, orNone(w[n]), orNone(g[n])))
		}
	}
	return diffs
}

func outputsByBinding(outs []emulator.Output) map[string]string {
	m := map[string]string{}
	for _, o := range outs {
		if o.HTTP != nil {
			o.HTTP = &emulator.HTTPResponse{Status: o.HTTP.Status, Body: o.HTTP.Body} // headers carry dates
		}
		b, _ := json.Marshal(o)
		m[o.Binding] += string(b)
	}
	return m
}

func orNone(s string) string {
	if s == "" {
		return "nothing"
	}
	return s
}

// reportDiff prints the differences and fails when there are any.
func reportDiff(w io.Writer, diffs []string) error {
	if len(diffs) == 0 {
		_, err := fmt.Fprintln(w, "outputs match the recording")
		return err
	}
	for _, d := range diffs {
		fmt.Fprintln(w, "differs:", d)
	}
	return &exitError{code: 1}
}
