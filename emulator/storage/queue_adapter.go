package storage

import (
	"context"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// QueueStore is one account's queues as the triggers and output bindings
// use them, without HTTP.
func (s *Store) QueueStore(account string) emulator.QueueStore {
	return &queueStore{s: s, account: account}
}

type queueStore struct {
	s       *Store
	account string
}

func (q *queueStore) CreateQueue(ctx context.Context, queue string) error {
	return q.s.CreateQueueIfNotExists(ctx, q.account, queue)
}

func (q *queueStore) Put(ctx context.Context, queue string, m emulator.PutMessage) (*emulator.QueueMessageInfo, error) {
	msg, err := q.s.PutMessage(ctx, q.account, queue, NewMessage{
		Text: m.Text, VisibilityTimeout: m.Visibility, TTL: m.TTL, ParentInvocationID: m.ParentID,
	})
	if err != nil {
		return nil, err
	}
	return messageInfo(msg), nil
}

func (q *queueStore) Receive(ctx context.Context, queue string, n int, visibility time.Duration) ([]*emulator.QueueMessageInfo, error) {
	msgs, err := q.s.GetMessages(ctx, q.account, queue, n, visibility)
	if err != nil {
		return nil, err
	}
	out := make([]*emulator.QueueMessageInfo, len(msgs))
	for i := range msgs {
		out[i] = messageInfo(&msgs[i])
	}
	return out, nil
}

func (q *queueStore) Delete(ctx context.Context, queue, id, popReceipt string) error {
	return q.s.DeleteMessage(ctx, q.account, queue, id, popReceipt)
}

func (q *queueStore) SetVisibility(ctx context.Context, queue, id, popReceipt string, d time.Duration) (string, error) {
	m, err := q.s.UpdateMessage(ctx, q.account, queue, id, popReceipt, d, nil)
	if err != nil {
		return "", err
	}
	return m.PopReceipt, nil
}

func (q *queueStore) Count(ctx context.Context, queue string) (int, error) {
	return q.s.CountMessages(ctx, q.account, queue)
}

func (q *queueStore) Watch(queue string) (<-chan struct{}, func()) {
	return q.s.SubscribeQueue(q.account, queue)
}

func (q *queueStore) NextVisible(ctx context.Context, queue string) (time.Time, bool, error) {
	return q.s.NextVisible(ctx, q.account, queue)
}

func messageInfo(m *Message) *emulator.QueueMessageInfo {
	return &emulator.QueueMessageInfo{
		ID:              m.ID,
		PopReceipt:      m.PopReceipt,
		Text:            m.Text,
		DequeueCount:    int64(m.DequeueCount),
		InsertionTime:   m.InsertionTime,
		ExpirationTime:  m.ExpirationTime,
		NextVisibleTime: m.TimeNextVisible,
		ParentID:        m.ParentInvocationID,
	}
}
