package storage

import (
	"io"
	"sync"
)

// smallBodySize is how much of a request body is read before a whole
// chunk buffer is taken: most bodies (messages, small blobs, blocks of
// chatty clients) end within it, and a chunk-sized buffer per concurrent
// small upload is what made the process's peak memory grow with load.
const smallBodySize = 64 << 10

var smallBodyBuffers = sync.Pool{New: func() any {
	b := make([]byte, smallBodySize)
	return &b
}}

// readHead reads the start of body into a pooled buffer of smallBodySize.
// ended is true when the body ended within it (head is then all of it);
// otherwise head is full and more may follow. release returns the buffer
// to the pool; head must not be used after it.
func readHead(body io.Reader) (head []byte, ended bool, release func(), err error) {
	p := smallBodyBuffers.Get().(*[]byte)
	release = func() { smallBodyBuffers.Put(p) }
	n, err := readChunk(body, *p)
	if err == io.EOF {
		return (*p)[:n], true, release, nil
	}
	return (*p)[:n], false, release, err
}
