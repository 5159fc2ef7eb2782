package storage

import (
	"context"
	"errors"
	"io"
	"sync"

	"github.com/funcemu/funcemu/emulator"
)

// BlobStore is one account's blobs as the triggers and output bindings use
// them, without HTTP. Errors unwrap to *emulator.Error (ENOTFOUND for a
// missing container or blob, ECONFLICT for a failed condition).
func (s *Store) BlobStore(account string) emulator.BlobStore {
	return &blobStore{s: s, account: account}
}

type blobStore struct {
	s       *Store
	account string
}

func (b *blobStore) CreateContainer(ctx context.Context, container string) error {
	_, err := b.s.CreateContainer(ctx, b.account, container, ContainerOptions{})
	if errors.Is(err, ErrContainerAlreadyExists) {
		return nil
	}
	return err
}

func (b *blobStore) ListBlobs(ctx context.Context, container, prefix string) ([]*emulator.BlobInfo, error) {
	var out []*emulator.BlobInfo
	opts := ListBlobsOptions{ListOptions: ListOptions{Prefix: prefix}}
	// Each listed blob becomes its BlobInfo as it is read, with no page
	// of Blobs in between: a trigger's scan lists whole containers.
	add := func(it *BlobListItem) error {
		out = append(out, blobInfo(it.Blob))
		return nil
	}
	for {
		next, err := b.s.ListBlobsFunc(ctx, b.account, container, opts, add)
		if err != nil {
			return nil, err
		}
		if next == "" {
			return out, nil
		}
		opts.Marker = next
	}
}

func (b *blobStore) ReadBlob(ctx context.Context, container, name string) (io.ReadCloser, *emulator.BlobInfo, error) {
	r, err := b.s.OpenBlob(ctx, b.account, container, name, ReadOptions{})
	if err != nil {
		return nil, nil, err
	}
	return r, blobInfo(r.Blob), nil
}

func (b *blobStore) WriteBlob(ctx context.Context, container, name string, r io.Reader, opts emulator.WriteBlob) (*emulator.BlobInfo, error) {
	put := PutBlobOptions{Headers: BlobHeaders{ContentType: opts.ContentType}, Metadata: opts.Metadata,
		ParentInvocationID: opts.ParentID}
	if opts.IfNoneMatchAny {
		put.Conditions.IfNoneMatch = "*"
	}
	blob, err := b.s.PutBlob(ctx, b.account, container, name, r, put)
	if err != nil {
		return nil, err
	}
	return blobInfo(blob), nil
}

// Watch forwards created and changed blobs of the container; deletions are
// not reported, as blob triggers fire only on writes.
func (b *blobStore) Watch(container string) (<-chan emulator.BlobChange, func()) {
	in, unsubscribe := b.s.SubscribeBlobs(b.account, container)
	out := make(chan emulator.BlobChange, blobChangeBuffer)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case c := <-in:
				if c.Kind == BlobDeleted {
					continue
				}
				select {
				case out <- emulator.BlobChange{Container: c.Container, Name: c.Name, ETag: c.ETag}:
				default: // the watcher is behind; it rescans
				}
			}
		}
	}()
	var once sync.Once
	return out, func() {
		once.Do(func() {
			unsubscribe()
			close(done)
		})
	}
}

func blobInfo(b Blob) *emulator.BlobInfo {
	return &emulator.BlobInfo{
		Container: b.Container, Name: b.Name, ETag: b.ETag, Size: b.Size, ContentType: b.Headers.ContentType,
		LastModified: b.LastModified, CreatedOn: b.Created, Metadata: b.Metadata, ParentID: b.ParentInvocationID,
	}
}
