package bindings

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// bindingEventGrid is the eventGrid output binding's type, lower-cased.
const bindingEventGrid = "eventgrid"

// eventGridParentHeader names the publishing invocation to a local topic
// (eventgrid.ParentHeader); Azure ignores it.
const eventGridParentHeader = "x-funcemu-parent-id"

// eventGridTimeout is how long a publish may take.
const eventGridTimeout = 30 * time.Second

// writeEventGrid publishes an eventGrid output binding's events to the
// topic whose endpoint and key are in the app settings the binding names
// (topicEndpointUri, topicKeySetting), in one request with aeg-sas-key,
// as the extension's collector does when the invocation ends. The first
// event decides the schema: with an eventType it is Event Grid's,
// otherwise CloudEvents.
func (b *Bindings) writeEventGrid(ctx context.Context, fn *emulator.Function, bd *emulator.Binding, inv *emulator.Invocation, v *emulator.OutputValue) ([]emulator.Output, error) {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("function %s: output %q: %s", fn.Name, bd.Name, fmt.Sprintf(format, args...))
	}
	events, cloud, err := eventGridEvents(v.Value, b.opts.Clock.Now())
	if err != nil {
		return nil, fail("%v", err)
	}
	if len(events) == 0 {
		return nil, nil
	}
	endpoint, key, err := b.topicSettings(bd)
	if err != nil {
		return nil, fail("%v", err)
	}
	out := []emulator.Output{{Binding: bd.Name, EventGrid: &emulator.EventGridOutput{Endpoint: endpoint, Events: events}}}
	if emulator.IsDryRun(ctx) {
		return out, nil
	}
	body, _ := json.Marshal(events)
	target := endpoint
	if !strings.Contains(target, "?") {
		target += "?api-version=2018-01-01"
	}
	ctx, cancel := context.WithTimeout(ctx, eventGridTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return nil, fail("topic endpoint %q: %v", endpoint, err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	if cloud {
		req.Header.Set("Content-Type", "application/cloudevents-batch+json; charset=utf-8")
	}
	req.Header.Set("aeg-sas-key", key)
	req.Header.Set(eventGridParentHeader, inv.ID)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fail("publish to %s: %v", endpoint, err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode/100 != 2 {
		return nil, fail("publish to %s answered %s: %s", endpoint, resp.Status, strings.TrimSpace(string(msg)))
	}
	return out, nil
}

// topicSettings reads the endpoint and key from the settings the binding
// names.
func (b *Bindings) topicSettings(bd *emulator.Binding) (endpoint, key string, err error) {
	uriSetting, keySetting := propString(bd, "topicEndpointUri"), propString(bd, "topicKeySetting")
	if uriSetting == "" {
		return "", "", fmt.Errorf("topicEndpointUri is required: the name of the app setting that holds the topic's endpoint")
	}
	if b.opts.Lookup == nil {
		return "", "", fmt.Errorf("app settings are not available")
	}
	endpoint, ok := b.opts.Lookup(uriSetting)
	if !ok || endpoint == "" {
		return "", "", fmt.Errorf("app setting %q (topicEndpointUri) is not defined", uriSetting)
	}
	if keySetting == "" {
		return "", "", fmt.Errorf("topicKeySetting is required: the name of the app setting that holds the topic's key")
	}
	if key, ok = b.opts.Lookup(keySetting); !ok {
		return "", "", fmt.Errorf("app setting %q (topicKeySetting) is not defined", keySetting)
	}
	return endpoint, key, nil
}

// propString reads a binding property in any case.
func propString(bd *emulator.Binding, name string) string {
	for k, v := range bd.Properties {
		if strings.EqualFold(k, name) {
			s, _ := v.(string)
			return s
		}
	}
	return ""
}

// eventGridEvents reads the handler's value: one event or an array of
// events, each a JSON object or a string holding one. Event Grid events
// need subject, eventType and dataVersion; CloudEvents need type and
// source. A missing id and time are generated, as the SDK's event
// constructors do.
func eventGridEvents(value json.RawMessage, now time.Time) ([]json.RawMessage, bool, error) {
	value = bytes.TrimSpace(value)
	if len(value) == 0 || string(value) == "null" {
		return nil, false, nil
	}
	var items []json.RawMessage
	if value[0] == '[' {
		if err := json.Unmarshal(value, &items); err != nil {
			return nil, false, err
		}
	} else {
		items = []json.RawMessage{value}
	}
	var out []json.RawMessage
	cloud := false
	for i, it := range items {
		var s string
		if json.Unmarshal(it, &s) == nil {
			it = json.RawMessage(s)
		}
		var e map[string]any
		if err := json.Unmarshal(it, &e); err != nil {
			return nil, false, fmt.Errorf("event %d is not a JSON object: %v", i, err)
		}
		if i == 0 {
			_, hasType := e["eventType"]
			cloud = !hasType
		}
		required := []string{"subject", "eventType", "dataVersion"}
		idKey, timeKey := "id", "eventTime"
		if cloud {
			required, timeKey = []string{"type", "source"}, "time"
			if _, ok := e["specversion"]; !ok {
				e["specversion"] = "1.0"
			}
		}
		for _, k := range required {
			if _, ok := e[k]; !ok {
				schema := "an Event Grid event"
				if cloud {
					schema = "a CloudEvent"
				}
				return nil, false, fmt.Errorf("event %d is not %s: %q is missing", i, schema, k)
			}
		}
		if _, ok := e[idKey]; !ok {
			e[idKey] = emulator.NewGUID()
		}
		if _, ok := e[timeKey]; !ok {
			e[timeKey] = now.UTC().Format("2006-01-02T15:04:05.0000000Z")
		}
		b, _ := json.Marshal(e)
		out = append(out, b)
	}
	return out, cloud, nil
}
