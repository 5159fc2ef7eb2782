package blob

import (
	"context"
	"strings"
)

// eventGrid reports whether the trigger has "source": "EventGrid": the
// host then never scans the container and runs the function only for the
// blob events Event Grid posts to /runtime/webhooks/blobs.
func (l *Listener) eventGrid() bool { return strings.EqualFold(l.trigger.Source, "EventGrid") }

// BlobEvent runs the function on a blob version an Event Grid event named
// (etag quoted), with the same receipts, retries and poison queue as a
// detected blob. It reports whether the blob is in the trigger's
// container and matches its path; the run itself is asynchronous, as the
// host's queue behind the webhook is. A listener that is not an EventGrid
// one, or not started, takes nothing.
func (l *Listener) BlobEvent(_ context.Context, container, name, etag string) bool {
	l.mu.Lock()
	ctx := l.ctx
	l.mu.Unlock()
	if ctx == nil || container != l.Container() {
		return false
	}
	if _, ok := l.pattern.Match(container + "/" + name); !ok {
		return false
	}
	l.candidate(ctx, name, etag, false)
	return true
}
