package cmd

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/azstore"
	"github.com/funcemu/funcemu/emulator/storage"
	"github.com/funcemu/funcemu/tui"
)

// uiAccount is the account whose queues and tables the UI shows: the embedded
// store's development account, the one UseDevelopmentStorage=true names.
const uiAccount = azstore.DevelopmentAccount

// requeueVisibility hides the poison messages looked through while moving
// one back; the others are made visible again at once.
const requeueVisibility = 30 * time.Second

// embeddedStore is the runner's store, once start is open; what names the
// view's contents in the error when start runs no embedded storage.
func (c *uiController) embeddedStore(what string) (*storage.Store, error) {
	if err := c.started(); err != nil {
		return nil, err
	}
	if c.r.store == nil {
		return nil, errors.New(what + " need the embedded storage, which this funcemu start does not run")
	}
	return c.r.store, nil
}

// Queues lists the development account's queues with their depths; a
// poison queue counts toward its queue instead of being listed.
func (c *uiController) Queues(ctx context.Context) ([]tui.QueueInfo, error) {
	s, err := c.embeddedStore("queues")
	if err != nil {
		return nil, err
	}
	var all []storage.Queue
	for marker := ""; ; {
		page, err := s.ListQueues(ctx, uiAccount, storage.ListQueuesOptions{Marker: marker})
		if err != nil {
			return nil, err
		}
		all = append(all, page.Queues...)
		if marker = page.NextMarker; marker == "" {
			break
		}
	}
	depths := make(map[string]int, len(all))
	for _, q := range all {
		n, err := s.CountMessages(ctx, uiAccount, q.Name)
		if err != nil {
			return nil, err
		}
		depths[q.Name] = n
	}
	var out []tui.QueueInfo
	for _, q := range all {
		if base, ok := strings.CutSuffix(q.Name, "-poison"); ok {
			if _, listed := depths[base]; listed {
				continue // counted as its queue's poison depth
			}
		}
		out = append(out, tui.QueueInfo{Name: q.Name, Depth: depths[q.Name], PoisonDepth: depths[tui.PoisonQueueName(q.Name)]})
	}
	return out, nil
}

// PeekMessages peeks up to n visible messages; a queue that does not
// exist yet, such as a poison queue nothing failed into, has none.
func (c *uiController) PeekMessages(ctx context.Context, queue string, n int) ([]tui.Message, error) {
	s, err := c.embeddedStore("queues")
	if err != nil {
		return nil, err
	}
	n = min(max(n, 1), storage.MaxMessagesPerGet)
	msgs, err := s.PeekMessages(ctx, uiAccount, queue, n)
	if emulator.ErrorCode(err) == emulator.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := make([]tui.Message, len(msgs))
	for i, m := range msgs {
		out[i] = tui.Message{ID: m.ID, Body: m.Text, DequeueCount: int64(m.DequeueCount), InsertionTime: m.InsertionTime}
	}
	return out, nil
}

// RequeuePoison puts the poison message's text back on queue and deletes
// it from the poison queue. The store deletes only a received message, so
// the visible poison messages are received and all but the one moved are
// made visible again (their dequeue counts go up by one).
func (c *uiController) RequeuePoison(ctx context.Context, queue, messageID string) error {
	s, err := c.embeddedStore("queues")
	if err != nil {
		return err
	}
	poison := tui.PoisonQueueName(queue)
	msgs, err := s.GetMessages(ctx, uiAccount, poison, storage.MaxMessagesPerGet, requeueVisibility)
	if err != nil {
		return err
	}
	var found *storage.Message
	for i := range msgs {
		m := &msgs[i]
		if m.ID == messageID {
			found = m
			continue
		}
		if _, err := s.UpdateMessage(ctx, uiAccount, poison, m.ID, m.PopReceipt, 0, nil); err != nil {
			return err
		}
	}
	if found == nil {
		return fmt.Errorf("message %s is not among the visible messages of %s", messageID, poison)
	}
	if _, err := s.PutMessage(ctx, uiAccount, queue, storage.NewMessage{Text: found.Text}); err != nil {
		return err
	}
	return s.DeleteMessage(ctx, uiAccount, poison, found.ID, found.PopReceipt)
}
