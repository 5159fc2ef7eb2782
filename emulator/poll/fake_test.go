package poll

import (
	"bytes"
	"context"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// memBlobs is a BlobStore in a map whose writes take their LastModified
// from now, which tests set.
type memBlobs struct {
	mu         sync.Mutex
	now        time.Time
	containers map[string]map[string]*memBlob
	writes     int
	failList   error
}

type memBlob struct {
	info emulator.BlobInfo
	body []byte
}

func newMemBlobs(containers ...string) *memBlobs {
	m := &memBlobs{containers: map[string]map[string]*memBlob{}}
	for _, c := range containers {
		m.containers[c] = map[string]*memBlob{}
	}
	return m
}

func (m *memBlobs) CreateContainer(_ context.Context, c string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.containers[c] == nil {
		m.containers[c] = map[string]*memBlob{}
	}
	return nil
}

func (m *memBlobs) ListBlobs(_ context.Context, c, prefix string) ([]*emulator.BlobInfo, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failList != nil {
		return nil, m.failList
	}
	blobs, ok := m.containers[c]
	if !ok {
		return nil, emulator.Errorf(emulator.ENOTFOUND, "container %s not found", c)
	}
	var out []*emulator.BlobInfo
	for name, b := range blobs {
		if strings.HasPrefix(name, prefix) {
			info := b.info
			out = append(out, &info)
		}
	}
	slices.SortFunc(out, func(a, b *emulator.BlobInfo) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

func (m *memBlobs) ReadBlob(_ context.Context, c, name string) (io.ReadCloser, *emulator.BlobInfo, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.containers[c][name]
	if !ok {
		return nil, nil, emulator.Errorf(emulator.ENOTFOUND, "blob %s/%s not found", c, name)
	}
	info := b.info
	return io.NopCloser(bytes.NewReader(b.body)), &info, nil
}

func (m *memBlobs) WriteBlob(_ context.Context, c, name string, r io.Reader, o emulator.WriteBlob) (*emulator.BlobInfo, error) {
	body, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	blobs, ok := m.containers[c]
	if !ok {
		return nil, emulator.Errorf(emulator.ENOTFOUND, "container %s not found", c)
	}
	m.writes++
	b := &memBlob{body: body, info: emulator.BlobInfo{Container: c, Name: name, Size: int64(len(body)), LastModified: m.now, ETag: `"` + name + m.now.String() + `"`}}
	blobs[name] = b
	info := b.info
	return &info, nil
}

func (m *memBlobs) Watch(string) (<-chan emulator.BlobChange, func()) { return nil, func() {} }

// writeAt writes a blob as if at t.
func (m *memBlobs) writeAt(t time.Time, c, name, body string) {
	m.mu.Lock()
	m.now = t
	m.mu.Unlock()
	if _, err := m.WriteBlob(context.Background(), c, name, strings.NewReader(body), emulator.WriteBlob{}); err != nil {
		panic(err)
	}
}
