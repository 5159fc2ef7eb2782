package bindings

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/funcemu/funcemu/emulator"
)

// DevelopmentAccount is the account of the storage emulator's well-known
// development connection string, served by the embedded store.
const DevelopmentAccount = "devstoreaccount1"

// ConnectionLookup resolves a binding's connection name to a connection
// string in the host's lookup order (app.Config implements it).
type ConnectionLookup interface {
	Connection(name string) (string, bool)
}

// Accounts opens storage accounts by name: the embedded store serves them.
type Accounts interface {
	QueueStore(account string) emulator.QueueStore
	BlobStore(account string) emulator.BlobStore
}

// Account returns the storage account that binding b of function fn
// connects to. UseDevelopmentStorage=true and development connection
// strings (account devstoreaccount1 on loopback endpoints) name the
// embedded store's account; any other connection is an error naming the
// function and the setting, as real Azure accounts are not reachable yet.
func Account(lookup ConnectionLookup, fn *emulator.Function, b *emulator.Binding) (string, error) {
	setting := settingName(b.Connection)
	cs, ok := lookup.Connection(b.Connection)
	if !ok {
		return "", fmt.Errorf("function %s: binding %q: storage connection %q is not set (in local.settings.json Values or the environment); use \"UseDevelopmentStorage=true\" for the embedded store",
			fn.Name, b.Name, setting)
	}
	account, err := developmentAccount(cs)
	if err != nil {
		return "", fmt.Errorf("function %s: binding %q: connection %q: %w", fn.Name, b.Name, setting, err)
	}
	return account, nil
}

// settingName is the setting a connection name is read from, for errors.
func settingName(connection string) string {
	if connection == "" {
		return "AzureWebJobsStorage"
	}
	return connection
}

// developmentAccount accepts the connection strings that mean "the local
// storage emulator" and returns its account name.
func developmentAccount(cs string) (string, error) {
	fields, err := parseConnectionString(cs)
	if err != nil {
		return "", err
	}
	if v, ok := fields["usedevelopmentstorage"]; ok {
		if !strings.EqualFold(v, "true") {
			return "", fmt.Errorf("UseDevelopmentStorage must be true, found %q", v)
		}
		return DevelopmentAccount, nil
	}
	name := fields["accountname"]
	if name != DevelopmentAccount {
		return "", fmt.Errorf("only the embedded development store is supported (UseDevelopmentStorage=true or AccountName=%s on 127.0.0.1), found AccountName %q", DevelopmentAccount, name)
	}
	for _, key := range []string{"blobendpoint", "queueendpoint", "tableendpoint"} {
		if ep, ok := fields[key]; ok && !loopback(ep) {
			return "", fmt.Errorf("only the embedded development store is supported: %s %q is not a loopback address", key, ep)
		}
	}
	return name, nil
}

// parseConnectionString splits "Key=Value;Key=Value" into lower-cased keys.
func parseConnectionString(cs string) (map[string]string, error) {
	fields := map[string]string{}
	for _, part := range strings.Split(cs, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, fmt.Errorf("connection string part %q is not Key=Value", redact(part))
		}
		fields[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
	}
	if len(fields) == 0 {
		return nil, fmt.Errorf("connection string is empty")
	}
	return fields, nil
}

// redact keeps secrets out of error messages.
func redact(part string) string {
	if len(part) > 12 {
		return part[:12] + "..."
	}
	return part
}

// loopback reports whether an endpoint URL points at this machine.
func loopback(endpoint string) bool {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" {
		return false
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
