package blob

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/bindings"
	"github.com/funcemu/funcemu/emulator/poll"
)

const (
	// poisonQueue receives blobs whose function kept failing.
	poisonQueue = "webjobs-blobtrigger-poison"
	// journalLimit is how much of the blob the invocation record keeps.
	journalLimit = 1 << 20
	// settleTimeout bounds the store calls after an invocation, which run
	// even when the listener is closing.
	settleTimeout = 5 * time.Second
)

// functionID is the host's FunctionDescriptor.Id of a script function.
func (l *Listener) functionID() string { return poll.FunctionID(l.opts.Function.Name) }

// receiptName is where the host keeps the receipt of one blob version.
func (l *Listener) receiptName(name, etag string) string {
	return poll.ReceiptPath(l.opts.HostID, l.functionID(), etag, l.Container(), name)
}

// process runs the function for one blob version unless its receipt says
// it already ran. The receipt is written once the version is done:
// succeeded, or failed poisonBlobThreshold times and moved to the poison
// queue. A version interrupted by shutdown has no receipt and runs again
// at the next start. It reports whether the version is done with.
func (l *Listener) process(ctx context.Context, name, etag string, captures map[string]string, fresh bool) bool {
	done, err := false, error(nil)
	if !fresh {
		done, err = l.hasReceipt(ctx, name, etag)
	}
	if err != nil {
		if ctx.Err() == nil {
			l.log(emulator.LevelWarning, fmt.Sprintf("Reading the receipt of blob '%s/%s' failed: %v", l.Container(), name, err))
		}
		return false
	}
	if done {
		return true
	}
	content, info, err := l.read(ctx, name)
	if err != nil || info == nil || info.ETag != etag {
		// Deleted, or changed again: the newer version is a candidate of
		// its own.
		return err == nil
	}
	for attempt := 1; ; attempt++ {
		_, err := l.opts.Invoker.Invoke(ctx, l.request(info, content, captures))
		if ctx.Err() != nil {
			return false
		}
		if err == nil {
			break
		}
		if attempt >= l.threshold {
			l.poison(info)
			break
		}
		if !l.sleep(ctx, l.opts.App.Host.Queues.VisibilityTimeout) {
			return false
		}
	}
	l.writeReceipt(name, etag)
	return true
}

func (l *Listener) hasReceipt(ctx context.Context, name, etag string) (bool, error) {
	r, _, err := l.opts.Receipts.ReadBlob(ctx, poll.HostsContainer, l.receiptName(name, etag))
	if emulator.ErrorCode(err) == emulator.ENOTFOUND {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	r.Close()
	return true, nil
}

func (l *Listener) writeReceipt(name, etag string) {
	ctx, cancel := context.WithTimeout(context.Background(), settleTimeout)
	defer cancel()
	var err error
	if !l.receiptsReady.Load() {
		err = l.opts.Receipts.CreateContainer(ctx, poll.HostsContainer)
	}
	if err == nil {
		_, err = l.opts.Receipts.WriteBlob(ctx, poll.HostsContainer, l.receiptName(name, etag), strings.NewReader(""),
			emulator.WriteBlob{IfNoneMatchAny: true})
		if emulator.ErrorCode(err) == emulator.ENOTFOUND {
			// The container was deleted since: create it again.
			l.receiptsReady.Store(false)
			if err = l.opts.Receipts.CreateContainer(ctx, poll.HostsContainer); err == nil {
				_, err = l.opts.Receipts.WriteBlob(ctx, poll.HostsContainer, l.receiptName(name, etag), strings.NewReader(""),
					emulator.WriteBlob{IfNoneMatchAny: true})
			}
		}
	}
	if err == nil || emulator.ErrorCode(err) == emulator.ECONFLICT {
		l.receiptsReady.Store(true)
	}
	if err != nil && emulator.ErrorCode(err) != emulator.ECONFLICT {
		l.log(emulator.LevelWarning, fmt.Sprintf("Writing the receipt of blob '%s/%s' failed: %v", l.Container(), name, err))
	}
}

// read returns the blob's content and properties, nil when it is gone.
func (l *Listener) read(ctx context.Context, name string) ([]byte, *emulator.BlobInfo, error) {
	r, info, err := l.opts.Blobs.ReadBlob(ctx, l.Container(), name)
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	content, err := io.ReadAll(r)
	return content, info, err
}

// sleep waits d on the clock; false when ctx ended first.
func (l *Listener) sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	woke := make(chan struct{})
	t := l.opts.Clock.AfterFunc(d, func() { close(woke) })
	select {
	case <-ctx.Done():
		t.Stop()
		return false
	case <-woke:
		return true
	}
}

// request builds the invocation for a blob version.
func (l *Listener) request(info *emulator.BlobInfo, content []byte, captures map[string]string) emulator.InvokeRequest {
	var value any = string(content)
	if strings.EqualFold(l.trigger.DataType, "binary") {
		value = content
	}
	kept := content
	if len(kept) > journalLimit {
		kept = kept[:journalLimit]
	}
	return emulator.InvokeRequest{
		Function: l.opts.Function.Name,
		Trigger:  emulator.TriggerBlob,
		Reason:   fmt.Sprintf("New blob detected(%s): %s/%s", l.source(), info.Container, info.Name),
		ParentID: info.ParentID,
		Data:     map[string]any{l.trigger.Name: value},
		Metadata: bindings.BlobTrigger{Info: info, URI: l.uri(info), Captures: captures}.Metadata(),
		Input: &emulator.Input{Blob: &emulator.BlobInput{
			Account: l.opts.Account, Container: info.Container, Name: info.Name, ETag: info.ETag,
			Metadata: info.Metadata, Content: kept, ContentTruncated: len(kept) < len(content),
		}},
	}
}

// uri is the blob's URL under the account's blob endpoint.
func (l *Listener) uri(info *emulator.BlobInfo) string {
	if l.opts.BlobEndpoint == "" {
		return ""
	}
	parts := strings.Split(info.Name, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.TrimSuffix(l.opts.BlobEndpoint, "/") + "/" + info.Container + "/" + strings.Join(parts, "/")
}

// poisonMessage is the host's BlobTriggerMessage.
type poisonMessage struct {
	Type          string
	FunctionID    string `json:"FunctionId"`
	BlobType      string
	ContainerName string
	BlobName      string
	ETag          string
}

// poison puts the blob's description on webjobs-blobtrigger-poison with
// the host's warning.
func (l *Listener) poison(info *emulator.BlobInfo) {
	l.log(emulator.LevelWarning, fmt.Sprintf("Message has reached MaxDequeueCount of %d. Moving message to queue '%s'.", l.threshold, poisonQueue))
	body, _ := json.Marshal(poisonMessage{Type: "BlobTrigger", FunctionID: l.functionID(), BlobType: "BlockBlob",
		ContainerName: info.Container, BlobName: info.Name, ETag: info.ETag})
	text := string(body)
	if !strings.EqualFold(l.opts.App.Host.Queues.MessageEncoding, "none") {
		text = base64.StdEncoding.EncodeToString(body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), settleTimeout)
	defer cancel()
	err := l.opts.Queues.CreateQueue(ctx, poisonQueue)
	if err == nil {
		_, err = l.opts.Queues.Put(ctx, poisonQueue, emulator.PutMessage{Text: text, ParentID: info.ParentID})
	}
	if err != nil {
		l.log(emulator.LevelError, fmt.Sprintf("Moving blob '%s/%s' to queue '%s' failed: %v", info.Container, info.Name, poisonQueue, err))
	}
}

// source is the trigger's source as the host names it in the reason.
func (l *Listener) source() string {
	if strings.EqualFold(l.trigger.Source, "EventGrid") {
		return "EventGrid"
	}
	return "LogsAndContainerScan"
}

// Replay runs the function again on a recorded blob version with the
// request the listener builds for a detected one; no receipt is written.
// dryRun records the outputs without writing them.
func (l *Listener) Replay(ctx context.Context, b *emulator.BlobInput, dryRun bool) (*emulator.Result, error) {
	if b.ContentTruncated {
		return nil, emulator.Errorf(emulator.EINVALID, "replay blob %s/%s: the recorded content was truncated", b.Container, b.Name)
	}
	captures, ok := l.pattern.Match(b.Container + "/" + b.Name)
	if !ok {
		return nil, emulator.Errorf(emulator.EINVALID, "replay blob %s/%s: it does not match the path %q", b.Container, b.Name, l.trigger.Path)
	}
	info := &emulator.BlobInfo{Container: b.Container, Name: b.Name, ETag: b.ETag, Metadata: b.Metadata, Size: int64(len(b.Content))}
	req := l.request(info, b.Content, captures)
	req.DryRun = dryRun
	return l.opts.Invoker.Invoke(ctx, req)
}
