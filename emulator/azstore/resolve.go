package azstore

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// ErrNotSet is in Resolve's error when no setting names the connection.
var ErrNotSet = errors.New("not set")

// DefaultConnection is the connection name used when a binding names none:
// its setting is AzureWebJobsStorage.
const DefaultConnection = "Storage"

// Resolve finds the storage account for a binding's "connection" the way
// the Functions host does: the first non-empty of
// ConnectionStrings:AzureWebJobs<X>, AzureWebJobs<X>, ConnectionStrings:<X>
// and <X> is parsed as a connection string. When none is set, identity
// settings are read under the same prefixes (AzureWebJobs<X>, then <X>):
// <prefix>__blobServiceUri, __queueServiceUri, __serviceUri (the service
// its host names, *.blob.* or *.queue.*, else both), __accountName (endpoints on
// core.windows.net), __clientId and __tenantId; ':' may stand for "__".
// An empty connection means DefaultConnection. lookup returns an app
// setting or environment variable.
func Resolve(lookup func(string) (string, bool), connection string) (*Account, error) {
	name := connection
	if name == "" {
		name = DefaultConnection
	}
	candidates := []string{
		"ConnectionStrings:AzureWebJobs" + name,
		"AzureWebJobs" + name,
		"ConnectionStrings:" + name,
		name,
	}
	for _, setting := range candidates {
		v, ok := lookup(setting)
		if !ok || strings.TrimSpace(v) == "" {
			continue
		}
		a, err := ParseConnectionString(v)
		if err != nil {
			return nil, fmt.Errorf("setting %s: %w", setting, err)
		}
		a.Setting = setting
		return a, nil
	}
	for _, prefix := range []string{"AzureWebJobs" + name, name} {
		a, found, err := identityAccount(lookup, prefix)
		if err != nil || found {
			return a, err
		}
	}
	return nil, fmt.Errorf("connection %q: %w: no setting %s or %s, and no %s__blobServiceUri, __queueServiceUri, __serviceUri or __accountName",
		connection, ErrNotSet, "AzureWebJobs"+name, name, name)
}

// identityAccount reads the <prefix>__* settings of an identity-based
// connection; found is false when there are none.
func identityAccount(lookup func(string) (string, bool), prefix string) (a *Account, found bool, err error) {
	get := func(key string) (setting, value string) {
		for _, sep := range []string{"__", ":"} {
			s := prefix + sep + key
			if v, ok := lookup(s); ok && strings.TrimSpace(v) != "" {
				return s, strings.TrimSpace(v)
			}
		}
		return "", ""
	}
	a = &Account{Auth: AuthIdentity}
	uris := []struct {
		key string
		dst []*string
	}{
		{"serviceUri", []*string{&a.BlobURL, &a.QueueURL}},
		{"blobServiceUri", []*string{&a.BlobURL}},
		{"queueServiceUri", []*string{&a.QueueURL}},
		{"tableServiceUri", []*string{&a.TableURL}},
	}
	for _, u := range uris {
		setting, v := get(u.key)
		if v == "" {
			continue
		}
		found = true
		su, err := serviceURL(v)
		if err != nil {
			return nil, true, fmt.Errorf("setting %s: %w", setting, err)
		}
		dsts := u.dst
		if u.key == "serviceUri" {
			dsts = serviceUriTargets(su, dsts)
		}
		for _, dst := range dsts {
			*dst = su
		}
		a.Setting = setting
	}
	if setting, name := get("accountName"); name != "" {
		if !validAccountName(name) {
			return nil, true, fmt.Errorf("setting %s: %q is not 3-24 lowercase letters and digits", setting, name)
		}
		found = true
		a.Name = name
		if a.BlobURL == "" {
			a.BlobURL = fmt.Sprintf("https://%s.blob.%s/", name, defaultEndpointSuffix)
		}
		if a.QueueURL == "" {
			a.QueueURL = fmt.Sprintf("https://%s.queue.%s/", name, defaultEndpointSuffix)
		}
		if a.TableURL == "" {
			a.TableURL = fmt.Sprintf("https://%s.table.%s/", name, defaultEndpointSuffix)
		}
		if a.Setting == "" {
			a.Setting = setting
		}
	}
	if !found {
		return nil, false, nil
	}
	if a.Name == "" {
		a.Name = accountFromEndpoint(a.BlobURL)
		if a.Name == "" {
			a.Name = accountFromEndpoint(a.QueueURL)
		}
	}
	_, a.ClientID = get("clientId")
	_, a.TenantID = get("tenantId")
	return a, true, nil
}

// serviceUriTargets keeps a __serviceUri to the service its host names, so a
// blob endpoint never serves queues.
func serviceUriTargets(uri string, both []*string) []*string {
	u, err := url.Parse(uri)
	if err != nil {
		return both
	}
	host := "." + strings.ToLower(u.Hostname()) + "."
	switch {
	case strings.Contains(host, ".blob."):
		return both[:1]
	case strings.Contains(host, ".queue."):
		return both[1:]
	}
	return both
}
