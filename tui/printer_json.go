package tui

import (
	"encoding/json"
	"strings"

	"github.com/funcemu/funcemu/emulator"
)

// jsonLine is one line of JSON output. The keys are stable; a key is left
// out when it does not apply to the event's kind:
//
//	time          event time, UTC, millisecond precision
//	level         debug, info, warning or error
//	category      log category (Host, Host.Function.Console, Function, Build)
//	kind          the event kind (log, invocation.started, build.finished, ready, ...)
//	message       the text line `func start` would print
//	function      function name
//	invocationId  invocation id
//	parentId      the invocation whose output triggered this one
//	trigger       http, queue, blob, timer or manual
//	reason        why the invocation ran
//	status        running, succeeded or failed (invocations); building, succeeded or failed (builds)
//	durationMs    invocation or build duration in milliseconds
//	retryCount    retries before this attempt
//	error         the failure text
//	errors        compiler diagnostics: file, line, column, message
//	http, blob, queue  endpoint URLs (ready)
//	functions     loaded functions: name, trigger, url, methods, disabled (ready, app.loaded)
//	broken        functions that failed to load: name, error (ready, app.loaded)
//	warnings      app warnings (ready, app.loaded)
type jsonLine struct {
	Time         string             `json:"time"`
	Level        string             `json:"level"`
	Category     string             `json:"category,omitempty"`
	Kind         emulator.EventKind `json:"kind"`
	Message      string             `json:"message,omitempty"`
	Function     string             `json:"function,omitempty"`
	InvocationID string             `json:"invocationId,omitempty"`
	ParentID     string             `json:"parentId,omitempty"`
	Trigger      string             `json:"trigger,omitempty"`
	Reason       string             `json:"reason,omitempty"`
	Status       string             `json:"status,omitempty"`
	DurationMs   *int64             `json:"durationMs,omitempty"`
	RetryCount   int                `json:"retryCount,omitempty"`
	Error        string             `json:"error,omitempty"`
	Errors       []jsonCompileError `json:"errors,omitempty"`
	HTTP         string             `json:"http,omitempty"`
	Blob         string             `json:"blob,omitempty"`
	Queue        string             `json:"queue,omitempty"`
	Functions    []jsonFunction     `json:"functions,omitempty"`
	Broken       []jsonBroken       `json:"broken,omitempty"`
	Warnings     []string           `json:"warnings,omitempty"`
}

type jsonCompileError struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

type jsonFunction struct {
	Name     string   `json:"name"`
	Trigger  string   `json:"trigger"`
	URL      string   `json:"url,omitempty"`
	Methods  []string `json:"methods,omitempty"`
	Disabled bool     `json:"disabled,omitempty"`
	// NotEmulated is set for a trigger funcemu does not run; the admin
	// API (funcemu invoke) still fires it.
	NotEmulated bool `json:"notEmulated,omitempty"`
}

type jsonBroken struct {
	Name  string `json:"name"`
	Error string `json:"error"`
}

// formatJSON renders e as one JSON line, or nothing when filtered out.
func (p *Printer) formatJSON(e emulator.Event) []byte {
	l, ok := p.jsonFor(e)
	if !ok {
		return nil
	}
	out, err := json.Marshal(l)
	if err != nil {
		return nil // every field is a plain value; cannot happen
	}
	return append(out, '\n')
}

func (p *Printer) jsonFor(e emulator.Event) (jsonLine, bool) {
	l := jsonLine{Time: stamp(e.Time), Kind: e.Kind, Level: emulator.LevelInfo.String()}
	switch e.Kind {
	case emulator.EventLog:
		if e.Log == nil || !logVisible(e.Log, p.opts.Verbose) {
			return l, false
		}
		l.Level, l.Category, l.Message = e.Log.Level.String(), e.Log.Category, e.Log.Message
		l.Function, l.InvocationID = e.Log.Function, e.Log.InvocationID
	case emulator.EventInvocationStarted, emulator.EventInvocationFinished:
		inv := e.Invocation
		if inv == nil {
			return l, false
		}
		l.Category, l.Function, l.InvocationID = emulator.CategoryFunction, inv.Function, inv.ID
		l.ParentID, l.Trigger, l.Reason = inv.ParentID, inv.Trigger, inv.Reason
		l.Status, l.RetryCount, l.Error = string(inv.Status), inv.RetryCount, inv.Error
		if e.Kind == emulator.EventInvocationStarted {
			l.Message = executingText(inv)
		} else {
			l.Message = executedText(inv)
			ms := inv.Duration().Milliseconds()
			l.DurationMs = &ms
			if inv.Status == emulator.StatusFailed {
				l.Level = emulator.LevelError.String()
			}
		}
	case emulator.EventBuildStarted:
		l.Category, l.Status, l.Message = emulator.CategoryBuild, string(emulator.BuildRunning), "Build started"
	case emulator.EventBuildFinished:
		if e.Build == nil {
			return l, false
		}
		l.Category, l.Status, l.Message = emulator.CategoryBuild, string(e.Build.State), buildSummary(e.Build)
		ms := e.Build.Duration.Milliseconds()
		l.DurationMs = &ms
		if e.Build.State == emulator.BuildFailed {
			l.Level = emulator.LevelError.String()
			l.Error = strings.TrimSpace(e.Build.Output)
			for _, ce := range e.Build.Errors {
				l.Errors = append(l.Errors, jsonCompileError(ce))
			}
		}
	case emulator.EventAppLoaded:
		if e.App == nil {
			return l, false
		}
		l.Category, l.Message = emulator.CategoryHost, "Functions loaded"
		p.describeApp(&l, e.App, p.base)
	case emulator.EventReady:
		l.Category, l.Message = emulator.CategoryHost, "Host ready"
		base := ""
		if e.Ready != nil {
			base = displayBaseURL(e.Ready.HTTP)
			p.base = base
			l.HTTP, l.Blob, l.Queue = e.Ready.HTTP, e.Ready.Blob, e.Ready.Queue
		}
		if p.app != nil {
			p.describeApp(&l, p.app, base)
		}
	default:
		l.Message = string(e.Kind)
	}
	return l, true
}

func (p *Printer) describeApp(l *jsonLine, app *emulator.App, base string) {
	for _, f := range app.Functions {
		jf := jsonFunction{Name: f.Name, Trigger: triggerType(f), Disabled: f.Disabled, NotEmulated: f.Trigger() != nil && f.Trigger().NotEmulated}
		if isHTTPFunction(f) {
			jf.Methods = f.Trigger().Methods
			if base != "" {
				jf.URL = functionURL(base, app.Host.RoutePrefix, f)
			}
		}
		l.Functions = append(l.Functions, jf)
	}
	for _, fe := range app.Broken {
		l.Broken = append(l.Broken, jsonBroken{Name: fe.Name, Error: errText(fe.Err)})
	}
	l.Warnings = app.Warnings
	if len(app.Functions) == 0 {
		l.Warnings = append(l.Warnings[:len(l.Warnings):len(l.Warnings)], noFunctionsText(app))
	}
	if len(app.Broken) > 0 {
		l.Level = emulator.LevelError.String()
	} else if len(app.Warnings) > 0 {
		l.Level = emulator.LevelWarning.String()
	}
}
