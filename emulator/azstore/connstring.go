package azstore

import (
	"encoding/base64"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// DevelopmentAccount and DevelopmentKey are the well-known Azurite account,
// public by design.
const (
	DevelopmentAccount = "devstoreaccount1"
	DevelopmentKey     = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)

const defaultEndpointSuffix = "core.windows.net"

// connectionKeys are the keys a storage connection string may hold, in
// their documented spelling. Keys match case-insensitively, as in the .NET
// SDK the Functions host uses.
var connectionKeys = []string{
	"DefaultEndpointsProtocol", "AccountName", "AccountKey", "EndpointSuffix",
	"BlobEndpoint", "QueueEndpoint", "TableEndpoint", "FileEndpoint",
	"BlobSecondaryEndpoint", "QueueSecondaryEndpoint", "TableSecondaryEndpoint", "FileSecondaryEndpoint",
	"SharedAccessSignature", "UseDevelopmentStorage", "DevelopmentStorageProxyUri",
}

// ParseConnectionString reads an Azure Storage connection string:
// AccountName/AccountKey with DefaultEndpointsProtocol (default https) and
// EndpointSuffix (default core.windows.net), explicit BlobEndpoint and
// QueueEndpoint (which win over the derived ones), SharedAccessSignature,
// and UseDevelopmentStorage=true (optionally with
// DevelopmentStorageProxyUri). Errors name the key at fault and never
// contain the account key or the signature.
func ParseConnectionString(s string) (*Account, error) {
	kv, err := splitConnectionString(s)
	if err != nil {
		return nil, err
	}
	if v, ok := kv["UseDevelopmentStorage"]; ok {
		return developmentAccount(kv, v)
	}
	if p, ok := kv["DevelopmentStorageProxyUri"]; ok && p != "" {
		return nil, fmt.Errorf("connection string: DevelopmentStorageProxyUri needs UseDevelopmentStorage=true")
	}

	protocol := "https"
	if v, ok := kv["DefaultEndpointsProtocol"]; ok {
		protocol = strings.ToLower(v)
		if protocol != "http" && protocol != "https" {
			return nil, fmt.Errorf("connection string: DefaultEndpointsProtocol %q is not http or https", v)
		}
	}
	suffix := defaultEndpointSuffix
	if v, ok := kv["EndpointSuffix"]; ok {
		suffix = strings.Trim(v, ".")
		if suffix == "" || strings.ContainsAny(suffix, "/:?# ") {
			return nil, fmt.Errorf("connection string: EndpointSuffix %q is not a DNS suffix", v)
		}
	}

	if _, hasKey := kv["AccountKey"]; hasKey && kv["AccountName"] == "" {
		return nil, fmt.Errorf("connection string: AccountKey needs AccountName")
	}
	a := &Account{Name: kv["AccountName"]}
	_, hasBlob := kv["BlobEndpoint"]
	_, hasQueue := kv["QueueEndpoint"]
	if a.Name != "" && !(hasBlob && hasQueue) && !validAccountName(a.Name) {
		// Only checked when the name becomes part of a host name.
		return nil, fmt.Errorf("connection string: AccountName %q is not 3-24 lowercase letters and digits", a.Name)
	}
	for _, svc := range []struct {
		key string
		dst *string
	}{{"BlobEndpoint", &a.BlobURL}, {"QueueEndpoint", &a.QueueURL}, {"TableEndpoint", &a.TableURL}} {
		if v, ok := kv[svc.key]; ok {
			u, err := serviceURL(v)
			if err != nil {
				return nil, fmt.Errorf("connection string: %s: %w", svc.key, err)
			}
			*svc.dst = u
		} else if a.Name != "" {
			service := strings.TrimSuffix(strings.ToLower(svc.key), "endpoint")
			*svc.dst = fmt.Sprintf("%s://%s.%s.%s/", protocol, a.Name, service, suffix)
		}
	}
	if a.BlobURL == "" && a.QueueURL == "" {
		return nil, fmt.Errorf("connection string: needs AccountName, BlobEndpoint or QueueEndpoint")
	}
	if a.Name == "" {
		a.Name = accountFromEndpoint(a.BlobURL)
		if a.Name == "" {
			a.Name = accountFromEndpoint(a.QueueURL)
		}
	}

	key, hasKey := kv["AccountKey"]
	sas, hasSAS := kv["SharedAccessSignature"]
	switch {
	case hasKey && hasSAS:
		return nil, fmt.Errorf("connection string: AccountKey and SharedAccessSignature are mutually exclusive")
	case hasKey:
		if _, err := base64.StdEncoding.DecodeString(key); err != nil || key == "" {
			return nil, fmt.Errorf("connection string: AccountKey is not valid base64")
		}
		a.Auth, a.key = AuthSharedKey, key
	case hasSAS:
		sas = strings.TrimPrefix(sas, "?")
		q, err := url.ParseQuery(sas)
		if err != nil || q.Get("sig") == "" {
			return nil, fmt.Errorf("connection string: SharedAccessSignature is not a query string with a sig parameter")
		}
		a.Auth, a.sas = AuthSAS, sas
	default:
		a.Auth = AuthAnonymous
	}
	return a, nil
}

// splitConnectionString splits "k=v;k=v" into a map keyed by the canonical
// key spelling. Segments are never echoed in errors: they may hold secrets.
func splitConnectionString(s string) (map[string]string, error) {
	canonical := make(map[string]string, len(connectionKeys))
	for _, k := range connectionKeys {
		canonical[strings.ToLower(k)] = k
	}
	kv := map[string]string{}
	for i, seg := range strings.Split(s, ";") {
		seg = strings.TrimSpace(seg)
		if seg == "" {
			continue
		}
		k, v, ok := strings.Cut(seg, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, fmt.Errorf("connection string: segment %d is not key=value", i+1)
		}
		name, known := canonical[strings.ToLower(k)]
		if !known {
			if looksLikeKeyName(k) {
				return nil, fmt.Errorf("connection string: unknown key %q", k)
			}
			// Probably part of a secret cut at a '=': do not echo it.
			return nil, fmt.Errorf("connection string: segment %d has an unknown key", i+1)
		}
		if _, dup := kv[name]; dup {
			return nil, fmt.Errorf("connection string: %s is given twice", name)
		}
		kv[name] = strings.TrimSpace(v)
	}
	if len(kv) == 0 {
		return nil, fmt.Errorf("connection string: empty")
	}
	return kv, nil
}

// developmentAccount expands UseDevelopmentStorage=true to Azurite's
// defaults, on the proxy's host when DevelopmentStorageProxyUri is set.
func developmentAccount(kv map[string]string, use string) (*Account, error) {
	if !strings.EqualFold(use, "true") {
		return nil, fmt.Errorf("connection string: UseDevelopmentStorage %q must be true", use)
	}
	for k := range kv {
		if k != "UseDevelopmentStorage" && k != "DevelopmentStorageProxyUri" {
			return nil, fmt.Errorf("connection string: %s cannot be combined with UseDevelopmentStorage", k)
		}
	}
	scheme, host := "http", "127.0.0.1"
	if p := kv["DevelopmentStorageProxyUri"]; p != "" {
		u, err := url.Parse(p)
		if err != nil || u.Hostname() == "" || (u.Scheme != "http" && u.Scheme != "https") {
			return nil, fmt.Errorf("connection string: DevelopmentStorageProxyUri %q is not an http(s) URL", p)
		}
		scheme, host = u.Scheme, u.Hostname()
	}
	hostPort := func(port string) string { return net.JoinHostPort(host, port) }
	return &Account{
		Name:     DevelopmentAccount,
		BlobURL:  fmt.Sprintf("%s://%s/%s/", scheme, hostPort("10000"), DevelopmentAccount),
		QueueURL: fmt.Sprintf("%s://%s/%s/", scheme, hostPort("10001"), DevelopmentAccount),
		TableURL: fmt.Sprintf("%s://%s/%s/", scheme, hostPort("10002"), DevelopmentAccount),
		Auth:     AuthSharedKey,
		key:      DevelopmentKey,
		dev:      true,
	}, nil
}

// serviceURL checks an explicit endpoint and normalizes it to end in '/'.
func serviceURL(v string) (string, error) {
	u, err := url.Parse(v)
	if err != nil {
		return "", fmt.Errorf("%q is not a URL", v)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return "", fmt.Errorf("%q is not an absolute http(s) URL", v)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		// The query may hold a signature: do not echo it.
		return "", fmt.Errorf("has a query or fragment; put a signature in SharedAccessSignature")
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		if u.RawPath != "" {
			u.RawPath += "/"
		}
	}
	return u.String(), nil
}

// accountFromEndpoint finds the account name in an endpoint: the first path
// segment for path-style URLs (IP addresses, localhost, Azurite), else the
// first DNS label.
func accountFromEndpoint(endpoint string) string {
	u, err := url.Parse(endpoint)
	if err != nil || endpoint == "" {
		return ""
	}
	host := u.Hostname()
	if net.ParseIP(host) != nil || !strings.Contains(host, ".") {
		first, _, _ := strings.Cut(strings.Trim(u.Path, "/"), "/")
		return first
	}
	label, _, _ := strings.Cut(host, ".")
	return label
}

// validAccountName is Azure's rule: 3 to 24 lowercase letters and digits.
func validAccountName(s string) bool {
	if len(s) < 3 || len(s) > 24 {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// looksLikeKeyName reports whether an unknown key is safe to echo: a short
// run of letters, like a misspelled key, not a piece of base64.
func looksLikeKeyName(k string) bool {
	if len(k) > 40 {
		return false
	}
	for _, r := range k {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') {
			return false
		}
	}
	return true
}
