package rest

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator/storage"
)

// hungUp is a body that stops after the given bytes, as the body of a
// client that closed its connection reads on the server.
type hungUp struct {
	r   io.Reader
	err error
}

func (h *hungUp) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	if err == io.EOF {
		return n, h.err
	}
	return n, err
}

func TestShortBodyAnswers400AndCommitsNothing(t *testing.T) {
	t.Parallel()
	store := openTestStore(t, "memory", newFakeClock())
	if _, err := store.CreateContainer(context.Background(), DevAccountName, "frames", storage.ContainerOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.CreateQueue(context.Background(), DevAccountName, "frames", nil); err != nil {
		t.Fatal(err)
	}
	blobs := NewServer(NewBlobService(store), nil, newFakeClock(), nil)
	queues := NewServer(NewQueueService(store), nil, newFakeClock(), nil)
	for _, c := range []struct {
		name    string
		srv     http.Handler
		path    string
		method  string
		headers map[string]string
		body    string
	}{
		{"put blob", blobs, "/frames/b", http.MethodPut, map[string]string{"x-ms-blob-type": "BlockBlob"}, "partial"},
		{"put block", blobs, "/frames/b?comp=block&blockid=YmxvY2s%3D", http.MethodPut, nil, "partial"},
		{"put message", queues, "/frames/messages", http.MethodPost, nil, "<QueueMessage><MessageText>x</MessageText></QueueMessage>"},
	} {
		for _, eof := range []error{io.EOF, io.ErrUnexpectedEOF} {
			req := httptest.NewRequest(c.method, "/"+DevAccountName+c.path, nil)
			req.Body = io.NopCloser(&hungUp{r: strings.NewReader(c.body), err: eof})
			req.ContentLength = int64(len(c.body) + 100)
			for k, v := range c.headers {
				req.Header.Set(k, v)
			}
			req.Header.Set("x-ms-version", "2026-12-06")
			req.Header.Set("x-ms-date", time.Now().UTC().Format(http.TimeFormat))
			signForTest(t, req, DevAccountName, DevAccountKey)
			rec := httptest.NewRecorder()
			c.srv.ServeHTTP(rec, req)
			if rec.Code != 400 || rec.Header().Get("x-ms-error-code") != "InvalidInput" || !bytes.Contains(rec.Body.Bytes(), []byte("<Code>InvalidInput</Code>")) {
				t.Fatalf("%s (%v): got %d %s: %s", c.name, eof, rec.Code, rec.Header().Get("x-ms-error-code"), rec.Body)
			}
		}
	}
	if _, _, err := store.ReadBlob(context.Background(), DevAccountName, "frames", "b"); err == nil {
		t.Fatal("a short Put Blob created the blob")
	}
	if bl, err := store.GetBlockList(context.Background(), DevAccountName, "frames", "b", "", "all", ""); err == nil && len(bl.Uncommitted) > 0 {
		t.Fatal("a short Put Block staged a block")
	}
	if q, err := store.GetQueue(context.Background(), DevAccountName, "frames"); err != nil || q.ApproximateMessageCount != 0 {
		t.Fatalf("a short Put Message was queued: %+v %v", q, err)
	}
}
