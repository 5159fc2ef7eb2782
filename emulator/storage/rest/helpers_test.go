package rest

import (
	"errors"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azqueue/v2"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/clock"
	"github.com/funcemu/funcemu/emulator/storage"
)

// newFakeClock is the clock service tests move by hand.
func newFakeClock() *clock.Virtual {
	return clock.NewVirtual(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC))
}

// storeKinds are the two stores every service test runs against.
var storeKinds = []string{"file", "memory"}

func openTestStore(t *testing.T, kind string, clock emulator.Clock) *storage.Store {
	t.Helper()
	path := ""
	if kind == "file" {
		path = filepath.Join(t.TempDir(), "storage.db")
	}
	s, err := storage.Open(storage.Options{Path: path, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

type queueEnv struct {
	url    string // service URL with the account
	clock  *clock.Virtual
	store  *storage.Store
	client *azqueue.ServiceClient
	cred   *azqueue.SharedKeyCredential
}

var noRetry = azcore.ClientOptions{Retry: policy.RetryOptions{MaxRetries: -1}}

func newQueueEnv(t *testing.T, kind string) *queueEnv {
	t.Helper()
	clock := newFakeClock()
	store := openTestStore(t, kind, clock)
	accounts, err := ParseAccounts("devstoreaccount2:" + DevAccountKey)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(NewServer(NewQueueService(store), accounts, clock, nil))
	t.Cleanup(srv.Close)
	cred, err := azqueue.NewSharedKeyCredential(DevAccountName, DevAccountKey)
	if err != nil {
		t.Fatal(err)
	}
	url := srv.URL + "/" + DevAccountName
	client, err := azqueue.NewServiceClientWithSharedKeyCredential(url+"/", cred, &azqueue.ClientOptions{ClientOptions: noRetry})
	if err != nil {
		t.Fatal(err)
	}
	return &queueEnv{url: url, clock: clock, store: store, client: client, cred: cred}
}

// azureCode returns the status and Azure error code of an SDK error.
func azureCode(t *testing.T, err error) (int, string) {
	t.Helper()
	var re *azcore.ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("want an Azure error response, got %v", err)
	}
	return re.StatusCode, re.ErrorCode
}

func wantCode(t *testing.T, err error, status int, code string) {
	t.Helper()
	gotStatus, gotCode := azureCode(t, err)
	if gotStatus != status || gotCode != code {
		t.Fatalf("got %d %s, want %d %s (%v)", gotStatus, gotCode, status, code, err)
	}
}
