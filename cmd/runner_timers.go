package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"sync"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/app"
	"github.com/funcemu/funcemu/emulator/storage/rest"
	"github.com/funcemu/funcemu/emulator/trigger/timer"
)

// startTimers fires every timer-triggered function on its schedule, on the
// runner's clock (so a virtual clock drives them), through the host. On
// app reload the timers are stopped and the new app's started, so an added
// or changed timer function takes effect.
func (r *runner) startTimers(ctx context.Context) error {
	store := r.timerStatusStore()
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
			if err == nil {
				err = l.Start(ctx)
			}
			if err != nil {
				// One broken timer never stops the app (the loader already
				// skips functions with a bad schedule).
				r.log(emulator.LevelError, "The timer of function %s is not running: %v", fn.Name, err)
				continue
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

// timerStatusStore keeps useMonitor statuses as the host does, in
// azure-webjobs-hosts/timers/..., always in the embedded store (the data
// folder), whatever AzureWebJobsStorage names; in memory when no embedded
// store runs, and on a virtual clock, whose times must never reach a
// later run on the system clock.
func (r *runner) timerStatusStore() timer.MonitorStore {
	if r.store == nil || r.clockMover() != nil {
		return &timer.MemoryStore{}
	}
	blobs := r.store.BlobStore(rest.DevAccountName)
	machine, _ := os.Hostname()
	return timer.BlobMonitorStore{
		HostID: timer.HostID(machine, r.app.Dir),
		Get: func(ctx context.Context, container, name string) ([]byte, bool, error) {
			rc, _, err := blobs.ReadBlob(ctx, container, name)
			if emulator.ErrorCode(err) == emulator.ENOTFOUND {
				return nil, false, nil
			}
			if err != nil {
				return nil, false, err
			}
			defer rc.Close()
			data, err := io.ReadAll(rc)
			return data, err == nil, err
		},
		Put: func(ctx context.Context, container, name string, data []byte) error {
			if err := blobs.CreateContainer(ctx, container); err != nil {
				return err
			}
			_, err := blobs.WriteBlob(ctx, container, name, bytes.NewReader(data), emulator.WriteBlob{ContentType: "application/json"})
			return err
		},
	}
}
