package queue

import (
	"context"
	"fmt"
	"strings"

	"github.com/funcemu/funcemu/emulator"
)

// maxQueueName is the longest queue name Azure accepts.
const maxQueueName = 63

// poisonQueue is where a queue's failed messages go, or "" when the host
// makes none: the queue is itself a poison queue or the name would be
// too long.
func poisonQueue(queue string) string {
	name := queue + "-poison"
	if strings.HasSuffix(queue, "-poison") || len(name) > maxQueueName {
		return ""
	}
	return name
}

// poison copies the message to the poison queue and deletes it. reason,
// when set, is logged as an error instead of the host's MaxDequeueCount
// warning. Without a poison queue the message stays invisible until its
// visibility runs out, as in the host.
func (l *Listener) poison(m *emulator.QueueMessageInfo, pop, reason string) {
	target := poisonQueue(l.queue)
	if target == "" {
		l.log(emulator.LevelWarning, fmt.Sprintf(
			"Message '%s' failed %d times and queue '%s' has no poison queue; it stays invisible until its visibility timeout.",
			m.ID, m.DequeueCount, l.queue))
		return
	}
	if reason != "" {
		l.log(emulator.LevelError, reason)
	} else {
		l.log(emulator.LevelWarning, fmt.Sprintf("Message has reached MaxDequeueCount of %d. Moving message to queue '%s'.",
			l.cfg.MaxDequeueCount, target))
	}
	ctx, cancel := context.WithTimeout(context.Background(), settleTimeout)
	defer cancel()
	if err := l.opts.Store.CreateQueue(ctx, target); err != nil {
		l.log(emulator.LevelError, fmt.Sprintf("Creating poison queue '%s' failed: %v", target, err))
		return
	}
	if _, err := l.opts.Store.Put(ctx, target, emulator.PutMessage{Text: m.Text, ParentID: m.ParentID}); err != nil {
		l.log(emulator.LevelError, fmt.Sprintf("Moving message '%s' to queue '%s' failed: %v", m.ID, target, err))
		return
	}
	l.ignoreGone(l.opts.Store.Delete(ctx, l.queue, m.ID, pop))
}
