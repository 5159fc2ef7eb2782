package eventgrid

import (
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/funcemu/funcemu/emulator"
)

// ImpliedTopics are the local topics the app's eventGrid output bindings
// publish to: a topicEndpointUri setting whose value is a loopback URL
// http://127.0.0.1:PORT/NAME/api/events names topic NAME, and its
// topicKeySetting holds the key, as the settings of an Azure topic would.
func ImpliedTopics(a *emulator.App, lookup func(string) (string, bool)) []Topic {
	var out []Topic
	seen := map[string]bool{}
	for _, fn := range a.Functions {
		for _, b := range fn.Outputs() {
			if b.Kind() != BindingEventGrid {
				continue
			}
			uriSetting := bindingString(b, "topicEndpointUri")
			endpoint, ok := lookup(uriSetting)
			if !ok {
				continue
			}
			name, ok := LocalTopicName(endpoint)
			if !ok || seen[strings.ToLower(name)] {
				continue
			}
			seen[strings.ToLower(name)] = true
			key, _ := lookup(bindingString(b, "topicKeySetting"))
			port := 0
			if u, err := url.Parse(endpoint); err == nil {
				port, _ = strconv.Atoi(u.Port())
			}
			out = append(out, Topic{Name: name, Key: key, InputSchema: SchemaEventGrid, Setting: uriSetting, Port: port})
		}
	}
	return out
}

// LocalTopicName is NAME of a loopback topic endpoint URL
// http://HOST:PORT/NAME/api/events.
func LocalTopicName(endpoint string) (string, bool) {
	u, err := url.Parse(endpoint)
	if err != nil {
		return "", false
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return "", false
	}
	name, rest, _ := strings.Cut(strings.Trim(u.Path, "/"), "/")
	if !strings.EqualFold(rest, "api/events") || !isTopicName(name) {
		return "", false
	}
	return name, true
}

// bindingString reads a string property of a binding in any case.
func bindingString(b *emulator.Binding, name string) string {
	for k, v := range b.Properties {
		if strings.EqualFold(k, name) {
			s, _ := v.(string)
			return s
		}
	}
	return ""
}
