package cmd

import (
	"context"
	"fmt"

	"github.com/funcemu/funcemu/emulator"
)

// blobPoisonQueue is where the blob trigger puts blobs it gave up on.
const blobPoisonQueue = "webjobs-blobtrigger-poison"

// poisonMessages counts the messages in the poison queues of the app's
// queue and blob triggers: work the app gave up on, which exec reports.
func (r *runner) poisonMessages(ctx context.Context) (int, error) {
	if r.triggers == nil {
		return 0, nil
	}
	type place struct {
		store emulator.QueueStore
		queue string
	}
	seen := map[place]bool{}
	total := 0
	for _, fn := range r.app.Functions {
		tr := fn.Trigger()
		if fn.Disabled || tr == nil {
			continue
		}
		var queue string
		switch tr.Kind() {
		case emulator.BindingQueueTrigger:
			queue = tr.QueueName + "-poison"
		case emulator.BindingBlobTrigger:
			queue = blobPoisonQueue
		default:
			continue
		}
		qs, _, err := r.triggers.stores.Queues(tr.Connection)
		if err != nil {
			return total, fmt.Errorf("function %s: %w", fn.Name, err)
		}
		p := place{qs, queue}
		if seen[p] {
			continue
		}
		seen[p] = true
		n, err := qs.Count(ctx, queue)
		if emulator.ErrorCode(err) == emulator.ENOTFOUND {
			continue // no poison queue: nothing was ever poisoned
		}
		if err != nil {
			return total, fmt.Errorf("count %s: %w", queue, err)
		}
		total += n
	}
	return total, nil
}
