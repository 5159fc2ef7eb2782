package tui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/funcemu/funcemu/emulator"
)

// verboseHint replaces Core Tools' "run func with --verbose flag" line.
const verboseHint = "For detailed output, run funcemu with --verbose flag."

// formatText renders e as `func start` console lines.
func (p *Printer) formatText(e emulator.Event) []byte {
	var b strings.Builder
	ts := stamp(e.Time)
	switch e.Kind {
	case emulator.EventLog:
		if e.Log != nil && logVisible(e.Log, p.opts.Verbose) {
			p.stamped(&b, ts, levelStyle(e.Log.Level), e.Log.Message)
		}
	case emulator.EventInvocationStarted:
		if e.Invocation != nil {
			p.stamped(&b, ts, stylePlain, executingText(e.Invocation))
		}
	case emulator.EventInvocationFinished:
		if inv := e.Invocation; inv != nil {
			if inv.Status == emulator.StatusFailed {
				p.stamped(&b, ts, styleError, executedText(inv))
				if inv.Error != "" {
					p.stamped(&b, ts, styleError, inv.Error)
				}
			} else {
				p.stamped(&b, ts, stylePlain, executedText(inv))
			}
		}
	case emulator.EventBuildStarted:
		p.stamped(&b, ts, stylePlain, "Build started")
	case emulator.EventBuildFinished:
		if e.Build != nil {
			p.buildText(&b, ts, e.Build)
		}
	case emulator.EventAppLoaded:
		if p.ready && e.App != nil {
			p.problemsText(&b, ts, e.App)
			p.changedFunctionsText(&b, e.App)
		}
	case emulator.EventReady:
		p.readyText(&b, ts, e.Ready)
	}
	return []byte(b.String())
}

// stamped writes msg with every line prefixed by the timestamp.
func (p *Printer) stamped(b *strings.Builder, ts string, style lineStyle, msg string) {
	for _, line := range splitLines(msg) {
		b.WriteString(paint(p.opts.Color, ansiDarkGray, "["+ts+"]"))
		b.WriteByte(' ')
		b.WriteString(p.colour(style, line))
		b.WriteByte('\n')
	}
}

// plain writes lines without timestamps, as the startup block is printed.
func (p *Printer) plain(b *strings.Builder, lines []styledLine) {
	for _, l := range lines {
		b.WriteString(p.colour(l.style, l.text))
		b.WriteByte('\n')
	}
}

func (p *Printer) colour(style lineStyle, s string) string {
	switch style {
	case styleHeader:
		return paint(p.opts.Color, ansiDarkYellow, s)
	case styleWarning:
		return paint(p.opts.Color, ansiYellow, s)
	case styleError:
		return paint(p.opts.Color, ansiRed, s)
	case styleDebug:
		return paint(p.opts.Color, ansiGray, s)
	}
	return s
}

func (p *Printer) buildText(b *strings.Builder, ts string, build *emulator.Build) {
	if build.State != emulator.BuildFailed {
		p.stamped(b, ts, stylePlain, buildSummary(build))
		return
	}
	p.stamped(b, ts, styleError, buildSummary(build))
	for _, line := range compileErrorLines(build) {
		p.stamped(b, ts, styleError, line)
	}
}

func (p *Printer) readyText(b *strings.Builder, ts string, ep *emulator.Endpoints) {
	if ep != nil {
		p.base = displayBaseURL(ep.HTTP)
	}
	if p.app != nil {
		for _, w := range p.app.Warnings {
			p.stamped(b, ts, styleWarning, w)
		}
		p.plain(b, functionsBlock(p.app, p.base))
		p.plain(b, brokenBlock(p.app))
		p.plain(b, noFunctionsBlock(p.app))
	}
	if !p.opts.Verbose {
		p.plain(b, []styledLine{{text: verboseHint, style: styleWarning}})
	}
}

// problemsText reports warnings and broken functions of an app reloaded
// after startup, so a new mistake in function.json shows at once.
func (p *Printer) problemsText(b *strings.Builder, ts string, app *emulator.App) {
	for _, w := range app.Warnings {
		p.stamped(b, ts, styleWarning, w)
	}
	for _, l := range brokenBlock(app) {
		p.stamped(b, ts, l.style, l.text)
	}
}

// changedFunctionsText prints the Functions: block again when a reload
// added, removed, renamed or re-routed functions, so the URLs on screen
// stay true.
func (p *Printer) changedFunctionsText(b *strings.Builder, app *emulator.App) {
	if p.app != nil && slices.Equal(functionsBlock(p.app, p.base), functionsBlock(app, p.base)) {
		return
	}
	p.plain(b, functionsBlock(app, p.base))
	p.plain(b, noFunctionsBlock(app))
}

// noFunctionsBlock says so when no function loaded, as the host's
// "No job functions found." does, with what makes a function.
func noFunctionsBlock(app *emulator.App) []styledLine {
	if len(app.Functions) > 0 {
		return nil
	}
	return []styledLine{{text: noFunctionsText(app), style: styleWarning}}
}

// noFunctionsText is the warning for an app without a loaded function.
func noFunctionsText(app *emulator.App) string {
	return "No job functions found. A function is a folder of " + app.Dir + " with a function.json; " +
		"funcemu new --template http --name hello adds one."
}

// brokenBlock lists functions that failed to load, as Core Tools does.
func brokenBlock(app *emulator.App) []styledLine {
	if len(app.Broken) == 0 {
		return nil
	}
	lines := []styledLine{{text: fmt.Sprintf("The following %d functions are in error:", len(app.Broken)), style: styleError}}
	for _, fe := range app.Broken {
		lines = append(lines, styledLine{text: fe.Name + ": " + errText(fe.Err), style: styleError})
	}
	return lines
}

func errText(err error) string {
	if err == nil {
		return "unknown error"
	}
	return err.Error()
}

func levelStyle(l emulator.Level) lineStyle {
	switch l {
	case emulator.LevelError:
		return styleError
	case emulator.LevelWarning:
		return styleWarning
	case emulator.LevelDebug:
		return styleDebug
	}
	return stylePlain
}

// executingText is the host's invocation start line.
func executingText(inv *emulator.Invocation) string {
	return fmt.Sprintf("Executing 'Functions.%s' (Reason='%s', Id=%s)", inv.Function, inv.Reason, inv.ID)
}

// executedText is the host's invocation end line.
func executedText(inv *emulator.Invocation) string {
	outcome := "Succeeded"
	switch inv.Status {
	case emulator.StatusFailed:
		outcome = "Failed"
	case emulator.StatusCanceled:
		outcome = "Canceled"
	}
	return fmt.Sprintf("Executed 'Functions.%s' (%s, Id=%s, Duration=%dms)",
		inv.Function, outcome, inv.ID, inv.Duration().Milliseconds())
}

// buildSummary is the one-line outcome of a build.
func buildSummary(build *emulator.Build) string {
	switch build.State {
	case emulator.BuildRunning:
		return "Build started"
	case emulator.BuildFailed:
		return fmt.Sprintf("Build failed in %.1fs", build.Duration.Seconds())
	}
	return fmt.Sprintf("Build succeeded in %.1fs", build.Duration.Seconds())
}

// compileErrorLines are the diagnostics of a failed build as
// file:line:col: message, or the raw output when none were parsed.
func compileErrorLines(build *emulator.Build) []string {
	if len(build.Errors) == 0 {
		out := strings.TrimSpace(build.Output)
		if out == "" {
			return nil
		}
		return splitLines(out)
	}
	lines := make([]string, 0, len(build.Errors))
	for _, ce := range build.Errors {
		lines = append(lines, compileErrorText(ce))
	}
	return lines
}

func compileErrorText(ce emulator.CompileError) string {
	switch {
	case ce.Line == 0:
		return ce.File + ": " + ce.Message
	case ce.Column == 0:
		return fmt.Sprintf("%s:%d: %s", ce.File, ce.Line, ce.Message)
	}
	return fmt.Sprintf("%s:%d:%d: %s", ce.File, ce.Line, ce.Column, ce.Message)
}

// splitLines splits a message into lines, dropping carriage returns and one
// trailing newline; an empty message is one empty line.
func splitLines(s string) []string {
	s = strings.TrimSuffix(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	return strings.Split(s, "\n")
}
