package reload

import (
	"context"
	"fmt"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// rebuild builds the handler and swaps the new build in. buildCtx is
// canceled when a newer change supersedes this build; the swap itself is
// not interrupted, so a handler is never left half-started.
//
// The build events carry the outcome and the compiler's errors, which the
// console and the UI show; a canceled build gets no finished event, since
// the build that replaces it starts at once. A build started ahead of its
// batch (keep not nil) shows nothing until the verdict on keep: kept, it
// is reported from its real start; dropped, it is canceled unseen.
func (c *Controller) rebuild(ctx, buildCtx context.Context, cancel context.CancelFunc, keep <-chan bool) {
	if buildCtx.Err() != nil {
		return // superseded before it began
	}
	clock := c.opts.Clock
	start := clock.Now()
	started := func() { // stamped with the real start, also for a build started ahead
		c.publish(emulator.Event{Time: start, Kind: emulator.EventBuildStarted, Build: &emulator.Build{State: emulator.BuildRunning, Start: start}})
	}
	type outcome struct {
		b   *emulator.Build
		err error
	}
	built := make(chan outcome, 1)
	go func() {
		b, err := c.opts.Build(buildCtx)
		built <- outcome{b, err}
	}()
	shown := keep == nil
	if shown {
		started()
	} else {
		select {
		case ok := <-keep:
			if !ok {
				cancel()
				<-built
				return
			}
			started()
			shown = true
		case <-buildCtx.Done(): // superseded, or shutting down
		}
	}
	out := <-built
	b, err := out.b, out.err
	if ctx.Err() != nil {
		return // shutting down
	}
	if buildCtx.Err() != nil {
		if shown {
			c.log(emulator.LevelInfo, emulator.CategoryBuild, "Build canceled: a newer change arrived.")
		}
		return
	}
	b = finishedBuild(b, err, start, clock.Now().Sub(start))
	c.publish(emulator.Event{Kind: emulator.EventBuildFinished, Build: b})
	if b.State == emulator.BuildFailed {
		c.log(emulator.LevelWarning, emulator.CategoryHost, "The previous build keeps serving.")
		c.applyLatest()
		return
	}

	swapStart := clock.Now()
	if err := c.opts.Handler.Swap(ctx, c.opts.Executable); err != nil {
		if ctx.Err() == nil {
			c.log(emulator.LevelError, emulator.CategoryHost, "The new build did not start; the previous build keeps serving: "+err.Error())
		}
		c.applyLatest()
		return
	}
	c.log(emulator.LevelInfo, emulator.CategoryHost, fmt.Sprintf("Swapped in the new build in %s.", clock.Now().Sub(swapStart).Round(time.Millisecond)))
	c.applyLatest()
}

// finishedBuild fills in what the build function left out.
func finishedBuild(b *emulator.Build, err error, start time.Time, took time.Duration) *emulator.Build {
	if b == nil {
		b = &emulator.Build{}
	}
	if b.Start.IsZero() {
		b.Start = start
	}
	if b.Duration == 0 {
		b.Duration = took
	}
	if err != nil {
		b.State = emulator.BuildFailed
		if b.Output == "" {
			b.Output = err.Error()
		}
	}
	if b.State == "" || b.State == emulator.BuildRunning {
		b.State = emulator.BuildSucceeded
	}
	return b
}

// restart restarts the handler with env, then serves the newest index.
func (c *Controller) restart(ctx context.Context, env []string) {
	if err := c.opts.Handler.Restart(ctx, env); err != nil {
		if ctx.Err() == nil {
			c.log(emulator.LevelError, emulator.CategoryHost, "Restarting the handler failed: "+err.Error())
		}
	} else {
		c.log(emulator.LevelInfo, emulator.CategoryHost, "Restarted the handler with the new settings.")
	}
	c.applyLatest()
}

// applyLatest hands the newest app read from disk to the host, if the host
// does not serve it yet.
func (c *Controller) applyLatest() {
	c.mu.Lock()
	app := c.loaded
	fresh := app != c.applied
	c.mu.Unlock()
	if !fresh {
		return
	}
	if err := c.opts.Apply(app); err != nil {
		c.log(emulator.LevelError, emulator.CategoryHost, "Applying the reloaded app failed: "+err.Error())
		return
	}
	c.mu.Lock()
	c.applied = app
	c.mu.Unlock()
	c.publish(emulator.Event{Kind: emulator.EventAppLoaded, App: app})
}

func (c *Controller) publish(e emulator.Event) {
	if e.Time.IsZero() {
		e.Time = c.opts.Clock.Now()
	}
	c.opts.Events.Publish(e)
}

func (c *Controller) log(level emulator.Level, category, msg string) {
	c.publish(emulator.Event{Kind: emulator.EventLog, Log: &emulator.LogEntry{Level: level, Category: category, Message: msg}})
}
