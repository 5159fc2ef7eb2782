package cmd

import (
	"context"
	"encoding/json"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/trigger/timer"
)

// startTimers fires every timer-triggered function on its schedule, on the
// runner's clock (so a virtual clock drives them), through the host.
func (r *runner) startTimers(ctx context.Context) error {
	store := &timer.MemoryStore{}
	cfg := r.config()
	for _, fn := range r.app.Functions {
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
		r.onClose(func() { l.Close() })
	}
	return nil
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
