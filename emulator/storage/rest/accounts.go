// Package rest serves the Azure Storage REST API (Blob, Queue, Table) over the
// embedded store: path-style URLs, SharedKey and SAS auth, Azure's XML
// error shape. Every store error becomes its status, x-ms-error-code and
// message through one table (storeErrors in errors.go) shared by Blob,
// Queue and Table, whose JSON errors carry the same code and message.
package rest

import (
	"encoding/base64"
	"fmt"
	"sort"
	"strings"
)

// The well-known development account every Azure SDK and tool knows.
const (
	DevAccountName = "devstoreaccount1"
	DevAccountKey  = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)

// Account is a storage account and its keys (one or two, as in Azure).
type Account struct {
	Name string
	Keys [][]byte // decoded from base64
}

// Accounts are the accounts a server knows, by name.
type Accounts struct {
	byName map[string]*Account
}

// DefaultAccounts holds only devstoreaccount1.
func DefaultAccounts() *Accounts {
	a, err := ParseAccounts("")
	if err != nil {
		panic(err) // the built-in key is valid base64
	}
	return a
}

// ParseAccounts reads an AZURITE_ACCOUNTS-style list
// "acct1:key1[:key2];acct2:key" on top of devstoreaccount1. Naming
// devstoreaccount1 in the list replaces its keys, as Azurite does.
func ParseAccounts(spec string) (*Accounts, error) {
	key, _ := base64.StdEncoding.DecodeString(DevAccountKey)
	as := &Accounts{byName: map[string]*Account{
		DevAccountName: {Name: DevAccountName, Keys: [][]byte{key}},
	}}
	for _, entry := range strings.Split(spec, ";") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		parts := strings.Split(entry, ":")
		name := strings.TrimSpace(parts[0])
		if len(parts) < 2 || len(parts) > 3 || name == "" {
			return nil, fmt.Errorf("accounts: entry %q: want name:key or name:key1:key2", entry)
		}
		if !validAccountName(name) {
			return nil, fmt.Errorf("accounts: entry %q: account name must be 3-24 lowercase letters or digits", entry)
		}
		acct := &Account{Name: name}
		for i, k := range parts[1:] {
			raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(k))
			if err != nil || len(raw) == 0 {
				return nil, fmt.Errorf("accounts: entry %q: key %d is not base64", name, i+1)
			}
			acct.Keys = append(acct.Keys, raw)
		}
		as.byName[name] = acct
	}
	return as, nil
}

func validAccountName(s string) bool {
	if len(s) < 3 || len(s) > 24 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// Lookup returns the named account, or nil.
func (a *Accounts) Lookup(name string) *Account { return a.byName[name] }

// Names lists the account names in order.
func (a *Accounts) Names() []string {
	names := make([]string, 0, len(a.byName))
	for n := range a.byName {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
