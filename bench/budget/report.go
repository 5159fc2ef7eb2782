package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// outcome is one row as printed.
type outcome struct {
	row                  row
	measured, comparison float64
	hasMeasured, hasComp bool
	ratio                float64
	hasRatio             bool
	verdict              string // met, not met, not measured, shown
}

// evaluate looks up every row's figures and checks its budget.
func evaluate(rs []row, res *results) []outcome {
	out := make([]outcome, 0, len(rs))
	for _, r := range rs {
		o := outcome{row: r}
		o.measured, o.hasMeasured = r.measured(res)
		if r.comparison != nil {
			o.comparison, o.hasComp = r.comparison(res)
		}
		if o.hasMeasured && o.hasComp && o.comparison != 0 {
			o.ratio, o.hasRatio = o.measured/o.comparison, true
		}
		o.verdict = verdict(r.budget, o)
		out = append(out, o)
	}
	return out
}

func verdict(b budget, o outcome) string {
	v, ok := o.measured, o.hasMeasured
	if b.onRatio {
		v, ok = o.ratio, o.hasRatio
	}
	switch {
	case !ok:
		return "not measured"
	case b.text == shown.text:
		return "shown"
	case b.atMost && v <= b.limit, !b.atMost && v >= b.limit:
		return "met"
	}
	return "not met"
}

// machine is what the table was measured on.
type machine struct {
	date, cpu, goVersion  string
	cpus                  int
	loadBefore, loadAfter string
}

func describeMachine() machine {
	m := machine{date: time.Now().UTC().Format("2006-01-02 15:04 UTC"), cpus: runtime.NumCPU(), cpu: cpuModel()}
	if out, err := exec.Command("go", "version").Output(); err == nil {
		m.goVersion = strings.TrimSpace(string(out))
	}
	return m
}

// cpuModel is /proc/cpuinfo's first model name, or the architecture.
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				return strings.TrimSpace(v)
			}
		}
	}
	return runtime.GOARCH
}

// load is uptime's load averages (1, 5, 15 minutes).
func load() string {
	out, err := exec.Command("uptime").Output()
	if err != nil {
		return "unknown"
	}
	s := strings.TrimSpace(string(out))
	if i := strings.Index(s, "load average"); i >= 0 {
		return s[i:]
	}
	return s
}

// printReport writes the machine, the table and the notes, as Markdown.
func printReport(w io.Writer, m machine, outs []outcome, notes []string, quick bool) {
	fmt.Fprintf(w, "Measured %s on %d CPUs (%s), %s.\n", m.date, m.cpus, m.cpu, m.goVersion)
	fmt.Fprintf(w, "Load before: %s. Load after: %s.\n", m.loadBefore, m.loadAfter)
	if quick {
		fmt.Fprintln(w, "QUICK MODE: every row ran briefly to check the runner; these figures are not measurements.")
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| row | measured | comparison | ratio | budget | met |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	for _, o := range outs {
		measured, comparison, ratio := "-", "-", "-"
		if o.hasMeasured {
			measured = trimFloat(o.measured) + " " + o.row.unit
		}
		if o.hasComp {
			comparison = trimFloat(o.comparison) + " (" + o.row.compared + ")"
		}
		if o.hasRatio {
			ratio = strconv.FormatFloat(o.ratio, 'f', 2, 64) + "x"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", o.row.name, measured, comparison, ratio, o.row.budget.text, o.verdict)
	}
	for _, n := range notes {
		fmt.Fprintf(w, "\nNote: %s\n", n)
	}
}

// trimFloat prints v with a precision that suits its size.
func trimFloat(v float64) string {
	switch {
	case v == float64(int64(v)):
		return strconv.FormatInt(int64(v), 10)
	case v >= 100 || v <= -100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10 || v <= -10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}
