package cmd

import (
	"context"
	"encoding/json"
	"sync"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/app"
	"github.com/funcemu/funcemu/emulator/trigger/timer"
)

// startTimers fires every timer-triggered function on its schedule, on the
// runner's clock (so a virtual clock drives them), through the host. On
// app reload the timers are stopped and the new app's started, so an added
// or changed timer function takes effect.
func (r *runner) startTimers(ctx context.Context) error {
	store := &timer.MemoryStore{}
	var mu sync.Mutex
	var running []*timer.Listener
	stop := func() {
		mu.Lock()
		ls := running
		running = nil
		mu.Unlock()
		for _, l := range ls {
			l.Close()
		}
	}
	start := func(a *emulator.App) error {
		cfg := app.NewConfig(a, r.environ())
		for _, fn := range a.Functions {
			tr := fn.Trigger()
			if fn.Disabled || tr == nil || tr.Kind() != emulator.BindingTimerTrigger {
				continue
			}
			l, err := timer.New(fn, timer.Options{
				Invoke:   r.invokeTimer,
				Clock:    r.clock,
				Settings: cfg.Lookup,
				Store:    store,
				Events:   r.bus,
			})
			if err != nil {
				return err
			}
			if err := l.Start(ctx); err != nil {
				return err
			}
			mu.Lock()
			running = append(running, l)
			mu.Unlock()
		}
		return nil
	}
	r.onClose(stop)
	r.onAppReload = append(r.onAppReload, func(a *emulator.App) error {
		stop()
		return start(a)
	})
	return start(r.app)
}

// invokeTimer runs a timer function once through the host.
func (r *runner) invokeTimer(ctx context.Context, fn *emulator.Function, info json.RawMessage, reason string, _ map[string]string) error {
	req := emulator.InvokeRequest{
		Function: fn.Name,
		Trigger:  emulator.TriggerTimer,
		Reason:   reason,
		Data:     map[string]any{fn.Trigger().Name: info},
		Metadata: map[string]any{},
		Input:    &emulator.Input{Timer: &emulator.TimerInput{Info: info}},
	}
	_, err := r.host.Invoke(ctx, req)
	return err
}
