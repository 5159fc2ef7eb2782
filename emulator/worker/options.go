// Package worker runs the custom handler process: it starts the executable
// with the custom-handler environment, waits until it answers HTTP, turns
// its output into logs, restarts it after a crash and swaps in a new build
// without dropping an invocation.
package worker

import (
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// Options configure a Supervisor.
type Options struct {
	Executable string   // path of the handler executable
	Args       []string // its arguments
	Dir        string   // working directory
	// Env is the handler's environment (KEY=VALUE) without the port and
	// id variables, which each process gets added.
	Env     []string
	AppRoot string // FUNCTIONS_APP_ROOT_PATH

	// InitTimeout bounds the wait for the handler's first HTTP answer.
	InitTimeout time.Duration // default 30s
	// StopGrace is how long a stopping handler gets between SIGINT and
	// SIGKILL.
	StopGrace time.Duration // default 2s
	// DrainTimeout bounds how long a replaced process may finish its
	// in-flight invocations; the host's functionTimeout. 0 = unlimited.
	DrainTimeout time.Duration
	// MinBackoff and MaxBackoff bound the delay before restarting a
	// crashed handler; the delay doubles with each crash in a row.
	MinBackoff time.Duration // default 100ms
	MaxBackoff time.Duration // default 10s

	Clock     emulator.Clock     // default emulator.SystemClock
	Publisher emulator.Publisher // receives log events; may be nil
}

func (o Options) withDefaults() Options {
	if o.InitTimeout <= 0 {
		o.InitTimeout = 30 * time.Second
	}
	if o.StopGrace <= 0 {
		o.StopGrace = 2 * time.Second
	}
	if o.MinBackoff <= 0 {
		o.MinBackoff = 100 * time.Millisecond
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 10 * time.Second
	}
	if o.Clock == nil {
		o.Clock = emulator.SystemClock{}
	}
	return o
}

// log publishes one log line.
func (o Options) log(level emulator.Level, category, msg string) {
	if o.Publisher == nil {
		return
	}
	o.Publisher.Publish(emulator.Event{
		Time: o.Clock.Now(),
		Kind: emulator.EventLog,
		Log:  &emulator.LogEntry{Level: level, Category: category, Message: msg},
	})
}
