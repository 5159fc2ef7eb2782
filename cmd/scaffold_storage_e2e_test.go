package cmd

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azqueue/v2"

	"github.com/funcemu/funcemu/emulator"
)

// devConnection is the connection string of a running funcemu's storage.
func devConnection(r *running) string {
	return devConnectionString(emulator.Endpoints{Blob: r.blob, Queue: r.queue})
}

// enqueue creates queue if needed and puts text on it, base64-encoded as
// the queue trigger expects by default.
func enqueue(t *testing.T, r *running, queue, text string) {
	t.Helper()
	svc, err := azqueue.NewServiceClientFromConnectionString(devConnection(r), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := svc.CreateQueue(ctx, queue, nil); err != nil {
		t.Fatalf("create queue %s: %v", queue, err)
	}
	if _, err := svc.NewQueueClient(queue).EnqueueMessage(ctx, base64.StdEncoding.EncodeToString([]byte(text)), nil); err != nil {
		t.Fatalf("enqueue on %s: %v", queue, err)
	}
}

// uploadBlob creates container if needed and writes content to blob in it.
func uploadBlob(t *testing.T, r *running, container, blob, content string) {
	t.Helper()
	client, err := azblob.NewClientFromConnectionString(devConnection(r), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := client.CreateContainer(ctx, container, nil); err != nil {
		t.Fatalf("create container %s: %v", container, err)
	}
	if _, err := client.UploadBuffer(ctx, container, blob, []byte(content), nil); err != nil {
		t.Fatalf("upload %s/%s: %v", container, blob, err)
	}
}

// waitOutput polls the process's stdout until it holds every line.
func waitOutput(t *testing.T, r *running, lines ...string) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for {
		out := r.stdout.String()
		missing := ""
		for _, l := range lines {
			if !strings.Contains(out, l) {
				missing = l
				break
			}
		}
		if missing == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %q in the output:\n%s", missing, out)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
