package storage

import "sync"

// BlobChangeKind says what happened to a blob.
type BlobChangeKind string

const (
	BlobCreated BlobChangeKind = "created"
	BlobChanged BlobChangeKind = "changed" // content or properties rewritten
	BlobDeleted BlobChangeKind = "deleted"

	// Longer names for the same kinds.
	BlobChangeCreated = BlobCreated
	BlobChangeChanged = BlobChanged
	BlobChangeDeleted = BlobDeleted
)

// BlobChange says a blob was created, changed or deleted.
type BlobChange struct {
	Account   string
	Container string
	Name      string
	ETag      string
	Kind      BlobChangeKind
	// API names the operation that committed the change, as Azure's blob
	// events do: PutBlob, PutBlockList, CopyBlob or DeleteBlob; "" for
	// changes Azure publishes no event for (properties, metadata,
	// appended blocks).
	API         string
	BlobType    string
	Size        int64
	ContentType string
	// RequestID and ClientRequestID are the REST request's ids when the
	// change came through the REST API (see WithRequestIDs).
	RequestID       string
	ClientRequestID string
	// ParentID is the invocation that wrote the blob, if any.
	ParentID string
}

// blobChangeBuffer is how many changes a blob subscriber may fall behind
// by before it loses some; it should then rescan the container.
const blobChangeBuffer = 1024

// notifier is the in-process pub/sub behind SubscribeQueue and
// SubscribeBlobs. Sends never block a writer.
type notifier struct {
	mu     sync.Mutex
	queues map[string]map[chan struct{}]struct{}
	blobs  map[string]map[chan BlobChange]struct{}
}

func newNotifier() *notifier {
	return &notifier{
		queues: map[string]map[chan struct{}]struct{}{},
		blobs:  map[string]map[chan BlobChange]struct{}{},
	}
}

func notifyKey(account, name string) string { return account + "/" + name }

// SubscribeQueue returns a channel that receives a value whenever a
// message is added to (or made visible again in) the queue, and a function
// that ends the subscription. Wake-ups coalesce: one value may stand for
// many messages, so the subscriber drains the queue when woken.
func (s *Store) SubscribeQueue(account, queue string) (<-chan struct{}, func()) {
	n := s.notify
	ch := make(chan struct{}, 1)
	key := notifyKey(account, queue)
	n.mu.Lock()
	if n.queues[key] == nil {
		n.queues[key] = map[chan struct{}]struct{}{}
	}
	n.queues[key][ch] = struct{}{}
	n.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			n.mu.Lock()
			delete(n.queues[key], ch)
			if len(n.queues[key]) == 0 {
				delete(n.queues, key)
			}
			n.mu.Unlock()
		})
	}
}

// SubscribeBlobs returns a channel of changes to blobs in the container
// and a function that ends the subscription. A subscriber more than
// blobChangeBuffer changes behind loses the excess.
func (s *Store) SubscribeBlobs(account, container string) (<-chan BlobChange, func()) {
	n := s.notify
	ch := make(chan BlobChange, blobChangeBuffer)
	key := notifyKey(account, container)
	n.mu.Lock()
	if n.blobs[key] == nil {
		n.blobs[key] = map[chan BlobChange]struct{}{}
	}
	n.blobs[key][ch] = struct{}{}
	n.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			n.mu.Lock()
			delete(n.blobs[key], ch)
			if len(n.blobs[key]) == 0 {
				delete(n.blobs, key)
			}
			n.mu.Unlock()
		})
	}
}

// notifyQueue wakes the queue's subscribers. Call it only after the
// transaction that added the message committed.
func (s *Store) notifyQueue(account, queue string) {
	n := s.notify
	n.mu.Lock()
	defer n.mu.Unlock()
	for ch := range n.queues[notifyKey(account, queue)] {
		select {
		case ch <- struct{}{}:
		default: // already woken; the subscriber will see this message too
		}
	}
}

// NotifyBlob tells the container's subscribers about a change. Call it
// only after the transaction that made the change committed.
func (s *Store) NotifyBlob(c BlobChange) {
	n := s.notify
	n.mu.Lock()
	defer n.mu.Unlock()
	for ch := range n.blobs[notifyKey(c.Account, c.Container)] {
		select {
		case ch <- c:
		default:
		}
	}
}
