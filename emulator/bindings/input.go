package bindings

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/funcemu/funcemu/emulator"
)

// Read adds the function's blob input bindings to req.Data, resolving
// their paths with the trigger's binding data (req.Metadata). A missing
// blob is left out, so the handler sees no value, as with the host's null.
// For a storage trigger fired by hand it first binds the input string as
// the host does (see manualTrigger).
func (b *Bindings) Read(ctx context.Context, fn *emulator.Function, req *emulator.InvokeRequest) error {
	if req.Trigger == emulator.TriggerManual {
		if req.Data == nil {
			req.Data = map[string]any{}
		}
		if err := b.manualTrigger(ctx, fn, req); err != nil {
			return err
		}
	}
	var data map[string]any
	for _, bd := range fn.Bindings {
		if bd.Kind() == emulator.BindingTable && bd.Table != nil && strings.EqualFold(bd.Direction, emulator.DirectionIn) {
			if data == nil {
				data = withSys(fn, req.Metadata)
			}
			v, err := b.readTable(ctx, fn, bd, data)
			if err != nil {
				return err
			}
			if req.Data == nil {
				req.Data = map[string]any{}
			}
			req.Data[bd.Name] = v
			continue
		}
		if bd.Kind() != emulator.BindingBlob || !strings.EqualFold(bd.Direction, emulator.DirectionIn) {
			continue
		}
		if data == nil {
			data = withSys(fn, req.Metadata)
		}
		container, name, err := b.blobPath(fn, bd, data)
		if err != nil {
			return err
		}
		store, err := b.blobs(fn, bd)
		if err != nil {
			return err
		}
		content, err := readBlob(ctx, store, container, name)
		if err != nil {
			return fmt.Errorf("function %s: input %q: read blob %s/%s: %w", fn.Name, bd.Name, container, name, err)
		}
		if content == nil {
			continue
		}
		if req.Data == nil {
			req.Data = map[string]any{}
		}
		if strings.EqualFold(bd.DataType, "binary") {
			req.Data[bd.Name] = content
		} else {
			req.Data[bd.Name] = string(content)
		}
	}
	return nil
}

// readBlob returns a blob's content, or nil when it does not exist.
func readBlob(ctx context.Context, store emulator.BlobStore, container, name string) ([]byte, error) {
	r, _, err := store.ReadBlob(ctx, container, name)
	if emulator.ErrorCode(err) == emulator.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer r.Close()
	content, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	if content == nil {
		content = []byte{}
	}
	return content, nil
}
