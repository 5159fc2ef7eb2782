package emulator

import "time"

// EventKind says what an Event reports.
type EventKind string

const (
	EventLog                EventKind = "log"
	EventInvocationStarted  EventKind = "invocation.started"
	EventInvocationFinished EventKind = "invocation.finished"
	EventBuildStarted       EventKind = "build.started"
	EventBuildFinished      EventKind = "build.finished"
	EventAppLoaded          EventKind = "app.loaded" // functions (re)indexed
	EventReady              EventKind = "ready"      // every part serving
)

// Event is one thing that happened in the emulator. The host publishes them;
// the console printer, the UI and the journal read them.
type Event struct {
	Time       time.Time
	Kind       EventKind
	Log        *LogEntry   // EventLog
	Invocation *Invocation // EventInvocation*
	Build      *Build      // EventBuild*
	App        *App        // EventAppLoaded
	Ready      *Endpoints  // EventReady
}

// Level is a log level, ordered like .NET's.
type Level int

const (
	LevelDebug Level = iota
	LevelInfo
	LevelWarning
	LevelError
)

func (l Level) String() string {
	switch l {
	case LevelDebug:
		return "debug"
	case LevelInfo:
		return "info"
	case LevelWarning:
		return "warning"
	default:
		return "error"
	}
}

// Log categories, after the real host's, used by console filtering: user
// logs are always shown, host logs only at warning unless verbose.
const (
	CategoryHost     = "Host"                  // funcemu itself
	CategoryConsole  = "Host.Function.Console" // handler stdout and stderr
	CategoryFunction = "Function"              // Executing/Executed lines and handler Logs
	CategoryBuild    = "Build"
)

// LogEntry is one log line.
type LogEntry struct {
	Level        Level
	Category     string
	Message      string
	Function     string // set for function logs
	InvocationID string // set when the line belongs to an invocation
}

// InvocationStatus is where an invocation stands.
type InvocationStatus string

const (
	StatusRunning   InvocationStatus = "running"
	StatusSucceeded InvocationStatus = "succeeded"
	StatusFailed    InvocationStatus = "failed"
	// StatusCanceled is an invocation cut off by funcemu stopping (Ctrl-C):
	// not the function's failure; its message or blob runs again on the
	// next start.
	StatusCanceled InvocationStatus = "canceled"
)

// Trigger kinds of an invocation.
const (
	TriggerHTTP   = "http"
	TriggerQueue  = "queue"
	TriggerBlob   = "blob"
	TriggerTimer  = "timer"
	TriggerManual = "manual" // admin API, funcemu invoke, replay
	// TriggerEventGrid is an eventGridTrigger's event (a local
	// subscription or the /runtime/webhooks/EventGrid endpoint).
	TriggerEventGrid = "eventgrid"
)

// Invocation is one attempt at running a function.
type Invocation struct {
	ID         string
	Function   string
	Trigger    string // one of the Trigger* kinds
	Reason     string // the Reason of the Executing line
	ParentID   string // the invocation whose output triggered this one
	RetryCount int
	Start      time.Time
	End        time.Time // zero while running
	Status     InvocationStatus
	Error      string
	// Input is the trigger input, set on start.
	Input *Input
	// Outputs are what the invocation wrote, set when it finishes.
	Outputs []Output
	// Exchange is the envelope sent to the handler and its raw answer,
	// set when it finishes (default mode only).
	Exchange *Exchange
}

// Duration is End-Start, or 0 while running.
func (i *Invocation) Duration() time.Duration {
	if i.End.IsZero() {
		return 0
	}
	return i.End.Sub(i.Start)
}

// BuildState is where a handler build stands.
type BuildState string

const (
	BuildRunning   BuildState = "building"
	BuildSucceeded BuildState = "succeeded"
	BuildFailed    BuildState = "failed"
)

// Build is one build of the handler.
type Build struct {
	State    BuildState
	Start    time.Time
	Duration time.Duration
	Output   string // the compiler's combined output
	Errors   []CompileError
}

// CompileError is one compiler diagnostic.
type CompileError struct {
	File    string
	Line    int
	Column  int
	Message string
}

// Endpoints are the URLs a running funcemu serves.
type Endpoints struct {
	HTTP  string `json:"http"`
	Blob  string `json:"blob,omitempty"`  // with the account, e.g. http://127.0.0.1:10000/devstoreaccount1
	Queue string `json:"queue,omitempty"` // likewise
	Table string `json:"table,omitempty"` // likewise
	PID   int    `json:"pid"`
}

// Publisher takes events. Publish never blocks.
type Publisher interface {
	Publish(Event)
}
