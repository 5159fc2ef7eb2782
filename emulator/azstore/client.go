package azstore

import (
	"context"
	"fmt"
	"net/http"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azqueue/v2"
)

// Options tune the stores' SDK clients.
type Options struct {
	// MaxRetries is how often the SDK retries a failed request: 0 keeps
	// the SDK's default (3), a negative value disables retries. Listeners
	// retry on their own backoff, so they usually want few.
	MaxRetries int
	// Transport replaces the HTTP client (tests, proxies).
	Transport policy.Transporter
}

func (o Options) clientOptions() azcore.ClientOptions {
	co := azcore.ClientOptions{Retry: policy.RetryOptions{MaxRetries: int32(o.MaxRetries)}}
	if o.Transport != nil {
		co.Transport = o.Transport
	}
	co.PerCallPolicies = []policy.Policy{keepMessageTextPolicy{}}
	return co
}

// credential builds the identity credential of an AuthIdentity account.
func (a *Account) credential() (azcore.TokenCredential, error) {
	if a.Credential != nil {
		return a.Credential, nil
	}
	def, err := azidentity.NewDefaultAzureCredential(&azidentity.DefaultAzureCredentialOptions{TenantID: a.TenantID})
	if err != nil {
		return nil, fmt.Errorf("%s: identity credential: %w", a.settingName(), err)
	}
	if a.ClientID == "" {
		return def, nil
	}
	mi, err := azidentity.NewManagedIdentityCredential(&azidentity.ManagedIdentityCredentialOptions{ID: azidentity.ClientID(a.ClientID)})
	if err != nil {
		return nil, fmt.Errorf("%s: managed identity %s: %w", a.settingName(), a.ClientID, err)
	}
	return azidentity.NewChainedTokenCredential([]azcore.TokenCredential{mi, def}, nil)
}

func (a *Account) settingName() string {
	if a.Setting != "" {
		return "setting " + a.Setting
	}
	return "account " + a.Name
}

// withSAS appends the account's signature to a service URL.
func (a *Account) withSAS(u string) string {
	if a.Auth != AuthSAS {
		return u
	}
	return u + "?" + a.sas
}

func newQueueService(a *Account, o Options) (*azqueue.ServiceClient, error) {
	if a.QueueURL == "" {
		return nil, fmt.Errorf("%s: no queue endpoint", a.settingName())
	}
	opts := &azqueue.ClientOptions{ClientOptions: o.clientOptions()}
	var c *azqueue.ServiceClient
	var err error
	switch a.Auth {
	case AuthSharedKey:
		var cred *azqueue.SharedKeyCredential
		if cred, err = azqueue.NewSharedKeyCredential(a.Name, a.key); err == nil {
			c, err = azqueue.NewServiceClientWithSharedKeyCredential(a.QueueURL, cred, opts)
		}
	case AuthIdentity:
		var cred azcore.TokenCredential
		if cred, err = a.credential(); err == nil {
			c, err = azqueue.NewServiceClient(a.QueueURL, cred, opts)
		}
	default:
		c, err = azqueue.NewServiceClientWithNoCredential(a.withSAS(a.QueueURL), opts)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: queue client: %w", a.settingName(), err)
	}
	return c, nil
}

func newBlobService(a *Account, o Options) (*azblob.Client, error) {
	if a.BlobURL == "" {
		return nil, fmt.Errorf("%s: no blob endpoint", a.settingName())
	}
	opts := &azblob.ClientOptions{ClientOptions: o.clientOptions()}
	var c *azblob.Client
	var err error
	switch a.Auth {
	case AuthSharedKey:
		var cred *azblob.SharedKeyCredential
		if cred, err = azblob.NewSharedKeyCredential(a.Name, a.key); err == nil {
			c, err = azblob.NewClientWithSharedKeyCredential(a.BlobURL, cred, opts)
		}
	case AuthIdentity:
		var cred azcore.TokenCredential
		if cred, err = a.credential(); err == nil {
			c, err = azblob.NewClient(a.BlobURL, cred, opts)
		}
	default:
		c, err = azblob.NewClientWithNoCredential(a.withSAS(a.BlobURL), opts)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: blob client: %w", a.settingName(), err)
	}
	return c, nil
}

// keepTextKey marks an Update Message call that must keep the message's
// text: the SDK always sends a body, and the REST API keeps the text only
// when the body is absent.
type keepTextKey struct{}

func keepMessageText(ctx context.Context) context.Context {
	return context.WithValue(ctx, keepTextKey{}, true)
}

// keepMessageTextPolicy drops the body of marked requests before they are
// signed (per-call policies run before the per-retry auth policy).
type keepMessageTextPolicy struct{}

func (keepMessageTextPolicy) Do(req *policy.Request) (*http.Response, error) {
	if keep, _ := req.Raw().Context().Value(keepTextKey{}).(bool); keep && req.Raw().Method == http.MethodPut {
		if err := req.SetBody(nil, ""); err != nil {
			return nil, err
		}
	}
	return req.Next()
}
