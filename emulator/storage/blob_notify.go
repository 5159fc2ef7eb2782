package storage

import (
	"context"
	"sync"
)

// Blob operations as Azure's blob events name them in data.api.
const (
	APIPutBlob      = "PutBlob"
	APIPutBlockList = "PutBlockList"
	APICopyBlob     = "CopyBlob"
	APIDeleteBlob   = "DeleteBlob"
)

// publishBlob tells the container's subscribers, and the account-wide
// ones, about a committed change; call it only after the transaction
// committed. api is "" for changes that publish no blob event.
func (s *Store) publishBlob(ctx context.Context, b Blob, kind BlobChangeKind, api string) {
	c := BlobChange{Account: b.Account, Container: b.Container, Name: b.Name, ETag: b.ETag, Kind: kind,
		API: api, BlobType: b.Type, Size: b.Size, ContentType: b.Headers.ContentType, ParentID: b.ParentInvocationID}
	if ids, ok := ctx.Value(requestIDsKey{}).(requestIDs); ok {
		c.RequestID, c.ClientRequestID = ids.id, ids.client
	}
	s.NotifyBlob(c)
	s.events.send(c)
}

type requestIDsKey struct{}

type requestIDs struct{ id, client string }

// WithRequestIDs marks ctx as serving the REST request with x-ms-request-id
// id and x-ms-client-request-id client, so the blob changes it commits
// carry them (Azure's blob events report both).
func WithRequestIDs(ctx context.Context, id, client string) context.Context {
	return context.WithValue(ctx, requestIDsKey{}, requestIDs{id, client})
}

// blobEventBuffer is how far an account-wide subscriber may fall behind.
const blobEventBuffer = 4096

// blobEvents fans every committed blob change out to account-wide
// subscribers (Event Grid), without blocking writers.
type blobEvents struct {
	mu   sync.Mutex
	subs map[chan BlobChange]struct{}
}

func (e *blobEvents) send(c BlobChange) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for ch := range e.subs {
		select {
		case ch <- c:
		default: // the subscriber is blobEventBuffer changes behind
		}
	}
}

// SubscribeAllBlobs returns a channel of every committed change to any
// blob of any account, and a function that ends the subscription. A
// subscriber that falls blobEventBuffer changes behind loses the excess,
// so it should move changes off the channel at once.
func (s *Store) SubscribeAllBlobs() (<-chan BlobChange, func()) {
	e := &s.events
	ch := make(chan BlobChange, blobEventBuffer)
	e.mu.Lock()
	if e.subs == nil {
		e.subs = map[chan BlobChange]struct{}{}
	}
	e.subs[ch] = struct{}{}
	e.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			e.mu.Lock()
			delete(e.subs, ch)
			e.mu.Unlock()
		})
	}
}
