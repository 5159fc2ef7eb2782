package azstore

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/azstore/azuritetest"
	"github.com/funcemu/funcemu/emulator/storetest"
)

// TestMain pays Azurite's start once for the package.
func TestMain(m *testing.M) {
	azuritetest.Prewarm()
	code := m.Run()
	azuritetest.StopShared()
	os.Exit(code)
}

// azuriteAccount parses the shared Azurite's connection string, as a user's
// AzureWebJobsStorage would be.
func azuriteAccount(t *testing.T) *Account {
	t.Helper()
	a, err := ParseConnectionString(azuritetest.Shared(t).ConnectionString())
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// fast fails calls at once instead of after the SDK's retries.
var fast = Options{MaxRetries: -1}

func TestQueueStoreContract(t *testing.T) {
	a := azuriteAccount(t)
	s, err := NewQueueStore(a, fast)
	if err != nil {
		t.Fatal(err)
	}
	storetest.TestQueueStore(t, func(*testing.T) emulator.QueueStore { return s })
}

func TestBlobStoreContract(t *testing.T) {
	a := azuriteAccount(t)
	s, err := NewBlobStore(a, fast)
	if err != nil {
		t.Fatal(err)
	}
	storetest.TestBlobStore(t, func(*testing.T) emulator.BlobStore { return s })
}

func TestWrongKeyIsUnauthorized(t *testing.T) {
	a := azuriteAccount(t)
	a.key = "d3Jvbmcga2V5" // "wrong key"
	ctx := context.Background()
	qs, err := NewQueueStore(a, fast)
	if err != nil {
		t.Fatal(err)
	}
	bs, err := NewBlobStore(a, fast)
	if err != nil {
		t.Fatal(err)
	}
	_, qerr := qs.Count(ctx, "orders")
	_, berr := bs.ListBlobs(ctx, "input", "")
	for _, err := range []error{qerr, berr, qs.CreateQueue(ctx, "orders"), bs.CreateContainer(ctx, "input")} {
		if got := emulator.ErrorCode(err); got != emulator.EUNAUTHORIZED {
			t.Errorf("error code %q (%v), want %q", got, err, emulator.EUNAUTHORIZED)
		}
		if err != nil && strings.Contains(err.Error(), a.key) {
			t.Errorf("error %q shows the key", err)
		}
	}
}

func TestUnreachableIsUnavailable(t *testing.T) {
	// A port that was just free: nothing listens there.
	a, err := ParseConnectionString("AccountName=devstoreaccount1;AccountKey=" + DevelopmentKey +
		";BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;QueueEndpoint=http://127.0.0.1:1/devstoreaccount1")
	if err != nil {
		t.Fatal(err)
	}
	qs, _ := NewQueueStore(a, fast)
	bs, _ := NewBlobStore(a, fast)
	ctx := context.Background()
	_, qerr := qs.Receive(ctx, "orders", 1, time.Minute)
	_, berr := bs.ListBlobs(ctx, "input", "")
	for _, err := range []error{qerr, berr} {
		if got := emulator.ErrorCode(err); got != emulator.EUNAVAILABLE {
			t.Errorf("error code %q (%v), want %q", got, err, emulator.EUNAVAILABLE)
		}
	}
}

func TestErrorsNameTheOperationAndCode(t *testing.T) {
	a := azuriteAccount(t)
	qs, _ := NewQueueStore(a, fast)
	_, err := qs.Count(context.Background(), "no-such-queue")
	var se *StorageError
	if !asStorageError(err, &se) {
		t.Fatalf("error %T %v, want a *StorageError", err, err)
	}
	if se.Status != 404 || se.AzureCode != "QueueNotFound" || se.Kind != emulator.ENOTFOUND {
		t.Errorf("StorageError %+v, want 404 QueueNotFound not_found", se)
	}
	if msg := err.Error(); !strings.Contains(msg, `queue "no-such-queue"`) || !strings.Contains(msg, "QueueNotFound (HTTP 404)") {
		t.Errorf("message %q, want the queue and the Azure code", msg)
	}
}

func TestSetVisibilityKeepsTheMessageText(t *testing.T) {
	// The contract checks this too; here it guards the body-dropping policy
	// directly, with text that an empty update would wipe.
	a := azuriteAccount(t)
	qs, _ := NewQueueStore(a, fast)
	ctx := context.Background()
	q := "keep-text-" + strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-"))[:10]
	if err := qs.CreateQueue(ctx, q); err != nil {
		t.Fatal(err)
	}
	if _, err := qs.Put(ctx, q, emulator.PutMessage{Text: "payload"}); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		got, err := qs.Receive(ctx, q, 1, time.Minute)
		if err != nil || len(got) != 1 {
			t.Fatalf("receive %d: %v %d", i, err, len(got))
		}
		if got[0].Text != "payload" || got[0].DequeueCount != int64(i+1) {
			t.Fatalf("receive %d: %q count %d", i, got[0].Text, got[0].DequeueCount)
		}
		if _, err := qs.SetVisibility(ctx, q, got[0].ID, got[0].PopReceipt, 0); err != nil {
			t.Fatal(err)
		}
	}
}

func TestTransportErrorsHideTheSignature(t *testing.T) {
	a, err := ParseConnectionString("BlobEndpoint=http://127.0.0.1:1/acct;QueueEndpoint=http://127.0.0.1:1/acct;SharedAccessSignature=sv=1&sig=SECRETSIG")
	if err != nil {
		t.Fatal(err)
	}
	bs, _ := NewBlobStore(a, fast)
	qs, _ := NewQueueStore(a, fast)
	_, berr := bs.ListBlobs(context.Background(), "c", "")
	_, qerr := qs.Receive(context.Background(), "q", 1, time.Minute)
	for _, err := range []error{berr, qerr} {
		if emulator.ErrorCode(err) != emulator.EUNAVAILABLE {
			t.Errorf("%v: code %q, want unavailable", err, emulator.ErrorCode(err))
		}
		var se *StorageError
		if !asStorageError(err, &se) {
			t.Fatalf("%T is not a *StorageError", err)
		}
		for _, text := range []string{err.Error(), se.Err.Error()} {
			if strings.Contains(text, "SECRETSIG") {
				t.Errorf("error shows the signature: %s", text)
			}
		}
	}
}
