package queue

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/bindings"
)

// settleTimeout bounds the store calls that settle a message after its
// invocation, which run even when the listener is closing.
const settleTimeout = 5 * time.Second

// process runs one received message through the function and settles it:
// deleted on success, made visible again after visibilityTimeout on
// failure, moved to the poison queue once it reached maxDequeueCount.
func (l *Listener) process(ctx context.Context, m *emulator.QueueMessageInfo) {
	defer l.wg.Done()
	defer l.finish()
	if m.DequeueCount > int64(l.cfg.MaxDequeueCount) {
		l.poison(m, m.PopReceipt, "")
		return
	}
	body, err := l.decode(m.Text)
	if err != nil {
		l.poison(m, m.PopReceipt, fmt.Sprintf(
			"Message '%s' on queue '%s' is not valid base64 (host.json extensions.queues.messageEncoding is \"base64\"): %v. Moving it to queue '%s' without running the function.",
			m.ID, l.queue, err, poisonQueue(l.queue)))
		return
	}

	r := l.startRenewal(m)
	_, ierr := l.opts.Invoker.Invoke(ctx, l.request(m, body))
	pop := r.stop()

	sctx, cancel := context.WithTimeout(context.Background(), settleTimeout)
	defer cancel()
	switch {
	case ctx.Err() != nil:
		// Closing: hand the message back at once rather than leaving it
		// invisible for ten minutes.
		_, err := l.opts.Store.SetVisibility(sctx, l.queue, m.ID, pop, 0)
		l.ignoreGone(err)
	case ierr == nil:
		l.ignoreGone(l.opts.Store.Delete(sctx, l.queue, m.ID, pop))
	case m.DequeueCount >= int64(l.cfg.MaxDequeueCount):
		l.poison(m, pop, "")
	default:
		_, err := l.opts.Store.SetVisibility(sctx, l.queue, m.ID, pop, l.cfg.VisibilityTimeout)
		l.ignoreGone(err)
		if l.cfg.VisibilityTimeout > 0 {
			select {
			case l.delayed <- struct{}{}:
			default:
			}
		}
	}
}

// decode returns the message content under the host-wide messageEncoding.
func (l *Listener) decode(text string) ([]byte, error) {
	if !strings.EqualFold(l.cfg.MessageEncoding, "base64") {
		return []byte(text), nil
	}
	return base64.StdEncoding.DecodeString(text)
}

// request builds the invocation of the function for a message.
func (l *Listener) request(m *emulator.QueueMessageInfo, body []byte) emulator.InvokeRequest {
	var value any = string(body)
	if strings.EqualFold(l.trigger.DataType, "binary") {
		value = body
	}
	meta := bindings.QueueTrigger{
		ID:              m.ID,
		PopReceipt:      m.PopReceipt,
		DequeueCount:    m.DequeueCount,
		InsertionTime:   m.InsertionTime,
		ExpirationTime:  m.ExpirationTime,
		NextVisibleTime: m.NextVisibleTime,
		Body:            body,
	}.Metadata()
	return emulator.InvokeRequest{
		Function: l.opts.Function.Name,
		Trigger:  emulator.TriggerQueue,
		Reason:   l.reason,
		ParentID: m.ParentID,
		Data:     map[string]any{l.trigger.Name: value},
		Metadata: meta,
		Input: &emulator.Input{Queue: &emulator.QueueMessage{
			Account:        l.opts.Account,
			Queue:          l.queue,
			ID:             m.ID,
			Body:           m.Text,
			DequeueCount:   m.DequeueCount,
			InsertionTime:  m.InsertionTime,
			ExpirationTime: m.ExpirationTime,
		}},
	}
}

// ignoreGone logs settle errors except the ones the host ignores too: the
// message is gone or its pop receipt is stale.
func (l *Listener) ignoreGone(err error) {
	switch emulator.ErrorCode(err) {
	case "", emulator.ENOTFOUND, emulator.ECONFLICT:
		return
	}
	l.log(emulator.LevelWarning, fmt.Sprintf("Settling a message of queue '%s' failed: %v", l.queue, err))
}

// Replay runs the function again on a recorded message with the request
// the listener builds for a received one; nothing is received, deleted or
// poisoned. dryRun records the outputs without writing them.
func (l *Listener) Replay(ctx context.Context, m *emulator.QueueMessage, dryRun bool) (*emulator.Result, error) {
	body, err := l.decode(m.Body)
	if err != nil {
		return nil, emulator.Errorf(emulator.EINVALID, "replay message %s: not valid base64 under messageEncoding base64: %v", m.ID, err)
	}
	req := l.request(&emulator.QueueMessageInfo{ID: m.ID, Text: m.Body, DequeueCount: m.DequeueCount,
		InsertionTime: m.InsertionTime, ExpirationTime: m.ExpirationTime}, body)
	req.DryRun = dryRun
	return l.opts.Invoker.Invoke(ctx, req)
}
