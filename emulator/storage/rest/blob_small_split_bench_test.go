package rest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"

	"github.com/funcemu/funcemu/internal/cputime"
)

// The benchmarks below split the storage benchmark's two slowest small
// operations, a 4 KiB download and a one-page listing of 500 blobs, into
// where their time goes:
//
//   - server: the request handler alone (request parsed → last byte
//     written into a buffer), the same signed request replayed;
//   - server+wire: that request sent by a plain net/http client over a
//     loopback connection, with no SDK;
//   - client: the SDK's pipeline and decoding of the recorded answer,
//     served from memory by a transport that never touches the network;
//   - sdk: the SDK against the server over loopback, as the driver runs.
//
// The client figure is the same whatever server answers, so it bounds the
// ratio any server can reach against another in the storage benchmark.

const splitBlobs = 500

// splitEnv is a store holding splitBlobs 4 KiB blobs, its handler, and one
// recorded signed request and answer for each operation.
type splitEnv struct {
	handler  http.Handler
	server   *httptest.Server
	client   *azblob.Client
	recorded map[string]*recordedExchange
}

type recordedExchange struct {
	req  *http.Request
	resp []byte // the answer as it went on the wire
}

// recorder is an SDK transport that sends requests to the handler in
// process, keeping the last request and the answer of each operation.
type recorder struct {
	handler http.Handler
	last    *recordedExchange
}

func (t *recorder) Do(req *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
	}
	in := req.Clone(context.Background())
	in.RequestURI = req.URL.RequestURI()
	in.Body = io.NopCloser(bytes.NewReader(body))
	t.handler.ServeHTTP(rec, in)
	resp := rec.Result()
	var wire bytes.Buffer
	resp.ContentLength = int64(rec.Body.Len())
	_ = resp.Write(&wire)
	t.last = &recordedExchange{req: in, resp: wire.Bytes()}
	return http.ReadResponse(bufio.NewReader(bytes.NewReader(wire.Bytes())), req)
}

// canned is an SDK transport answering every request with one recorded
// answer, parsed anew each time as a real transport would.
type canned struct{ resp []byte }

func (c canned) Do(req *http.Request) (*http.Response, error) {
	return http.ReadResponse(bufio.NewReader(bytes.NewReader(c.resp)), req)
}

func newSplitEnv(b *testing.B) *splitEnv {
	e := newBlobEnv(b, "file")
	ctx := context.Background()
	if _, err := e.client.CreateContainer(ctx, "bench", nil); err != nil {
		b.Fatal(err)
	}
	data := bytes.Repeat([]byte("0123456789abcdef"), 256)
	for i := 0; i < splitBlobs; i++ {
		if _, err := e.client.UploadBuffer(ctx, "bench", fmt.Sprintf("small/%05d", i), data, nil); err != nil {
			b.Fatal(err)
		}
	}
	h := NewServer(NewBlobService(e.store), nil, e.clock, nil)
	rec := &recorder{handler: h}
	rc, err := azblob.NewClientWithSharedKeyCredential(e.url+"/", e.cred,
		&azblob.ClientOptions{ClientOptions: policy.ClientOptions{Transport: rec, Retry: noRetry.Retry}})
	if err != nil {
		b.Fatal(err)
	}
	s := &splitEnv{handler: h, client: e.client, recorded: map[string]*recordedExchange{}}
	s.server = httptest.NewServer(h)
	b.Cleanup(s.server.Close)
	dl, err := rc.DownloadStream(ctx, "bench", "small/00007", nil)
	if err != nil {
		b.Fatal(err)
	}
	dl.Body.Close()
	s.recorded["download"] = rec.last
	page, err := rc.NewListBlobsFlatPager("bench", &azblob.ListBlobsFlatOptions{Prefix: ptr("small/")}).NextPage(ctx)
	if err != nil || len(page.Segment.BlobItems) != splitBlobs {
		b.Fatalf("list: %v", err)
	}
	s.recorded["list"] = rec.last
	return s
}

func ptr[T any](v T) *T { return &v }

// discardWriter is the least a handler can write into.
type discardWriter struct {
	h      http.Header
	n      int
	status int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) WriteHeader(code int)        { w.status = code }
func (w *discardWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }

func (s *splitEnv) serverOnly(b *testing.B, op string) {
	x := s.recorded[op]
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		clear(w.h)
		w.n, w.status = 0, 0
		req := *x.req
		s.handler.ServeHTTP(w, &req)
		if w.status != http.StatusOK {
			b.Fatalf("status %d", w.status)
		}
	}
}

func (s *splitEnv) serverWire(b *testing.B, op string) {
	x := s.recorded[op]
	c := s.server.Client()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		req := x.req.Clone(context.Background())
		req.RequestURI = ""
		req.Body, req.ContentLength = nil, 0 // as the SDK sends a GET
		req.URL.Scheme, req.URL.Host = "http", s.server.Listener.Addr().String()
		req.Host = req.URL.Host
		resp, err := c.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
}

func (s *splitEnv) clientOnly(b *testing.B, op string) {
	c, err := azblob.NewClientWithNoCredential(s.server.URL+"/"+DevAccountName+"/",
		&azblob.ClientOptions{ClientOptions: policy.ClientOptions{Transport: canned{s.recorded[op].resp}, Retry: noRetry.Retry}})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		sdkOp(b, c, op)
	}
}

func (s *splitEnv) sdk(b *testing.B, op string) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		sdkOp(b, s.client, op)
	}
}

func sdkOp(b *testing.B, c *azblob.Client, op string) {
	ctx := context.Background()
	switch op {
	case "download":
		dl, err := c.DownloadStream(ctx, "bench", "small/00007", nil)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, dl.Body)
		dl.Body.Close()
		if n != 4096 {
			b.Fatalf("downloaded %d bytes", n)
		}
	case "list":
		page, err := c.NewListBlobsFlatPager("bench", &azblob.ListBlobsFlatOptions{Prefix: ptr("small/")}).NextPage(ctx)
		if err != nil || len(page.Segment.BlobItems) != splitBlobs {
			b.Fatalf("list: %v", err)
		}
	}
}

func BenchmarkSmallOpSplit(b *testing.B) {
	s := newSplitEnv(b)
	for _, op := range []string{"download", "list"} {
		b.Run(op+"/server", withCPUTime(func(b *testing.B) { s.serverOnly(b, op) }))
		b.Run(op+"/server+wire", withCPUTime(func(b *testing.B) { s.serverWire(b, op) }))
		b.Run(op+"/client", withCPUTime(func(b *testing.B) { s.clientOnly(b, op) }))
		b.Run(op+"/sdk", withCPUTime(func(b *testing.B) { s.sdk(b, op) }))
	}
}

// withCPUTime adds the process's CPU time per operation (user + system,
// all threads) to a benchmark's figures: on a shared machine it moves far
// less than the wall time does when other processes take the cores.
func withCPUTime(f func(b *testing.B)) func(b *testing.B) {
	return func(b *testing.B) {
		before := cputime.Process()
		f(b)
		b.ReportMetric(float64(cputime.Process()-before)/float64(b.N), "cpu-ns/op")
	}
}
