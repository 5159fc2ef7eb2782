package eventgrid

import (
	"strings"

	"github.com/funcemu/funcemu/emulator"
)

// defaultConfig subscribes every eventGridTrigger function to all the
// storage account's events, and every EventGrid-sourced blob trigger to
// the BlobCreated events of its container, as the portal sets them up.
func defaultConfig(a *emulator.App) *Config {
	c := &Config{Default: true}
	for _, fn := range a.Functions {
		t := fn.Trigger()
		if t == nil {
			continue
		}
		switch {
		case t.Kind() == BindingEventGridTrigger:
			c.Subscriptions = append(c.Subscriptions, Subscription{Name: subscriptionName(fn.Name),
				Topic: StorageTopicName, Function: fn.Name})
		case IsEventGridBlobTrigger(t):
			container, _, _ := strings.Cut(t.Path, "/")
			f := &Filter{IncludedEventTypes: []string{BlobCreated}}
			if !strings.ContainsAny(container, "{%") {
				f.SubjectBeginsWith = "/blobServices/default/containers/" + container + "/"
			}
			c.Subscriptions = append(c.Subscriptions, Subscription{Name: subscriptionName(fn.Name),
				Topic: StorageTopicName, Function: fn.Name, Filter: f})
		}
	}
	return c
}

// subscriptionName turns a function name into a valid subscription name.
func subscriptionName(fn string) string {
	b := []byte(fn)
	for i, ch := range b {
		if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '-') {
			b[i] = '-'
		}
	}
	s := string(b)
	for len(s) < 3 {
		s += "-"
	}
	return s
}

// Binding types of Event Grid, lower-cased like emulator.Binding.Kind.
const (
	BindingEventGridTrigger = "eventgridtrigger"
	BindingEventGrid        = "eventgrid"
)

// IsEventGridBlobTrigger reports whether b is a blobTrigger with
// "source": "EventGrid".
func IsEventGridBlobTrigger(b *emulator.Binding) bool {
	return b != nil && b.Kind() == emulator.BindingBlobTrigger && strings.EqualFold(b.Source, "EventGrid")
}
