package tui

import (
	"errors"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// t0 is the fixed time every test event is stamped with.
var t0 = time.Date(2024, 5, 1, 12, 0, 5, 678_000_000, time.UTC)

func at(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }

func sampleApp() *emulator.App {
	return &emulator.App{
		Host: emulator.HostConfig{RoutePrefix: "api"},
		Functions: []*emulator.Function{
			{Name: "MyQueueFunction", Bindings: []*emulator.Binding{{Type: "queueTrigger", Direction: "in", QueueName: "orders"}}},
			{Name: "HttpExample", Bindings: []*emulator.Binding{{Type: "httpTrigger", Direction: "in", Methods: []string{"get", "Post"}}}},
			{Name: "Products", Bindings: []*emulator.Binding{{Type: "httpTrigger", Direction: "in", Route: "products/{id:int?}"}}},
			{Name: "MyTimer", Bindings: []*emulator.Binding{{Type: "timerTrigger", Direction: "in", Schedule: "0 */5 * * * *"}}},
			{Name: "Disabled1", Disabled: true, Bindings: []*emulator.Binding{{Type: "httpTrigger", Direction: "in"}}},
		},
		Broken:   []*emulator.FunctionError{{Name: "Broken", Err: errors.New(`Broken/function.json: bindings[0].type: missing`)}},
		Warnings: []string{"Skipping 'X' from local settings as it's already defined in current environment variables."},
	}
}

func logEvent(ms int, level emulator.Level, category, msg string) emulator.Event {
	return emulator.Event{Time: at(ms), Kind: emulator.EventLog,
		Log: &emulator.LogEntry{Level: level, Category: category, Message: msg}}
}

func startedEvent(ms int, fn, id string) emulator.Event {
	return emulator.Event{Time: at(ms), Kind: emulator.EventInvocationStarted, Invocation: &emulator.Invocation{
		ID: id, Function: fn, Trigger: emulator.TriggerHTTP, Start: at(ms), Status: emulator.StatusRunning,
		Reason: "This function was programmatically called via the host APIs.",
	}}
}

func finishedEvent(ms, durMs int, fn, id string, status emulator.InvocationStatus, errText string) emulator.Event {
	return emulator.Event{Time: at(ms), Kind: emulator.EventInvocationFinished, Invocation: &emulator.Invocation{
		ID: id, Function: fn, Trigger: emulator.TriggerHTTP, Start: at(ms - durMs), End: at(ms),
		Status: status, Error: errText,
		Reason: "This function was programmatically called via the host APIs.",
	}}
}
