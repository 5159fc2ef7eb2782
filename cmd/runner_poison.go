package cmd

import (
	"context"
	"fmt"

	"github.com/funcemu/funcemu/emulator"
)

// blobPoisonQueue is where the blob trigger puts blobs it gave up on.
const blobPoisonQueue = "webjobs-blobtrigger-poison"

// poisonCounts counts the messages in the poison queues of the app's
// queue and blob triggers (work the app gave up on, which exec reports),
// by queue name; a queue that does not exist counts nothing.
func (r *runner) poisonCounts(ctx context.Context) (map[string]int, error) {
	counts := map[string]int{}
	if r.triggers == nil {
		return counts, nil
	}
	type place struct {
		store emulator.QueueStore
		queue string
	}
	seen := map[place]bool{}
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
			return counts, fmt.Errorf("function %s: %w", fn.Name, err)
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
			return counts, fmt.Errorf("count %s: %w", queue, err)
		}
		counts[queue] += n
	}
	return counts, nil
}
