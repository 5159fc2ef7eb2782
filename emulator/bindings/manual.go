package bindings

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/eventgrid"
)

// manualTrigger completes an invocation fired by hand (POST
// /admin/functions/{name}, funcemu invoke) the way the host converts the
// input string for storage triggers: for a queue trigger the string is
// the message, with its binding data; for a blob trigger it is the path
// "container/blob" of the blob to run on, which is read.
func (b *Bindings) manualTrigger(ctx context.Context, fn *emulator.Function, req *emulator.InvokeRequest) error {
	t := fn.Trigger()
	if t == nil || req.Input == nil || req.Input.Manual == nil {
		return nil
	}
	input := req.Input.Manual.Input
	var meta map[string]any
	switch t.Kind() {
	case emulator.BindingQueueTrigger:
		meta = QueueTrigger{Body: []byte(input)}.Metadata()
	case emulator.BindingBlobTrigger:
		container, name, ok := strings.Cut(strings.TrimPrefix(input, "/"), "/")
		if !ok || container == "" || name == "" {
			return fmt.Errorf("function %s: the input of a blob trigger is the blob's path \"container/blob\", found %q", fn.Name, input)
		}
		store, err := b.blobs(fn, t)
		if err != nil {
			return err
		}
		r, info, err := store.ReadBlob(ctx, container, name)
		if err != nil {
			return fmt.Errorf("function %s: blob trigger input %q: %w", fn.Name, input, err)
		}
		content, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			return fmt.Errorf("function %s: blob trigger input %q: %w", fn.Name, input, err)
		}
		if strings.EqualFold(t.DataType, "binary") {
			req.Data[t.Name] = content
		} else {
			req.Data[t.Name] = string(content)
		}
		bt := BlobTrigger{Info: info}
		if p, err := b.pattern(t.Path); err == nil {
			bt.Captures, _ = p.Match(container + "/" + name)
		}
		meta = bt.Metadata()
		req.ParentID = info.ParentID
	case eventgrid.BindingEventGridTrigger:
		events, err := eventgrid.ParseEvents([]byte(input))
		if err != nil || len(events) != 1 {
			return fmt.Errorf("function %s: the input of an eventGridTrigger is one event as a JSON object (Event Grid or CloudEvents schema): %v", fn.Name, err)
		}
		value, data := eventgrid.TriggerValues(events[0])
		req.Data[t.Name] = value
		meta = data
	default:
		return nil
	}
	if req.Metadata == nil {
		req.Metadata = map[string]any{}
	}
	for k, v := range meta {
		set(req.Metadata, k, v)
	}
	return nil
}
