package azstore

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azqueue/v2"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azqueue/v2/queueerror"
	"github.com/funcemu/funcemu/emulator"
)

// maxReceive is the most messages one Get Messages call returns.
const maxReceive = 32

// QueueStore is emulator.QueueStore over an account's queue service.
//
// Differences from the embedded store, all forced by the REST API: Watch
// returns a nil channel and NextVisible ok=false (the account cannot
// notify, listeners poll with Backoff); ParentID is not stored (a message
// has no metadata), so received messages have an empty ParentID; durations
// are whole seconds, rounded up, and Receive hides messages for at least
// one second; Receive asks for at most 32 messages per call.
type QueueStore struct {
	svc     *azqueue.ServiceClient
	account *Account
}

var _ emulator.QueueStore = (*QueueStore)(nil)

// NewQueueStore returns the queue store of the account.
func NewQueueStore(a *Account, o Options) (*QueueStore, error) {
	svc, err := newQueueService(a, o)
	if err != nil {
		return nil, err
	}
	return &QueueStore{svc: svc, account: a}, nil
}

func (s *QueueStore) queue(name string) *azqueue.QueueClient { return s.svc.NewQueueClient(name) }

// CreateQueue creates the queue unless it exists.
func (s *QueueStore) CreateQueue(ctx context.Context, queue string) error {
	_, err := s.queue(queue).Create(ctx, nil)
	if err != nil && !queueerror.HasCode(err, queueerror.QueueAlreadyExists) {
		return storageError(fmt.Sprintf("create queue %q", queue), err)
	}
	return nil
}

// Put adds a message. m.ParentID is dropped: queue messages have no
// metadata to keep it in.
func (s *QueueStore) Put(ctx context.Context, queue string, m emulator.PutMessage) (*emulator.QueueMessageInfo, error) {
	opts := &azqueue.EnqueueMessageOptions{}
	switch {
	case m.TTL < 0:
		opts.TimeToLive = ptr(int32(-1))
	case m.TTL > 0:
		opts.TimeToLive = ptr(seconds(m.TTL))
	}
	if m.Visibility > 0 {
		opts.VisibilityTimeout = ptr(seconds(m.Visibility))
	}
	resp, err := s.queue(queue).EnqueueMessage(ctx, m.Text, opts)
	if err != nil {
		return nil, storageError(fmt.Sprintf("put message on queue %q", queue), err)
	}
	if len(resp.Messages) != 1 {
		return nil, storageError(fmt.Sprintf("put message on queue %q", queue),
			fmt.Errorf("the service returned %d messages, want 1", len(resp.Messages)))
	}
	e := resp.Messages[0]
	return &emulator.QueueMessageInfo{
		ID:              deref(e.MessageID),
		PopReceipt:      deref(e.PopReceipt),
		Text:            m.Text,
		InsertionTime:   derefTime(e.InsertionTime),
		ExpirationTime:  derefTime(e.ExpirationTime),
		NextVisibleTime: derefTime(e.TimeNextVisible),
	}, nil
}

// Receive gets up to n (at most 32) visible messages and hides them for
// visibility (at least one second).
func (s *QueueStore) Receive(ctx context.Context, queue string, n int, visibility time.Duration) ([]*emulator.QueueMessageInfo, error) {
	if n <= 0 {
		return nil, nil
	}
	n = min(n, maxReceive)
	vis := max(seconds(visibility), 1)
	resp, err := s.queue(queue).DequeueMessages(ctx, &azqueue.DequeueMessagesOptions{
		NumberOfMessages:  ptr(int32(n)),
		VisibilityTimeout: ptr(vis),
	})
	if err != nil {
		return nil, storageError(fmt.Sprintf("receive messages from queue %q", queue), err)
	}
	out := make([]*emulator.QueueMessageInfo, 0, len(resp.Messages))
	for _, m := range resp.Messages {
		out = append(out, &emulator.QueueMessageInfo{
			ID:              deref(m.MessageID),
			PopReceipt:      deref(m.PopReceipt),
			Text:            deref(m.MessageText),
			DequeueCount:    derefInt(m.DequeueCount),
			InsertionTime:   derefTime(m.InsertionTime),
			ExpirationTime:  derefTime(m.ExpirationTime),
			NextVisibleTime: derefTime(m.TimeNextVisible),
		})
	}
	return out, nil
}

// Delete removes a received message.
func (s *QueueStore) Delete(ctx context.Context, queue, id, popReceipt string) error {
	_, err := s.queue(queue).DeleteMessage(ctx, id, popReceipt, nil)
	return storageError(fmt.Sprintf("delete message %s from queue %q", id, queue), err)
}

// SetVisibility makes a received message visible again after d, keeping
// its text, and returns its new pop receipt.
func (s *QueueStore) SetVisibility(ctx context.Context, queue, id, popReceipt string, d time.Duration) (string, error) {
	resp, err := s.queue(queue).UpdateMessage(keepMessageText(ctx), id, popReceipt, "",
		&azqueue.UpdateMessageOptions{VisibilityTimeout: ptr(seconds(d))})
	if err != nil {
		return "", storageError(fmt.Sprintf("update message %s on queue %q", id, queue), err)
	}
	return deref(resp.PopReceipt), nil
}

// Count is the service's approximate message count.
func (s *QueueStore) Count(ctx context.Context, queue string) (int, error) {
	resp, err := s.queue(queue).GetProperties(ctx, nil)
	if err != nil {
		return 0, storageError(fmt.Sprintf("get properties of queue %q", queue), err)
	}
	return int(derefInt(resp.ApproximateMessagesCount)), nil
}

// Watch returns a nil channel: an account cannot notify, so listeners poll.
func (s *QueueStore) Watch(string) (<-chan struct{}, func()) { return nil, func() {} }

// NextVisible is unknown for an account: ok is always false.
func (s *QueueStore) NextVisible(context.Context, string) (time.Time, bool, error) {
	return time.Time{}, false, nil
}

// seconds rounds d up to whole seconds, the REST API's unit.
func seconds(d time.Duration) int32 {
	if d <= 0 {
		return 0
	}
	s := (d + time.Second - 1) / time.Second
	if s > math.MaxInt32 {
		return math.MaxInt32
	}
	return int32(s)
}

func ptr[T any](v T) *T { return &v }

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func derefInt(n *int64) int64 {
	if n == nil {
		return 0
	}
	return *n
}

func derefTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}
