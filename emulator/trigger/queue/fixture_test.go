package queue_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/app"
	"github.com/funcemu/funcemu/emulator/trigger/queue"
	"github.com/funcemu/funcemu/emulator/triggertest"
)

// TestPoisonFixture runs fixtures/poison's Work function, as loaded from
// its folder, with a handler that always fails: the message is tried
// maxDequeueCount (3, from its host.json) times and ends in work-poison.
func TestPoisonFixture(t *testing.T) {
	a, err := app.Load(filepath.Join("..", "..", "..", "fixtures", "poison"), app.Options{Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	clock := triggertest.NewClock(time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC))
	store := triggertest.NewQueues(clock)
	invoker := &triggertest.Invoker{Func: func(context.Context, emulator.InvokeRequest) error {
		return errors.New("Response status code does not indicate success: 500 (Internal Server Error).")
	}}
	events := &triggertest.Events{}
	l, err := queue.NewListener(queue.Options{Function: a.Function("Work"), App: a, Store: store, Invoker: invoker, Clock: clock, Publisher: events})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })

	ctx := context.Background()
	if err := store.CreateQueue(ctx, "work"); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Put(ctx, "work", emulator.PutMessage{Text: "am9iLTE="}); err != nil { // "job-1"
		t.Fatal(err)
	}
	triggertest.Eventually(t, "work-poison", func() bool { return len(store.Messages("work-poison")) == 1 })
	if n := len(invoker.Requests()); n != 3 {
		t.Errorf("attempts = %d, want 3", n)
	}
	if got := invoker.Requests()[0].Data["job"]; got != "job-1" {
		t.Errorf("Data.job = %v", got)
	}
	if !events.Logged(emulator.LevelWarning, "Message has reached MaxDequeueCount of 3. Moving message to queue 'work-poison'.") {
		t.Errorf("warnings = %q", events.Logs(emulator.LevelWarning))
	}
}
