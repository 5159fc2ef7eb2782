package emulator

import (
	"context"
	"io"
	"time"
)

// QueueStore is one storage account's queues as the triggers and output
// bindings use them. The embedded store and a remote account (through the
// Azure SDK) both implement it. Errors carry ENOTFOUND for a missing queue
// or message and ECONFLICT for a stale pop receipt.
type QueueStore interface {
	// CreateQueue creates the queue unless it exists.
	CreateQueue(ctx context.Context, queue string) error
	// Put adds a message whose text is stored as given (already encoded).
	Put(ctx context.Context, queue string, m PutMessage) (*QueueMessageInfo, error)
	// Receive makes up to n visible messages invisible for visibility and
	// returns them with fresh pop receipts and incremented dequeue counts.
	Receive(ctx context.Context, queue string, n int, visibility time.Duration) ([]*QueueMessageInfo, error)
	// Delete removes a received message.
	Delete(ctx context.Context, queue, id, popReceipt string) error
	// SetVisibility makes a received message visible again after d and
	// returns its new pop receipt.
	SetVisibility(ctx context.Context, queue, id, popReceipt string, d time.Duration) (string, error)
	// Count is the approximate number of messages, visible or not.
	Count(ctx context.Context, queue string) (int, error)
	// Watch reports, without blocking the writer, whenever a message may
	// have become visible in the queue (added, or made visible again). The
	// channel has a buffer of one; a receive means "look again". Stores
	// that cannot notify return a nil channel: the listener then polls.
	Watch(queue string) (<-chan struct{}, func())
	// NextVisible is when the earliest invisible message becomes visible;
	// ok is false when there is none. Listeners sleep until then on the
	// store's clock instead of polling.
	NextVisible(ctx context.Context, queue string) (t time.Time, ok bool, err error)
}

// PutMessage is a message to add.
type PutMessage struct {
	Text       string
	TTL        time.Duration // 0 means the default of 7 days; negative never expires
	Visibility time.Duration // initial invisibility
	// ParentID is the invocation that wrote the message. Stored, never
	// shown through the REST API.
	ParentID string
}

// QueueMessageInfo is a stored message.
type QueueMessageInfo struct {
	ID              string
	PopReceipt      string
	Text            string
	DequeueCount    int64
	InsertionTime   time.Time
	ExpirationTime  time.Time
	NextVisibleTime time.Time
	ParentID        string
}

// BlobStore is one storage account's blobs as the triggers and bindings use
// them. Errors carry ENOTFOUND for a missing container or blob.
type BlobStore interface {
	// CreateContainer creates the container unless it exists.
	CreateContainer(ctx context.Context, container string) error
	// ListBlobs lists the committed blobs (no snapshots) whose names start
	// with prefix, in name order.
	ListBlobs(ctx context.Context, container, prefix string) ([]*BlobInfo, error)
	// ReadBlob opens a blob's content; the caller closes it.
	ReadBlob(ctx context.Context, container, name string) (io.ReadCloser, *BlobInfo, error)
	// WriteBlob replaces (or creates) a block blob with r's content.
	WriteBlob(ctx context.Context, container, name string, r io.Reader, opts WriteBlob) (*BlobInfo, error)
	// Watch reports blobs created or changed in the container, after the
	// write committed, without blocking the writer (a full channel drops
	// changes; the trigger rescans then). Stores that cannot notify return
	// a nil channel: the trigger then scans periodically.
	Watch(container string) (<-chan BlobChange, func())
}

// WriteBlob are options of BlobStore.WriteBlob.
type WriteBlob struct {
	ContentType string
	Metadata    map[string]string
	// IfNoneMatchAny creates the blob only if it does not exist (receipts).
	IfNoneMatchAny bool
	// ParentID is the invocation that wrote the blob; stored, never shown
	// through the REST API.
	ParentID string
}

// BlobInfo describes a blob.
type BlobInfo struct {
	Container    string
	Name         string
	ETag         string // quoted, as in the ETag header
	Size         int64
	ContentType  string
	LastModified time.Time
	CreatedOn    time.Time
	Metadata     map[string]string
	ParentID     string
}

// BlobChange says a blob was created or changed.
type BlobChange struct {
	Container string
	Name      string
	ETag      string
}
