package rest

import (
	"errors"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azqueue/v2"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/storage"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func (c *fakeClock) AfterFunc(d time.Duration, f func()) emulator.Timer { return time.AfterFunc(d, f) }

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
	clock  *fakeClock
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
