package cmd

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/bloberror"
)

// stalledBody is an upload body that sends its first half and then
// waits, like a client cut off mid-upload; it reports its full length.
type stalledBody struct {
	data  []byte
	half  int
	pos   int
	stall chan struct{}
}

func (b *stalledBody) Read(p []byte) (int, error) {
	if b.pos >= b.half {
		<-b.stall
		return 0, io.ErrUnexpectedEOF
	}
	n := copy(p, b.data[b.pos:b.half])
	b.pos += n
	return n, nil
}

func (b *stalledBody) Seek(off int64, whence int) (int64, error) {
	switch whence {
	case io.SeekEnd:
		return int64(len(b.data)) + off, nil
	case io.SeekStart:
		b.pos = int(off)
		return off, nil
	}
	return int64(b.pos) + off, nil
}

func (b *stalledBody) Close() error { return nil }

// TestStorageChunkFilesSurviveKill9: a large blob acknowledged before
// kill -9 reads back whole after the restart, and the chunk file of an
// upload killed half-way (written, never committed) is removed by the
// next run, leaving no blob behind.
func TestStorageChunkFilesSurviveKill9(t *testing.T) {
	t.Parallel()
	bin := buildFuncemu(t)
	dataDir := t.TempDir()
	chunks := filepath.Join(dataDir, storageFileName+"-chunks")
	ctx := context.Background()

	first, ends := startStorage(t, bin, dataDir)
	blobs := blobClient(t, ends)
	if _, err := blobs.CreateContainer(ctx, "large", nil); err != nil {
		t.Fatal(err)
	}
	kept := bytes.Repeat([]byte("acknowledged "), 3<<20/13)
	if _, err := blobs.UploadBuffer(ctx, "large", "kept", kept, nil); err != nil {
		t.Fatal(err)
	}
	files, err := os.ReadDir(chunks)
	if err != nil || len(files) != 1 {
		t.Fatalf("chunk files after one large upload: %v, %v", files, err)
	}
	keptFile := files[0].Name()

	stalled := &stalledBody{data: bytes.Repeat([]byte("x"), 8<<20), half: 4 << 20, stall: make(chan struct{})}
	defer close(stalled.stall)
	go func() {
		_, _ = blobs.ServiceClient().NewContainerClient("large").NewBlockBlobClient("cut").Upload(ctx, stalled, nil)
	}()
	// Wait until the half-sent body is on disk in its own chunk file.
	deadline := time.Now().Add(30 * time.Second)
	for {
		files, _ := os.ReadDir(chunks)
		if len(files) == 2 {
			name := files[0].Name()
			if name == keptFile {
				name = files[1].Name()
			}
			if st, err := os.Stat(filepath.Join(chunks, name)); err == nil && st.Size() >= 2<<20 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no chunk file of the half-sent upload: %v", files)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()

	_, ends = startStorage(t, bin, dataDir)
	blobs = blobClient(t, ends)
	dl, err := blobs.DownloadStream(ctx, "large", "kept", nil)
	if err != nil {
		t.Fatalf("large blob after kill -9: %v", err)
	}
	got, err := io.ReadAll(dl.Body)
	dl.Body.Close()
	if err != nil || !bytes.Equal(got, kept) {
		t.Fatalf("large blob after kill -9: %d bytes, %v; want the %d acknowledged", len(got), err, len(kept))
	}
	if _, err := blobs.ServiceClient().NewContainerClient("large").NewBlobClient("cut").GetProperties(ctx, nil); !bloberror.HasCode(err, bloberror.BlobNotFound) {
		t.Fatalf("blob of the killed upload: %v, want BlobNotFound", err)
	}
	// The first write of the new run sweeps what no row names.
	if _, err := blobs.UploadBuffer(ctx, "large", "small", []byte("after the restart"), nil); err != nil {
		t.Fatal(err)
	}
	files, err = os.ReadDir(chunks)
	if err != nil || len(files) != 1 || files[0].Name() != keptFile {
		t.Fatalf("chunk files after the restart's first write: %v, %v; want only %s", files, err, keptFile)
	}
}
