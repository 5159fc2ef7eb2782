package cmd

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator"
)

func TestWithStorageEnvExpandsDevelopmentStorage(t *testing.T) {
	t.Parallel()
	r := &runner{endpoints: emulator.Endpoints{Blob: "http://127.0.0.1:1234/devstoreaccount1", Queue: "http://127.0.0.1:5678/devstoreaccount1"}}
	env := r.withStorageEnv([]string{
		"AzureWebJobsStorage=UseDevelopmentStorage=true",
		"Other= usedevelopmentstorage = TRUE ;",
		"Real=DefaultEndpointsProtocol=https;AccountName=x",
		"PATH=/bin",
	})
	for _, kv := range env[:2] {
		if !strings.Contains(kv, "BlobEndpoint=http://127.0.0.1:1234/devstoreaccount1;") ||
			!strings.Contains(kv, "QueueEndpoint=http://127.0.0.1:5678/devstoreaccount1;") ||
			!strings.Contains(kv, "AccountKey=Eby8") {
			t.Fatalf("not expanded: %s", kv)
		}
	}
	if env[2] != "Real=DefaultEndpointsProtocol=https;AccountName=x" || env[3] != "PATH=/bin" {
		t.Fatalf("other settings changed: %v", env[2:])
	}
	none := (&runner{}).withStorageEnv([]string{"AzureWebJobsStorage=UseDevelopmentStorage=true"})
	if none[0] != "AzureWebJobsStorage=UseDevelopmentStorage=true" {
		t.Fatalf("expanded without storage running: %s", none[0])
	}
}

func TestStoragePortInUseNamesTheFlag(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	root := newRootCmd(testFactory(t))
	root.SetArgs([]string{"storage", "--in-memory", "--blob-port", "0", "--queue-port", strconv.Itoa(port)})
	err = root.Execute()
	if err == nil || !strings.Contains(err.Error(), "--queue-port") {
		t.Fatalf("err = %v, want it to name --queue-port", err)
	}
}

// TestStartServesStorageBesideTheApp runs funcemu start on the hello
// fixture with storage on free ports and talks to both services through
// the SDKs at the URLs of the ready file.
func TestStartServesStorageBesideTheApp(t *testing.T) {
	t.Parallel()
	appDir := fixtureCopy(t, "hello")
	r := launch(t, []string{"start", appDir, "--port", "0", "--no-build", "--no-tui"})
	ends := emulator.Endpoints{HTTP: r.url, Blob: r.blob, Queue: r.queue}
	if ends.HTTP == "" || !strings.HasSuffix(ends.Blob, "/devstoreaccount1") || !strings.HasSuffix(ends.Queue, "/devstoreaccount1") {
		t.Fatalf("ready file = %+v, want http, blob and queue URLs", ends)
	}
	ctx := context.Background()
	q := queueClient(t, ends, "beside")
	if _, err := q.Create(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := q.EnqueueMessage(ctx, "hi", nil); err != nil {
		t.Fatal(err)
	}
	peek, err := q.PeekMessage(ctx, nil)
	if err != nil || len(peek.Messages) != 1 || *peek.Messages[0].MessageText != "hi" {
		t.Fatalf("peek = %+v, %v", peek, err)
	}
	b := blobClient(t, ends)
	if _, err := b.CreateContainer(ctx, "beside", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := b.UploadBuffer(ctx, "beside", "a.txt", []byte("blob"), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(appDir, ".funcemu", "storage.db")); err != nil {
		t.Fatalf("storage not in the app's .funcemu folder: %v", err)
	}
	if err := r.interrupt(); err != nil {
		t.Fatalf("funcemu start after Ctrl-C: %v", err)
	}
}
