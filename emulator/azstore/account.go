// Package azstore runs the triggers and bindings against a real Azure
// Storage account, or an Azurite someone else runs, through the Azure SDK for
// Go. It resolves connection settings the way the Functions host does and
// implements emulator.QueueStore and emulator.BlobStore over the account.
package azstore

import (
	"fmt"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
)

// Auth is how requests to an account are authorized.
type Auth int

const (
	// AuthSharedKey signs requests with the account key.
	AuthSharedKey Auth = iota
	// AuthSAS appends a shared access signature to every URL.
	AuthSAS
	// AuthIdentity sends bearer tokens from an Azure identity credential.
	AuthIdentity
	// AuthAnonymous sends requests unsigned (public containers only).
	AuthAnonymous
)

func (a Auth) String() string {
	switch a {
	case AuthSharedKey:
		return "shared key"
	case AuthSAS:
		return "shared access signature"
	case AuthIdentity:
		return "identity"
	default:
		return "anonymous"
	}
}

// Account is a storage account's endpoints and credential. Its secrets are
// unexported and never printed: String and GoString show only the name,
// endpoints and the kind of credential.
type Account struct {
	// Name is the account name, from AccountName or derived from an endpoint.
	Name string
	// BlobURL and QueueURL are the service endpoints with a trailing slash
	// and no query. Either may be empty when the connection names only one
	// service.
	BlobURL  string
	QueueURL string
	// TableURL is the Table service endpoint, same form; empty when the
	// connection names no table endpoint and no account name.
	TableURL string
	// Auth says which credential the stores use.
	Auth Auth
	// Setting is the app setting the account was resolved from (Resolve
	// sets it), so errors can name it.
	Setting string
	// Credential overrides the identity credential (AuthIdentity). When nil
	// the stores build azidentity's DefaultAzureCredential with ClientID and
	// TenantID.
	Credential azcore.TokenCredential
	// ClientID and TenantID are the identity settings <name>__clientId and
	// <name>__tenantId, used for AuthIdentity.
	ClientID string
	TenantID string

	key string // base64 account key (AuthSharedKey)
	sas string // SAS query without the leading '?' (AuthSAS)
	dev bool   // from UseDevelopmentStorage=true
}

// IsDevelopment reports whether the account came from
// UseDevelopmentStorage=true, which funcemu serves from its embedded store
// unless told to use a remote one.
func (a *Account) IsDevelopment() bool { return a.dev }

// String describes the account without its key or signature.
func (a Account) String() string {
	s := fmt.Sprintf("account %q (%s", a.Name, a.Auth)
	if a.BlobURL != "" {
		s += ", blob " + a.BlobURL
	}
	if a.QueueURL != "" {
		s += ", queue " + a.QueueURL
	}
	return s + ")"
}

// GoString keeps %#v from printing the secrets.
func (a Account) GoString() string { return "azstore.Account{" + a.String() + "}" }
