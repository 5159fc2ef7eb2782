package azstore

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

type fakeCredential struct{ token string }

func (c fakeCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: c.token}, nil
}

// queueProperties answers Get Queue Properties with a message count and
// records how the request was authorized.
func queueProperties(t *testing.T, seen chan<- *http.Request) *httptest.Server {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen <- r.Clone(context.Background())
		w.Header().Set("x-ms-approximate-messages-count", "7")
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestAuthorization(t *testing.T) {
	tests := []struct {
		name  string
		setup func(a *Account)
		check func(t *testing.T, r *http.Request)
	}{
		{"identity sends a bearer token", func(a *Account) {
			a.Auth, a.Credential = AuthIdentity, fakeCredential{token: "tok"}
		}, func(t *testing.T, r *http.Request) {
			if got := r.Header.Get("Authorization"); got != "Bearer tok" {
				t.Errorf("Authorization %q, want Bearer tok", got)
			}
		}},
		{"SAS goes in the query", func(a *Account) {
			a.Auth, a.sas = AuthSAS, "sv=2022-11-02&sp=r&sig=abc"
		}, func(t *testing.T, r *http.Request) {
			if r.URL.Query().Get("sig") != "abc" || r.Header.Get("Authorization") != "" {
				t.Errorf("query %q Authorization %q, want the signature and no header", r.URL.RawQuery, r.Header.Get("Authorization"))
			}
		}},
		{"shared key signs", func(a *Account) {
			a.Auth, a.key = AuthSharedKey, DevelopmentKey
		}, func(t *testing.T, r *http.Request) {
			if got := r.Header.Get("Authorization"); len(got) < 10 || got[:10] != "SharedKey " {
				t.Errorf("Authorization %q, want SharedKey", got)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			seen := make(chan *http.Request, 4)
			srv := queueProperties(t, seen)
			a := &Account{Name: "myacct", QueueURL: srv.URL + "/myacct/"}
			tc.setup(a)
			s, err := NewQueueStore(a, Options{MaxRetries: -1, Transport: srv.Client()})
			if err != nil {
				t.Fatal(err)
			}
			n, err := s.Count(context.Background(), "orders")
			if err != nil || n != 7 {
				t.Fatalf("count: %d %v, want 7", n, err)
			}
			tc.check(t, <-seen)
		})
	}
}

func TestStoreNeedsItsEndpoint(t *testing.T) {
	a := &Account{Name: "myacct", BlobURL: "https://myacct.blob.core.windows.net/", Setting: "Blobs__blobServiceUri", Auth: AuthIdentity}
	if _, err := NewQueueStore(a, Options{}); err == nil || err.Error() != "setting Blobs__blobServiceUri: no queue endpoint" {
		t.Errorf("queue store without a queue endpoint: %v", err)
	}
	b := &Account{Name: "myacct", QueueURL: "https://myacct.queue.core.windows.net/", Auth: AuthAnonymous}
	if _, err := NewBlobStore(b, Options{}); err == nil || err.Error() != `account myacct: no blob endpoint` {
		t.Errorf("blob store without a blob endpoint: %v", err)
	}
}
