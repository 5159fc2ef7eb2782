package bindings

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/funcemu/funcemu/emulator"
)

// journalLimit is how much of a written blob the invocation record keeps.
const journalLimit = 1 << 20

// Write applies an invocation's queue and blob output values and returns
// what it wrote; under emulator.WithDryRun it returns what it would have
// written and writes nothing. Messages and blobs remember inv as their parent, so the
// invocations they trigger can name it. Queues and containers are created
// on demand. Other binding kinds are left to the host.
func (b *Bindings) Write(ctx context.Context, fn *emulator.Function, inv *emulator.Invocation, outputs map[string]*emulator.OutputValue) ([]emulator.Output, error) {
	var data map[string]any
	var written []emulator.Output
	for _, bd := range fn.Outputs() {
		v, ok := outputs[bd.Name]
		if !ok || v == nil {
			continue
		}
		kind := bd.Kind()
		if kind != emulator.BindingQueue && kind != emulator.BindingBlob && kind != bindingEventGrid &&
			(kind != emulator.BindingTable || bd.Table == nil) {
			continue
		}
		if data == nil {
			data = b.dataOf(fn, inv.Input)
		}
		var out []emulator.Output
		var err error
		switch kind {
		case emulator.BindingTable:
			out, err = b.writeTable(ctx, fn, bd, inv, v, data)
		case emulator.BindingQueue:
			out, err = b.writeQueue(ctx, fn, bd, inv, v, data)
		case emulator.BindingBlob:
			out, err = b.writeBlob(ctx, fn, bd, inv, v, data)
		default:
			out, err = b.writeEventGrid(ctx, fn, bd, inv, v)
		}
		written = append(written, out...)
		if err != nil {
			return written, err
		}
	}
	return written, nil
}

func (b *Bindings) writeQueue(ctx context.Context, fn *emulator.Function, bd *emulator.Binding, inv *emulator.Invocation, v *emulator.OutputValue, data map[string]any) ([]emulator.Output, error) {
	msgs, err := queueMessages(v.Value, v.Binary)
	if err != nil {
		return nil, fmt.Errorf("function %s: output %q: %w", fn.Name, bd.Name, err)
	}
	if len(msgs) == 0 {
		return nil, nil
	}
	name, err := b.resolve(fn, bd, "queueName", bd.QueueName, data)
	if err != nil {
		return nil, err
	}
	name = strings.ToLower(name)
	store, err := b.queues(fn, bd)
	if err != nil {
		return nil, err
	}
	dry := emulator.IsDryRun(ctx)
	if !dry {
		if err := store.CreateQueue(ctx, name); err != nil {
			return nil, fmt.Errorf("function %s: output %q: create queue %q: %w", fn.Name, bd.Name, name, err)
		}
	}
	base64Encoding := !strings.EqualFold(b.app.Load().Host.Queues.MessageEncoding, "none")
	var written []emulator.Output
	for _, m := range msgs {
		text := string(m)
		if base64Encoding {
			text = base64.StdEncoding.EncodeToString(m)
		}
		if !dry {
			if _, err := store.Put(ctx, name, emulator.PutMessage{Text: text, ParentID: inv.ID}); err != nil {
				return written, fmt.Errorf("function %s: output %q: add message to queue %q: %w", fn.Name, bd.Name, name, err)
			}
		}
		written = append(written, emulator.Output{Binding: bd.Name, Queue: &emulator.QueueOutput{Queue: name, Message: string(m)}})
	}
	return written, nil
}

func (b *Bindings) writeBlob(ctx context.Context, fn *emulator.Function, bd *emulator.Binding, inv *emulator.Invocation, v *emulator.OutputValue, data map[string]any) ([]emulator.Output, error) {
	content, err := blobContent(v.Value, v.Binary)
	if err != nil {
		return nil, fmt.Errorf("function %s: output %q: %w", fn.Name, bd.Name, err)
	}
	if content == nil {
		return nil, nil
	}
	container, name, err := b.blobPath(fn, bd, data)
	if err != nil {
		return nil, err
	}
	store, err := b.blobs(fn, bd)
	if err != nil {
		return nil, err
	}
	if !emulator.IsDryRun(ctx) {
		if err := store.CreateContainer(ctx, container); err != nil {
			return nil, fmt.Errorf("function %s: output %q: create container %q: %w", fn.Name, bd.Name, container, err)
		}
		if _, err := store.WriteBlob(ctx, container, name, bytes.NewReader(content), emulator.WriteBlob{ParentID: inv.ID}); err != nil {
			return nil, fmt.Errorf("function %s: output %q: write blob %s/%s: %w", fn.Name, bd.Name, container, name, err)
		}
	}
	kept := content
	if len(kept) > journalLimit {
		kept = kept[:journalLimit]
	}
	return []emulator.Output{{Binding: bd.Name, Blob: &emulator.BlobOutput{Container: container, Name: name, Content: kept}}}, nil
}

// blobPath resolves a blob binding's path to its container and blob name.
func (b *Bindings) blobPath(fn *emulator.Function, bd *emulator.Binding, data map[string]any) (string, string, error) {
	path, err := b.resolve(fn, bd, "path", bd.Path, data)
	if err != nil {
		return "", "", err
	}
	container, name, _ := strings.Cut(path, "/")
	if container == "" || name == "" {
		return "", "", fmt.Errorf("function %s: binding %q: path %q resolved to %q, which is not container/blob", fn.Name, bd.Name, bd.Path, path)
	}
	return container, name, nil
}
