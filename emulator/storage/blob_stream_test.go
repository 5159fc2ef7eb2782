package storage

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/funcemu/funcemu/emulator/clock"
)

// patternReader yields n deterministic bytes and samples the heap as it
// goes, recording the peak.
type patternReader struct {
	left, done int64
	peak       *uint64
}

func (r *patternReader) Read(p []byte) (int, error) {
	if r.left == 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.left {
		p = p[:r.left]
	}
	for i := range p {
		p[i] = byte((r.done + int64(i)) * 31 >> 3)
	}
	r.left -= int64(len(p))
	r.done += int64(len(p))
	if r.peak != nil {
		samplePeak(r.peak)
	}
	return len(p), nil
}

func samplePeak(peak *uint64) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if ms.HeapAlloc > *peak {
		*peak = ms.HeapAlloc
	}
}

// TestLargeBlobStreamsInBoundedMemory uploads and downloads a blob many
// times the chunk size and checks the heap never holds more than a few
// chunks: content is streamed, never buffered whole. Not parallel: it
// measures the process's heap, which other tests would grow.
func TestLargeBlobStreamsInBoundedMemory(t *testing.T) {
	const size = 48 << 20
	const budget = 16 << 20
	s, err := Open(Options{Path: filepath.Join(t.TempDir(), "big.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	mustContainer(t, s, "big")

	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	var peak uint64
	src := &patternReader{left: size, peak: &peak}
	want := sha256.New()
	b, err := s.PutBlob(ctx, acct, "big", "blob.bin", io.TeeReader(src, want), PutBlobOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("upload: heap peak %d MiB over a %d MiB base", (peak-min(peak, base.HeapAlloc))>>20, base.HeapAlloc>>20)
	if b.Size != size {
		t.Fatalf("size = %d", b.Size)
	}
	if grew := peak - base.HeapAlloc; peak > base.HeapAlloc && grew > budget {
		t.Fatalf("upload heap grew by %d MiB, budget %d MiB", grew>>20, budget>>20)
	}

	runtime.GC()
	runtime.ReadMemStats(&base)
	peak = 0
	r, err := s.OpenBlob(ctx, acct, "big", "blob.bin", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := sha256.New()
	buf := make([]byte, 256<<10)
	for {
		n, err := r.Read(buf)
		got.Write(buf[:n])
		samplePeak(&peak)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if string(got.Sum(nil)) != string(want.Sum(nil)) {
		t.Fatal("downloaded content differs from uploaded")
	}
	if grew := peak - base.HeapAlloc; peak > base.HeapAlloc && grew > budget {
		t.Fatalf("download heap grew by %d MiB, budget %d MiB", grew>>20, budget>>20)
	}
}

// TestRangeReadTouchesOnlyNeededChunks plans a read in the middle of a
// multi-chunk blob and checks only the overlapping chunks are visited.
func TestRangeReadTouchesOnlyNeededChunks(t *testing.T) {
	t.Parallel()
	eachBlobStoreWith(t, Options{ChunkSize: 1024}, func(t *testing.T, s *Store, _ *clock.Virtual) {
		mustContainer(t, s, "rng")
		var peak uint64
		if _, err := s.PutBlob(context.Background(), acct, "rng", "b", &patternReader{left: 10 * 1024, peak: &peak}, PutBlobOptions{}); err != nil {
			t.Fatal(err)
		}
		r, err := s.OpenBlob(context.Background(), acct, "rng", "b", ReadOptions{Range: &ByteRange{Start: 3000, End: 5000}})
		if err != nil {
			t.Fatal(err)
		}
		if s.files.enabled() {
			// A body larger than a chunk is one chunk file.
			if len(r.parts) != 1 || r.parts[0].file == 0 || r.parts[0].from != 3000 || r.parts[0].to != 5001 {
				t.Fatalf("planned parts = %+v, want bytes 3000..5000 of one chunk file", r.parts)
			}
		} else if len(r.parts) != 3 || r.parts[0].from != 3000-2048 || r.parts[2].to != 5001-4096 {
			t.Fatalf("planned parts = %+v, want chunks 2..4", r.parts)
		}
		data, err := io.ReadAll(r)
		if err != nil || len(data) != 2001 {
			t.Fatalf("read %d bytes, %v", len(data), err)
		}
		for i, c := range data {
			if want := byte((int64(3000+i) * 31) >> 3); c != want {
				t.Fatalf("byte %d = %d, want %d", 3000+i, c, want)
			}
		}
	})
}

// BenchmarkBlobUpload64MiB measures streamed upload throughput to a file
// store.
func BenchmarkBlobUpload64MiB(b *testing.B) {
	s, err := Open(Options{Path: filepath.Join(b.TempDir(), "bench.db")})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if _, err := s.CreateContainer(ctx, acct, "bench", ContainerOptions{}); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(64 << 20)
	for i := 0; i < b.N; i++ {
		if _, err := s.PutBlob(ctx, acct, "bench", "b", &patternReader{left: 64 << 20}, PutBlobOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBlobDownload64MiB measures streamed download throughput from a
// file store.
func BenchmarkBlobDownload64MiB(b *testing.B) {
	s, err := Open(Options{Path: filepath.Join(b.TempDir(), "bench.db")})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if _, err := s.CreateContainer(ctx, acct, "bench", ContainerOptions{}); err != nil {
		b.Fatal(err)
	}
	if _, err := s.PutBlob(ctx, acct, "bench", "b", &patternReader{left: 64 << 20}, PutBlobOptions{}); err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 32<<10)
	b.SetBytes(64 << 20)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := s.OpenBlob(ctx, acct, "bench", "b", ReadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{r}, buf); err != nil {
			b.Fatal(err)
		}
		r.Close()
	}
}

// errWriter accepts limit bytes, then fails.
type errWriter struct{ limit int }

var errWriterFull = errors.New("writer full")

func (w *errWriter) Write(p []byte) (int, error) {
	if len(p) > w.limit {
		n := w.limit
		w.limit = 0
		return n, errWriterFull
	}
	w.limit -= len(p)
	return len(p), nil
}

// TestWriteToStreamsChunksAndGaps streams a page blob whose written pages
// sit between unwritten gaps larger than the zero buffer, through WriteTo
// (read ahead) and Read, and stops cleanly on a failing writer.
func TestWriteToStreamsChunksAndGaps(t *testing.T) {
	t.Parallel()
	s, err := Open(Options{Path: filepath.Join(t.TempDir(), "s.db"), ChunkSize: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	mustContainer(t, s, "pages")
	const size = 6 << 20
	if _, err := s.PutBlob(ctx, acct, "pages", "p", nil, PutBlobOptions{Type: PageBlob, PageBlobSize: size}); err != nil {
		t.Fatal(err)
	}
	want := make([]byte, size)
	written := bytes.Repeat([]byte("0123456789abcdef"), (512<<10)/16)
	copy(want[5<<19:], written) // 2.5 MiB in: gaps of 2.5 and 3 MiB around it
	if _, err := s.PutPages(ctx, acct, "pages", "p", 5<<19, 5<<19+int64(len(written))-1, bytes.NewReader(written), PageOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, how := range []string{"WriteTo", "Read"} {
		r, err := s.OpenBlob(ctx, acct, "pages", "p", ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if how == "WriteTo" {
			_, err = r.WriteTo(&got)
		} else {
			_, err = io.Copy(&got, struct{ io.Reader }{r})
		}
		r.Close()
		if err != nil || !bytes.Equal(got.Bytes(), want) {
			t.Fatalf("%s: %d bytes, equal %v, %v", how, got.Len(), bytes.Equal(got.Bytes(), want), err)
		}
	}
	r, err := s.OpenBlob(ctx, acct, "pages", "p", ReadOptions{Range: &ByteRange{Start: 5 << 19, End: -1}})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	n, err := r.WriteTo(&errWriter{limit: 100 << 10})
	if !errors.Is(err, errWriterFull) || n != 100<<10 {
		t.Fatalf("WriteTo to a failing writer: %d bytes, %v", n, err)
	}
}
