package blob_test

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/azstore"
	"github.com/funcemu/funcemu/emulator/azstore/azuritetest"
	"github.com/funcemu/funcemu/emulator/trigger/blob"
	"github.com/funcemu/funcemu/emulator/trigger/queue"
	"github.com/funcemu/funcemu/emulator/triggertest"
)

// TestTriggersOnAzurite runs both listeners over SDK-backed stores on a
// real Azurite, which cannot notify: the queue listener polls with the
// host's backoff and the blob listener scans from its cursor.
func TestTriggersOnAzurite(t *testing.T) {
	t.Parallel()
	srv := azuritetest.Shared(t) // started by TestMain while other tests run
	cs := srv.ConnectionString()
	acct, err := azstore.Resolve(func(name string) (string, bool) { return cs, name == "AzureWebJobsStorage" }, "")
	if err != nil {
		t.Fatal(err)
	}
	qs, err := azstore.NewQueueStore(acct, azstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	bs, err := azstore.NewBlobStore(acct, azstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	t.Run("queue message to poison queue", func(t *testing.T) {
		fn := &emulator.Function{Name: "Work", Bindings: []*emulator.Binding{{Type: "queueTrigger", Direction: "in", Name: "job", QueueName: "azjobs"}}}
		a := &emulator.App{Host: emulator.HostConfig{Queues: emulator.QueuesOptions{BatchSize: 16, NewBatchThreshold: 8,
			MaxDequeueCount: 2, MessageEncoding: "base64", MaxPollingInterval: 200 * time.Millisecond}}}
		inv := &triggertest.Invoker{Func: func(context.Context, emulator.InvokeRequest) error { return errors.New("fails") }}
		l, err := queue.NewListener(queue.Options{Function: fn, App: a, Store: qs, Invoker: inv, Account: acct.Name})
		if err != nil {
			t.Fatal(err)
		}
		if err := qs.CreateQueue(ctx, "azjobs"); err != nil {
			t.Fatal(err)
		}
		if err := l.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { l.Close() })
		if _, err := qs.Put(ctx, "azjobs", emulator.PutMessage{Text: base64.StdEncoding.EncodeToString([]byte(`{"n":1}`))}); err != nil {
			t.Fatal(err)
		}
		triggertest.Eventually(t, "azjobs-poison", func() bool {
			n, err := qs.Count(ctx, "azjobs-poison")
			return err == nil && n == 1
		})
		reqs := inv.Requests()
		if len(reqs) != 2 || reqs[0].Data["job"] != `{"n":1}` || reqs[0].Metadata["n"] != "1" || reqs[1].Metadata["DequeueCount"] != int64(2) {
			t.Errorf("requests = %+v", reqs)
		}
	})

	t.Run("blob written before start runs once", func(t *testing.T) {
		if err := bs.CreateContainer(ctx, "azuploads"); err != nil {
			t.Fatal(err)
		}
		info, err := bs.WriteBlob(ctx, "azuploads", "a/b.txt", strings.NewReader("hello"), emulator.WriteBlob{ParentID: "writer-1"})
		if err != nil {
			t.Fatal(err)
		}
		fn := &emulator.Function{Name: "Ingest", Bindings: []*emulator.Binding{{Type: "blobTrigger", Direction: "in", Name: "doc", Path: "azuploads/{name}.txt"}}}
		inv := &triggertest.Invoker{}
		l, err := blob.NewListener(blob.Options{Function: fn, App: &emulator.App{}, Blobs: bs, Queues: qs, Invoker: inv,
			HostID: "azurite-host", Account: acct.Name})
		if err != nil {
			t.Fatal(err)
		}
		if err := l.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { l.Close() })
		triggertest.Eventually(t, "the blob's invocation", func() bool { return len(inv.Requests()) == 1 })
		req := inv.Requests()[0]
		if req.Data["doc"] != "hello" || req.Metadata["name"] != "a/b" || req.ParentID != "writer-1" {
			t.Errorf("request = %+v", req)
		}
		receipt := "blobreceipts/azurite-host/Host.Functions.Ingest/" + info.ETag + "/azuploads/a/b.txt"
		triggertest.Eventually(t, "the receipt", func() bool {
			r, _, err := bs.ReadBlob(ctx, "azure-webjobs-hosts", receipt)
			if err == nil {
				io.Copy(io.Discard, r)
				r.Close()
			}
			return err == nil
		})
	})
}
