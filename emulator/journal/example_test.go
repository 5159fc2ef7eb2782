package journal_test

import (
	"context"
	"fmt"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/journal"
)

// Run files what the host publishes on the bus; List and Get read it back.
func ExampleJournal_Run() {
	j, err := journal.Open(journal.Options{}) // in memory; Path: journal.PathIn(dataDir) on disk
	if err != nil {
		panic(err)
	}
	defer j.Close()
	bus := emulator.NewBus()
	events, unsubscribe := bus.Subscribe(journal.SubscriptionBuffer)
	done := make(chan error)
	go func() { done <- j.Run(context.Background(), events) }()

	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	inv := &emulator.Invocation{ID: "inv-1", Function: "Hello", Trigger: emulator.TriggerHTTP, Start: start,
		Input: &emulator.Input{HTTP: &emulator.HTTPRequest{Method: "GET", URL: "/api/hello"}}}
	bus.Publish(emulator.Event{Kind: emulator.EventInvocationStarted, Invocation: inv})
	bus.Publish(emulator.Event{Kind: emulator.EventLog, Time: start,
		Log: &emulator.LogEntry{InvocationID: "inv-1", Level: emulator.LevelInfo, Message: "hello"}})
	ended := *inv // the host publishes a copy, never a pointer it keeps changing
	ended.Status, ended.End = emulator.StatusSucceeded, start.Add(2*time.Millisecond)
	bus.Publish(emulator.Event{Kind: emulator.EventInvocationFinished, Invocation: &ended})
	unsubscribe() // closes events: Run writes what is queued and returns
	if err := <-done; err != nil {
		panic(err)
	}

	rec, err := j.Get(context.Background(), "inv-1")
	if err != nil {
		panic(err)
	}
	fmt.Println(rec.Function, rec.Status, rec.Duration(), rec.Input.HTTP.URL, rec.Logs[0].Message)
	// Output: Hello succeeded 2ms /api/hello hello
}
