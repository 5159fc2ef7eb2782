package azstore

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/bloberror"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/container"
	"github.com/funcemu/funcemu/emulator"
)

// ParentMetadata is the blob metadata key that keeps the invocation that
// wrote a blob: an account has no hidden column, so the parent travels as
// ordinary metadata (x-ms-meta-funcemuparent), visible to other clients.
// BlobInfo.ParentID is read back from it and it is left out of
// BlobInfo.Metadata.
const ParentMetadata = "funcemuparent"

// BlobStore is emulator.BlobStore over an account's blob service. Watch
// returns a nil channel: the trigger scans (see poll.Scan).
type BlobStore struct {
	svc     *azblob.Client
	account *Account
}

var _ emulator.BlobStore = (*BlobStore)(nil)

// NewBlobStore returns the blob store of the account.
func NewBlobStore(a *Account, o Options) (*BlobStore, error) {
	svc, err := newBlobService(a, o)
	if err != nil {
		return nil, err
	}
	return &BlobStore{svc: svc, account: a}, nil
}

// CreateContainer creates the container unless it exists.
func (s *BlobStore) CreateContainer(ctx context.Context, name string) error {
	_, err := s.svc.CreateContainer(ctx, name, nil)
	if err != nil && !bloberror.HasCode(err, bloberror.ContainerAlreadyExists) {
		return storageError(fmt.Sprintf("create container %q", name), err)
	}
	return nil
}

// ListBlobs lists the committed blobs whose names start with prefix, in
// name order (the service's order), following continuation markers.
func (s *BlobStore) ListBlobs(ctx context.Context, cont, prefix string) ([]*emulator.BlobInfo, error) {
	opts := &container.ListBlobsFlatOptions{Include: container.ListBlobsInclude{Metadata: true}}
	if prefix != "" {
		opts.Prefix = &prefix
	}
	pager := s.svc.NewListBlobsFlatPager(cont, opts)
	var out []*emulator.BlobInfo
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, storageError(fmt.Sprintf("list blobs in container %q", cont), err)
		}
		for _, item := range page.Segment.BlobItems {
			if item.Name == nil || item.Properties == nil {
				continue
			}
			p := item.Properties
			info := &emulator.BlobInfo{
				Container:    cont,
				Name:         *item.Name,
				ETag:         quoteETag(p.ETag),
				Size:         derefInt(p.ContentLength),
				ContentType:  deref(p.ContentType),
				LastModified: derefTime(p.LastModified),
				CreatedOn:    derefTime(p.CreationTime),
			}
			info.Metadata, info.ParentID = splitMetadata(item.Metadata)
			out = append(out, info)
		}
	}
	return out, nil
}

// ReadBlob opens a blob's content; the caller closes it.
func (s *BlobStore) ReadBlob(ctx context.Context, cont, name string) (io.ReadCloser, *emulator.BlobInfo, error) {
	resp, err := s.svc.DownloadStream(ctx, cont, name, nil)
	if err != nil {
		return nil, nil, storageError(fmt.Sprintf("read blob %s/%s", cont, name), err)
	}
	info := &emulator.BlobInfo{
		Container:    cont,
		Name:         name,
		ETag:         quoteETag(resp.ETag),
		Size:         derefInt(resp.ContentLength),
		ContentType:  deref(resp.ContentType),
		LastModified: derefTime(resp.LastModified),
		CreatedOn:    derefTime(resp.CreationTime),
	}
	info.Metadata, info.ParentID = splitMetadata(resp.Metadata)
	// The retry reader resumes an interrupted download from where it stopped.
	return resp.NewRetryReader(ctx, nil), info, nil
}

// WriteBlob replaces or creates a block blob with r's content: one Put Blob
// up to 1 MiB, staged blocks beyond. With IfNoneMatchAny an existing blob
// fails with ECONFLICT. The returned info has no CreatedOn (the service does
// not send it on writes).
func (s *BlobStore) WriteBlob(ctx context.Context, cont, name string, r io.Reader, o emulator.WriteBlob) (*emulator.BlobInfo, error) {
	meta := make(map[string]*string, len(o.Metadata)+1)
	for k, v := range o.Metadata {
		if strings.EqualFold(k, ParentMetadata) {
			continue
		}
		meta[k] = ptr(v)
	}
	if o.ParentID != "" {
		meta[ParentMetadata] = ptr(o.ParentID)
	}
	opts := &azblob.UploadStreamOptions{Metadata: meta}
	if o.ContentType != "" {
		opts.HTTPHeaders = &blob.HTTPHeaders{BlobContentType: &o.ContentType}
	}
	if o.IfNoneMatchAny {
		opts.AccessConditions = &blob.AccessConditions{ModifiedAccessConditions: &blob.ModifiedAccessConditions{
			IfNoneMatch: ptr(azcore.ETagAny),
		}}
	}
	counted := &countingReader{r: r}
	resp, err := s.svc.UploadStream(ctx, cont, name, counted, opts)
	if err != nil {
		return nil, storageError(fmt.Sprintf("write blob %s/%s", cont, name), err)
	}
	info := &emulator.BlobInfo{
		Container:    cont,
		Name:         name,
		ETag:         quoteETag(resp.ETag),
		Size:         counted.n,
		ContentType:  o.ContentType,
		LastModified: derefTime(resp.LastModified),
		ParentID:     o.ParentID,
	}
	info.Metadata, _ = splitMetadata(meta)
	return info, nil
}

// Watch returns a nil channel: an account cannot notify, so triggers scan.
func (s *BlobStore) Watch(string) (<-chan emulator.BlobChange, func()) { return nil, func() {} }

// splitMetadata copies the metadata without the parent key and returns the
// parent separately. Keys compare case-insensitively: HTTP headers arrive
// in canonical case.
func splitMetadata(m map[string]*string) (map[string]string, string) {
	out := make(map[string]string, len(m))
	parent := ""
	for k, v := range m {
		if strings.EqualFold(k, ParentMetadata) {
			parent = deref(v)
			continue
		}
		out[k] = deref(v)
	}
	return out, parent
}

// quoteETag renders an ETag as the ETag header does, with quotes; listings
// return it bare.
func quoteETag(e *azcore.ETag) string {
	if e == nil || *e == "" {
		return ""
	}
	s := string(*e)
	if strings.HasPrefix(s, `"`) {
		return s
	}
	return `"` + s + `"`
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
