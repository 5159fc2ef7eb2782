package triggertest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/funcemu/funcemu/emulator"
)

// Blobs is an in-memory emulator.BlobStore on a Clock, with the
// notifications of the embedded store.
type Blobs struct {
	Clock emulator.Clock

	mu         sync.Mutex
	containers map[string]map[string]*blob
	watchers   map[string][]chan emulator.BlobChange
	etag       int
	lists      int
}

type blob struct {
	info    emulator.BlobInfo
	content []byte
}

// NewBlobs returns an empty store on clock.
func NewBlobs(clock emulator.Clock) *Blobs {
	return &Blobs{Clock: clock, containers: map[string]map[string]*blob{}, watchers: map[string][]chan emulator.BlobChange{}}
}

// CreateContainer creates the container unless it exists.
func (s *Blobs) CreateContainer(_ context.Context, container string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.containers[container]; !ok {
		s.containers[container] = map[string]*blob{}
	}
	return nil
}

// ListBlobs lists blobs by prefix in name order.
func (s *Blobs) ListBlobs(_ context.Context, container, prefix string) ([]*emulator.BlobInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lists++
	c, ok := s.containers[container]
	if !ok {
		return nil, notFound("container " + container)
	}
	var out []*emulator.BlobInfo
	for name, b := range c {
		if strings.HasPrefix(name, prefix) {
			info := b.info
			out = append(out, &info)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// ReadBlob opens a blob.
func (s *Blobs) ReadBlob(_ context.Context, container, name string) (io.ReadCloser, *emulator.BlobInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.containers[container]
	if !ok {
		return nil, nil, notFound("container " + container)
	}
	b, ok := c[name]
	if !ok {
		return nil, nil, notFound("blob " + name)
	}
	info := b.info
	return io.NopCloser(bytes.NewReader(b.content)), &info, nil
}

// WriteBlob replaces or creates a blob and notifies watchers.
func (s *Blobs) WriteBlob(_ context.Context, container, name string, r io.Reader, opts emulator.WriteBlob) (*emulator.BlobInfo, error) {
	content, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.containers[container]
	if !ok {
		return nil, notFound("container " + container)
	}
	old, exists := c[name]
	if exists && opts.IfNoneMatchAny {
		return nil, emulator.Errorf(emulator.ECONFLICT, "blob %s/%s exists", container, name)
	}
	s.etag++
	now := s.Clock.Now()
	info := emulator.BlobInfo{
		Container: container, Name: name, ETag: fmt.Sprintf(`"0x8D%013X"`, s.etag), Size: int64(len(content)),
		ContentType: opts.ContentType, LastModified: now, CreatedOn: now, Metadata: opts.Metadata, ParentID: opts.ParentID,
	}
	if exists {
		info.CreatedOn = old.info.CreatedOn
	}
	c[name] = &blob{info: info, content: content}
	for _, ch := range s.watchers[container] {
		select {
		case ch <- emulator.BlobChange{Container: container, Name: name, ETag: info.ETag}:
		default:
		}
	}
	return &info, nil
}

// Watch reports blob writes in a container.
func (s *Blobs) Watch(container string) (<-chan emulator.BlobChange, func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := make(chan emulator.BlobChange, 64)
	s.watchers[container] = append(s.watchers[container], ch)
	return ch, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		ws := s.watchers[container]
		for i, w := range ws {
			if w == ch {
				s.watchers[container] = append(ws[:i], ws[i+1:]...)
				return
			}
		}
	}
}

// Put writes a blob, creating its container, for test setup.
func (s *Blobs) Put(container, name, content string, opts emulator.WriteBlob) *emulator.BlobInfo {
	ctx := context.Background()
	_ = s.CreateContainer(ctx, container)
	info, err := s.WriteBlob(ctx, container, name, strings.NewReader(content), opts)
	if err != nil {
		panic(err)
	}
	return info
}

// Content returns a blob's content and whether it exists.
func (s *Blobs) Content(container, name string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.containers[container][name]
	if !ok {
		return "", false
	}
	return string(b.content), true
}

// Info returns a blob's properties, or nil.
func (s *Blobs) Info(container, name string) *emulator.BlobInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.containers[container][name]
	if !ok {
		return nil
	}
	info := b.info
	return &info
}

// Names returns the blob names of a container in order.
func (s *Blobs) Names(container string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var names []string
	for n := range s.containers[container] {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Lists counts ListBlobs calls.
func (s *Blobs) Lists() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lists
}

// Accounts serves one Queues and one Blobs for every connection.
type Accounts struct {
	Queues *Queues
	Blobs  *Blobs
}

// Queue returns a.Queues, for bindings.Options.QueueStore.
func (a Accounts) Queue(string) (emulator.QueueStore, error) { return a.Queues, nil }

// Blob returns a.Blobs, for bindings.Options.BlobStore.
func (a Accounts) Blob(string) (emulator.BlobStore, error) { return a.Blobs, nil }
