package cmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azqueue/v2"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/storage/rest"
)

// startStorage runs `funcemu storage` on free ports and waits for its
// ready file.
func startStorage(t *testing.T, bin, dataDir string) (*exec.Cmd, emulator.Endpoints) {
	t.Helper()
	ready := filepath.Join(t.TempDir(), "ready.json")
	cmd := exec.Command(bin, "storage", "--blob-port", "0", "--queue-port", "0", "--data-dir", dataDir, "--ready-file", ready)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	deadline := time.Now().Add(30 * time.Second) // readiness only, generous
	for {
		b, err := os.ReadFile(ready)
		if err == nil {
			var e emulator.Endpoints
			if err := json.Unmarshal(b, &e); err != nil {
				t.Fatalf("ready file %s: %v", b, err)
			}
			if e.PID != cmd.Process.Pid || e.Queue == "" || e.Blob == "" {
				t.Fatalf("ready file = %+v, want pid %d and both service URLs", e, cmd.Process.Pid)
			}
			return cmd, e
		}
		if time.Now().After(deadline) {
			t.Fatal("funcemu storage never wrote its ready file")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func queueClient(t *testing.T, e emulator.Endpoints, name string) *azqueue.QueueClient {
	t.Helper()
	cred, err := azqueue.NewSharedKeyCredential(endpointAccount(e.Queue), rest.DevAccountKey)
	if err != nil {
		t.Fatal(err)
	}
	q, err := azqueue.NewQueueClientWithSharedKeyCredential(e.Queue+"/"+name, cred,
		&azqueue.ClientOptions{ClientOptions: azcore.ClientOptions{Retry: policy.RetryOptions{MaxRetries: -1}}})
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// endpointAccount is the account of a path-style service endpoint
// (http://127.0.0.1:port/<account>): funcemu's development account, or
// the account a test binary uses on a shared Azurite, whose key is the
// same.
func endpointAccount(endpoint string) string {
	return path.Base(strings.TrimSuffix(endpoint, "/"))
}

func blobClient(t *testing.T, e emulator.Endpoints) *azblob.Client {
	t.Helper()
	cred, err := azblob.NewSharedKeyCredential(endpointAccount(e.Blob), rest.DevAccountKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := azblob.NewClientWithSharedKeyCredential(e.Blob+"/", cred,
		&azblob.ClientOptions{ClientOptions: azcore.ClientOptions{Retry: policy.RetryOptions{MaxRetries: -1}}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestStorageSurvivesKill9 proves that every acknowledged write is on
// disk: SIGKILL right after the last answer, restart on the same folder,
// and all messages and the blob are there.
func TestStorageSurvivesKill9(t *testing.T) {
	t.Parallel()
	bin := buildFuncemu(t)
	dataDir := t.TempDir()
	ctx := context.Background()

	first, ends := startStorage(t, bin, dataDir)
	q := queueClient(t, ends, "durable")
	if _, err := q.Create(ctx, nil); err != nil {
		t.Fatal(err)
	}
	const n = 200
	for i := 0; i < n; i++ {
		if _, err := q.EnqueueMessage(ctx, fmt.Sprintf("m%d", i), &azqueue.EnqueueMessageOptions{TimeToLive: to.Ptr(int32(-1))}); err != nil {
			t.Fatalf("enqueue %d: %v", i, err)
		}
	}
	blobs := blobClient(t, ends)
	if _, err := blobs.CreateContainer(ctx, "durable", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := blobs.UploadBuffer(ctx, "durable", "kept.txt", []byte("still here"), nil); err != nil {
		t.Fatal(err)
	}
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()

	second, ends := startStorage(t, bin, dataDir)
	q = queueClient(t, ends, "durable")
	props, err := q.GetProperties(ctx, nil)
	if err != nil {
		t.Fatalf("after restart: %v", err)
	}
	if got := *props.ApproximateMessagesCount; got != n {
		t.Fatalf("after kill -9: %d messages, want %d", got, n)
	}
	resp, err := blobClient(t, ends).DownloadStream(ctx, "durable", "kept.txt", nil)
	if err != nil {
		t.Fatalf("blob after kill -9: %v", err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || string(body) != "still here" {
		t.Fatalf("blob after kill -9 = %q, %v", body, err)
	}
	seen := map[string]bool{}
	for len(seen) < n {
		got, err := q.DequeueMessages(ctx, &azqueue.DequeueMessagesOptions{NumberOfMessages: to.Ptr(int32(32))})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Messages) == 0 {
			break
		}
		for _, m := range got.Messages {
			seen[*m.MessageText] = true
		}
	}
	for i := 0; i < n; i++ {
		if !seen[fmt.Sprintf("m%d", i)] {
			t.Fatalf("message m%d lost", i)
		}
	}

	// Ctrl-C shuts down cleanly: exit status 0.
	if err := second.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if err := second.Wait(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("funcemu storage exited with %v after Ctrl-C", ee)
		}
		t.Fatal(err)
	}
}

func TestStorageRejectsBadAccounts(t *testing.T) {
	t.Parallel()
	root := newRootCmd(testFactory(t))
	root.SetArgs([]string{"storage", "--in-memory", "--accounts", "bad account:###", "--queue-port", "0", "--blob-port", "0"})
	err := root.Execute()
	if err == nil || !strings.Contains(err.Error(), "--accounts") || !strings.Contains(err.Error(), "bad account") {
		t.Fatalf("err = %v, want it to name --accounts and the entry", err)
	}
}
