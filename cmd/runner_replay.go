package cmd

import (
	"context"
	"strings"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/admin"
	"github.com/funcemu/funcemu/emulator/trigger/blob"
	"github.com/funcemu/funcemu/emulator/trigger/queue"
)

// replay runs a recorded trigger input of function again the way its
// trigger did: a queue message or blob version through its listener's own
// request, a manual or timer input through the admin API's. HTTP requests
// are replayed by sending them to their URL again.
func (r *runner) replay(ctx context.Context, function string, in *emulator.Input, dryRun bool) (*emulator.Result, error) {
	a := r.host.App()
	fn := a.Function(function)
	if fn == nil {
		return nil, emulator.Errorf(emulator.ENOTFOUND, "function %q not found", function)
	}
	switch {
	case in.Queue != nil:
		if l, ok := r.listenerOf(fn).(*queue.Listener); ok {
			return l.Replay(ctx, in.Queue, dryRun)
		}
	case in.Blob != nil:
		if l, ok := r.listenerOf(fn).(*blob.Listener); ok {
			return l.Replay(ctx, in.Blob, dryRun)
		}
	case in.Manual != nil, in.Timer != nil:
		input := ""
		if in.Manual != nil {
			input = in.Manual.Input
		}
		req := admin.ManualRequest(a, fn, input, strings.TrimSuffix(r.endpoints.HTTP, "/"))
		req.DryRun = dryRun
		return r.host.Invoke(ctx, req)
	case in.EventGrid != nil && r.eventGrid != nil && r.eventGrid.trigger != nil:
		return r.eventGrid.trigger.Replay(ctx, function, in.EventGrid, dryRun)
	case in.HTTP != nil:
		return nil, emulator.Errorf(emulator.EINVALID, "replay an HTTP invocation by sending its request to its URL")
	}
	return nil, emulator.Errorf(emulator.EINVALID, "function %s has no enabled trigger that can take this input", function)
}

// listenerOf is the running queue or blob listener of fn, or nil.
func (r *runner) listenerOf(fn *emulator.Function) listener {
	if r.triggers == nil {
		return nil
	}
	t := r.triggers
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, l := range t.listeners {
		switch l := l.(type) {
		case *queue.Listener:
			if l.Function() == fn.Name {
				return l
			}
		case *blob.Listener:
			if l.Function() == fn.Name {
				return l
			}
		}
	}
	return nil
}
