package app

import (
	"fmt"
	"os"
	"strings"

	"github.com/funcemu/funcemu/emulator"
)

// Config looks settings up the way the host does: the process environment
// first, then local.settings.json Values, then ConnectionStrings under
// "ConnectionStrings:<name>". Names are case-insensitive and ":" and "__"
// are the same separator. It serves %Setting% expansion, connection
// names and the Disabled flags.
type Config struct {
	env    map[string]string
	values map[string]string
	conns  map[string]string
}

// NewConfig builds the lookup for a loaded app. environ holds KEY=VALUE
// entries; nil means os.Environ().
func NewConfig(a *emulator.App, environ []string) Config {
	if environ == nil {
		environ = os.Environ()
	}
	c := Config{env: map[string]string{}, values: map[string]string{}, conns: map[string]string{}}
	for _, kv := range environ {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			continue
		}
		if _, dup := c.env[normalizeName(k)]; !dup { // first wins, as os.Getenv
			c.env[normalizeName(k)] = v
		}
	}
	if a != nil {
		for k, v := range a.Settings.Values {
			c.values[normalizeName(k)] = v
		}
		for k, v := range a.Settings.ConnectionStrings {
			c.conns[normalizeName(k)] = v
		}
	}
	return c
}

func normalizeName(name string) string {
	return strings.ToLower(strings.ReplaceAll(name, "__", ":"))
}

// Lookup returns the setting's value and whether it is defined.
func (c Config) Lookup(name string) (string, bool) {
	n := normalizeName(name)
	if v, ok := c.env[n]; ok {
		return v, true
	}
	if v, ok := c.values[n]; ok {
		return v, true
	}
	if rest, ok := strings.CutPrefix(n, "connectionstrings:"); ok {
		v, ok := c.conns[rest]
		return v, ok
	}
	return "", false
}

// Connection resolves a binding's "connection" property to a connection
// string, trying ConnectionStrings:AzureWebJobs<name>, AzureWebJobs<name>,
// ConnectionStrings:<name> and <name> in that order. An empty name means
// the default storage account, AzureWebJobsStorage.
func (c Config) Connection(name string) (string, bool) {
	if name == "" {
		name = "Storage"
	}
	for _, n := range []string{"ConnectionStrings:AzureWebJobs" + name, "AzureWebJobs" + name, "ConnectionStrings:" + name, name} {
		if v, ok := c.Lookup(n); ok && v != "" {
			return v, true
		}
	}
	return "", false
}

// Expand replaces every %name% in s with the setting's value, as the host
// resolves app-setting expressions in binding properties at startup. An
// unclosed '%' or an unknown name is an error.
func (c Config) Expand(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		end := strings.IndexByte(s[i+1:], '%')
		if end < 0 {
			return "", fmt.Errorf("the '%%' at position %d does not have a closing '%%'", i)
		}
		name := s[i+1 : i+1+end]
		v, ok := c.Lookup(name)
		if !ok {
			return "", fmt.Errorf("'%%%s%%' does not resolve to a value", name)
		}
		b.WriteString(v)
		i += end + 1
	}
	return b.String(), nil
}

// expandEnv is Environment.ExpandEnvironmentVariables, which the host
// applies to the customHandler description: a %name% that is not defined
// is left as written.
func (c Config) expandEnv(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '%' {
			b.WriteByte(s[i])
			i++
			continue
		}
		end := strings.IndexByte(s[i+1:], '%')
		if end < 0 {
			b.WriteString(s[i:])
			break
		}
		name := s[i+1 : i+1+end]
		if v, ok := c.Lookup(name); ok && name != "" {
			b.WriteString(v)
			i += end + 2
			continue
		}
		b.WriteString(s[i : i+1+end]) // keep "%name"; the closing % may open the next
		i += end + 1
	}
	return b.String()
}

// disabled reports AzureWebJobs.<name>.Disabled or
// AzureWebJobs_<name>_Disabled set to "1" or "true" (any case).
func (c Config) disabled(function string) bool {
	for _, n := range []string{"AzureWebJobs." + function + ".Disabled", "AzureWebJobs_" + function + "_Disabled"} {
		if v, ok := c.Lookup(n); ok && isTrueSetting(v) {
			return true
		}
	}
	return false
}

func isTrueSetting(v string) bool {
	return v == "1" || strings.EqualFold(strings.TrimSpace(v), "true")
}
