// Package emulator holds funcemu's domain types and the interfaces its parts
// talk through. It imports nothing else of funcemu, so every subpackage can
// depend on it without depending on each other.
package emulator

import (
	"encoding/json"
	"strings"
	"time"
)

// App is a function app folder as loaded from disk: host.json,
// local.settings.json and one folder per function.
type App struct {
	Dir       string     // absolute path of the app folder
	Host      HostConfig // host.json, with AzureFunctionsJobHost__ overrides applied
	Settings  Settings   // local.settings.json
	Functions []*Function
	// Broken lists functions that failed to load; the rest still run.
	Broken []*FunctionError
	// Warnings are problems worth telling the user that stop nothing, such
	// as a local setting skipped because the environment defines it.
	Warnings []string
}

// Function returns the loaded function with the given name
// (case-insensitive), or nil.
func (a *App) Function(name string) *Function {
	for _, f := range a.Functions {
		if strings.EqualFold(f.Name, name) {
			return f
		}
	}
	return nil
}

// FunctionError is a function folder that could not be loaded.
type FunctionError struct {
	Name string // folder name
	Err  error  // names the file and field at fault
}

func (e *FunctionError) Error() string { return e.Err.Error() }
func (e *FunctionError) Unwrap() error { return e.Err }

// HostConfig is the part of host.json funcemu acts on.
type HostConfig struct {
	Version string
	// FunctionTimeout bounds every invocation; 0 means unlimited ("-1").
	FunctionTimeout time.Duration
	CustomHandler   CustomHandler
	RoutePrefix     string   // extensions.http.routePrefix, default "api"
	Functions       []string // allow-list; empty means all
	Retry           *RetryPolicy
	Queues          QueuesOptions
	Blobs           BlobsOptions
	LogLevel        string // logging.logLevel.default
}

// CustomHandler is host.json's customHandler section.
type CustomHandler struct {
	// ExecutablePath is description.defaultExecutablePath with %VAR%
	// expanded; absolute when the file exists under WorkingDirectory.
	ExecutablePath string
	// WorkingDirectory is absolute; the app folder when not set.
	WorkingDirectory            string
	Arguments                   []string
	EnableForwardingHttpRequest bool
	EnableProxyingHttpRequest   bool
	InitializationTimeout       time.Duration // default 30s
}

// Forwards reports whether eligible HTTP functions are streamed to the
// handler instead of wrapped in the invocation envelope.
func (c CustomHandler) Forwards() bool {
	return c.EnableForwardingHttpRequest || c.EnableProxyingHttpRequest
}

// QueuesOptions is host.json's extensions.queues section, defaults applied.
type QueuesOptions struct {
	MaxPollingInterval time.Duration // 2s in Development
	VisibilityTimeout  time.Duration // delay before a failed message is visible again
	BatchSize          int           // 16, 1..32
	NewBatchThreshold  int           // (BatchSize/2)*NumCPU
	MaxDequeueCount    int           // 5
	MessageEncoding    string        // "base64" or "none"
}

// BlobsOptions is host.json's extensions.blobs section, defaults applied.
type BlobsOptions struct {
	MaxDegreeOfParallelism int // 8*NumCPU
	PoisonBlobThreshold    int // 5
}

// RetryPolicy is a host.json or function.json "retry" section.
type RetryPolicy struct {
	Strategy        string // "fixedDelay" or "exponentialBackoff"
	MaxRetryCount   int    // -1 is unlimited
	DelayInterval   time.Duration
	MinimumInterval time.Duration
	MaximumInterval time.Duration
}

// Settings is local.settings.json.
type Settings struct {
	Values            map[string]string
	LocalHTTPPort     int    // Host.LocalHttpPort, 0 when absent
	LocalHTTPAddress  string // Host.LocalHttpAddress
	CORS              []string
	CORSCredentials   bool
	ConnectionStrings map[string]string
}

// Function is one function folder.
type Function struct {
	Name     string // folder name, case preserved
	Dir      string // absolute path of the folder
	Bindings []*Binding
	Retry    *RetryPolicy // function.json retry, overriding host.json's
	// Config is function.json as read, served by the admin API.
	Config json.RawMessage
	// Disabled is set by AzureWebJobs.<Name>.Disabled.
	Disabled bool
}

// Trigger returns the function's trigger binding, or nil.
func (f *Function) Trigger() *Binding {
	for _, b := range f.Bindings {
		if b.IsTrigger() {
			return b
		}
	}
	return nil
}

// Inputs returns the bindings with direction in (the trigger included).
func (f *Function) Inputs() []*Binding { return f.bindings(DirectionIn) }

// Outputs returns the bindings with direction out.
func (f *Function) Outputs() []*Binding { return f.bindings(DirectionOut) }

func (f *Function) bindings(d string) []*Binding {
	var bs []*Binding
	for _, b := range f.Bindings {
		if strings.EqualFold(b.Direction, d) || strings.EqualFold(b.Direction, DirectionInOut) {
			bs = append(bs, b)
		}
	}
	return bs
}

// Binding directions.
const (
	DirectionIn    = "in"
	DirectionOut   = "out"
	DirectionInOut = "inout"
)

// Binding types as they appear in function.json, lower-cased.
const (
	BindingHTTPTrigger  = "httptrigger"
	BindingHTTP         = "http"
	BindingTimerTrigger = "timertrigger"
	BindingQueueTrigger = "queuetrigger"
	BindingQueue        = "queue"
	BindingBlobTrigger  = "blobtrigger"
	BindingBlob         = "blob"
	BindingTable        = "table"
)

// Binding is one entry of function.json's bindings array.
type Binding struct {
	Type        string // as written, e.g. "httpTrigger"
	Direction   string
	Name        string
	DataType    string // "", "string", "binary" or "stream"
	Cardinality string
	Connection  string

	// httpTrigger
	AuthLevel string
	Methods   []string
	Route     string
	// timerTrigger
	Schedule     string
	RunOnStartup bool
	UseMonitor   bool // default true
	// queueTrigger and queue
	QueueName string
	// blobTrigger and blob
	Path   string
	Source string
	// table
	Table *TableBinding

	// NotEmulated marks a known Azure binding type funcemu has no listener
	// or writer for: such a trigger fires only through the admin API
	// (funcemu invoke), such an output's value is not sent anywhere.
	NotEmulated bool

	// Properties holds every property as written, for bindings funcemu
	// does not know and for binding expressions.
	Properties map[string]any
}

// Kind is the binding type lower-cased, to compare with the Binding* constants.
func (b *Binding) Kind() string { return strings.ToLower(b.Type) }

// IsTrigger reports whether the binding type ends in "Trigger".
func (b *Binding) IsTrigger() bool { return strings.HasSuffix(b.Kind(), "trigger") }

// TableBinding is a table binding's settings, %Setting% already resolved;
// {expressions} are resolved per invocation.
type TableBinding struct {
	TableName    string
	PartitionKey string
	RowKey       string
	Filter       string
	Take         int // 0: no limit
}
