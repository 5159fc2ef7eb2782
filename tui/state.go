package tui

import (
	"strings"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// Per-invocation bounds, so one chatty invocation cannot hold the heap.
const (
	maxLogsPerInvocation     = 500
	maxChildrenPerInvocation = 100
)

// invRecord is what the UI knows of one invocation: the latest event's
// copy plus what other events said about it.
type invRecord struct {
	inv      emulator.Invocation
	logs     []logLine
	children []string
}

// logLine is one entry of the Logs view.
type logLine struct {
	time         time.Time
	level        emulator.Level
	category     string
	function     string
	invocationID string
	text         string
	// inv is set instead of text for an Executing or Executed line, which
	// is only formatted when drawn: most lines of a busy app never are.
	inv *emulator.Invocation
}

// message is the entry's text.
func (l *logLine) message() string {
	switch {
	case l.inv == nil:
		return l.text
	case l.inv.Status == emulator.StatusRunning:
		return executingText(l.inv)
	case l.inv.Status == emulator.StatusFailed && l.inv.Error != "":
		return executedText(l.inv) + "\n" + l.inv.Error
	}
	return executedText(l.inv)
}

// fnStats are a function's invocation counters.
type fnStats struct {
	count    int
	last     emulator.InvocationStatus
	lastTime time.Time
}

// state is everything the UI has learnt from the event stream, bounded by
// ring buffers. It knows nothing of the screen.
type state struct {
	app       *emulator.App
	endpoints *emulator.Endpoints
	verbose   bool
	clock     emulator.Clock // stamps events that carry no time

	invs    *ring[*invRecord]
	byID    map[string]*invRecord
	logs    *ring[logLine]
	stats   map[string]*fnStats // by function name
	running map[string]struct{} // ids of invocations not finished yet
	failed  int                 // failed invocations seen

	invAdded int // invocations ever added
	logAdded int // log entries ever added

	build     *emulator.Build // the current or last build
	lastBuilt *emulator.Build // the last finished build
	dropped   int             // events lost before reaching the UI
}

func newState(maxInvocations, maxLogs int, verbose bool, clock emulator.Clock) *state {
	return &state{
		verbose: verbose,
		clock:   clock,
		invs:    newRing[*invRecord](maxInvocations),
		byID:    make(map[string]*invRecord),
		logs:    newRing[logLine](maxLogs),
		stats:   make(map[string]*fnStats),
		running: make(map[string]struct{}),
	}
}

// apply folds one event into the state.
func (s *state) apply(e emulator.Event) {
	if e.Time.IsZero() {
		e.Time = s.clock.Now()
	}
	switch e.Kind {
	case emulator.EventLog:
		if e.Log != nil {
			s.applyLog(e.Time, e.Log)
		}
	case emulator.EventInvocationStarted, emulator.EventInvocationFinished:
		if e.Invocation != nil {
			s.applyInvocation(e)
		}
	case emulator.EventBuildStarted:
		b := &emulator.Build{State: emulator.BuildRunning, Start: e.Time}
		if e.Build != nil {
			b = e.Build
		}
		s.build = b
		s.addLog(logLine{time: e.Time, level: emulator.LevelInfo, category: emulator.CategoryBuild, text: "Build started"})
	case emulator.EventBuildFinished:
		if e.Build != nil {
			s.build, s.lastBuilt = e.Build, e.Build
			level := emulator.LevelInfo
			text := buildSummary(e.Build)
			if e.Build.State == emulator.BuildFailed {
				level = emulator.LevelError
				if lines := compileErrorLines(e.Build); len(lines) > 0 {
					text += "\n" + strings.Join(lines, "\n")
				}
			}
			s.addLog(logLine{time: e.Time, level: level, category: emulator.CategoryBuild, text: text})
		}
	case emulator.EventAppLoaded:
		if e.App != nil {
			s.app = e.App
		}
	case emulator.EventReady:
		s.endpoints = e.Ready
	}
}

func (s *state) applyLog(t time.Time, l *emulator.LogEntry) {
	if l.Level < emulator.LevelInfo && !s.verbose {
		return
	}
	line := logLine{time: t, level: l.Level, category: l.Category, function: l.Function,
		invocationID: l.InvocationID, text: l.Message}
	s.addLog(line)
	if rec := s.byID[l.InvocationID]; rec != nil && len(rec.logs) < maxLogsPerInvocation {
		rec.logs = append(rec.logs, line)
	}
}

func (s *state) addLog(l logLine) {
	s.logs.push(l)
	s.logAdded++
}

func (s *state) applyInvocation(e emulator.Event) {
	inv := *e.Invocation
	rec := s.byID[inv.ID]
	isNew := rec == nil
	if isNew {
		rec = &invRecord{}
		if old, evicted := s.invs.push(rec); evicted {
			delete(s.byID, old.inv.ID)
			delete(s.running, old.inv.ID)
		}
		s.byID[inv.ID] = rec
		s.invAdded++
		if parent := s.byID[inv.ParentID]; inv.ParentID != "" && parent != nil &&
			len(parent.children) < maxChildrenPerInvocation {
			parent.children = append(parent.children, inv.ID)
		}
	}
	if inv.Input == nil {
		inv.Input = rec.inv.Input // finished events need not repeat the input
	}
	rec.inv = inv

	st := s.stats[inv.Function]
	if st == nil {
		st = &fnStats{}
		s.stats[inv.Function] = st
	}
	level := emulator.LevelInfo
	if isNew {
		st.count++
	}
	if e.Kind == emulator.EventInvocationStarted {
		s.running[inv.ID] = struct{}{}
	} else {
		delete(s.running, inv.ID)
		if inv.Status == emulator.StatusFailed {
			s.failed++
			level = emulator.LevelError
		}
	}
	st.last, st.lastTime = inv.Status, e.Time
	s.addLog(logLine{time: e.Time, level: level, category: emulator.CategoryFunction,
		function: inv.Function, invocationID: inv.ID, inv: e.Invocation})
}

// invocation returns the record of id, or nil when unknown or evicted.
func (s *state) invocation(id string) *invRecord { return s.byID[id] }

// building reports whether a build is under way.
func (s *state) building() bool {
	return s.build != nil && s.build.State == emulator.BuildRunning
}
