package eventgrid

import (
	"encoding/json"
	"strings"
	"time"
)

// MaxBatchBytes is the largest body a topic accepts, Event Grid's 1 MB.
const MaxBatchBytes = 1 << 20

// PublishedEventGrid validates a batch posted to an Event Grid schema
// topic and stamps each event as Event Grid does: the topic, an empty
// dataVersion when absent and metadataVersion "1". The body must be a
// JSON array.
func PublishedEventGrid(body []byte, topic string) ([]Event, *APIError) {
	if firstByte(body) != '[' {
		return nil, badInput("The request body must be a JSON array of events in the Event Grid schema.")
	}
	items, err := splitArray(body)
	if err != nil {
		return nil, badInput("The request body is not valid JSON: %v.", err)
	}
	events := make([]Event, 0, len(items))
	for i, it := range items {
		o, err := parseObject(it)
		if err != nil {
			return nil, badInput("Event at index %d is not a JSON object: %v.", i, err)
		}
		for _, k := range []string{"id", "subject", "eventType", "eventTime"} {
			if s, ok := o.str(k); !ok || strings.TrimSpace(s) == "" {
				return nil, badInput("Required property '%s' was not set (event at index %d).", k, i)
			}
		}
		when, _ := o.str("eventTime")
		if _, err := time.Parse(time.RFC3339Nano, when); err != nil {
			return nil, badInput("The eventTime '%s' of the event at index %d is not a valid date-time.", when, i)
		}
		if v, ok := o.get("metadataVersion"); ok && string(v) != "null" {
			if s, _ := o.str("metadataVersion"); s != "1" {
				return nil, badInput("Property 'metadataVersion' of the event at index %d must be null or \"1\", found %s.", i, v)
			}
		}
		if v, ok := o.get("dataVersion"); ok && string(v) != "null" {
			if _, isStr := o.str("dataVersion"); !isStr {
				return nil, badInput("Property 'dataVersion' of the event at index %d must be a string, found %s.", i, v)
			}
		} else {
			o = o.withString("dataVersion", "")
		}
		if t, ok := o.str("topic"); ok && t != "" && !strings.EqualFold(t, topic) {
			return nil, badInput("Property 'topic' of the event at index %d is '%s'; it must be absent or '%s'.", i, t, topic)
		}
		o = o.withString("topic", topic).withString("metadataVersion", "1")
		events = append(events, Event{Schema: SchemaEventGrid, fields: o})
	}
	return events, nil
}

// PublishedCloudEvents validates structured-mode CloudEvents: one object
// (application/cloudevents+json) or an array (…-batch+json).
func PublishedCloudEvents(body []byte) ([]Event, *APIError) {
	var items []json.RawMessage
	if firstByte(body) == '[' {
		var err error
		if items, err = splitArray(body); err != nil {
			return nil, badInput("The request body is not valid JSON: %v.", err)
		}
	} else {
		items = []json.RawMessage{body}
	}
	events := make([]Event, 0, len(items))
	for i, it := range items {
		o, err := parseObject(it)
		if err != nil {
			return nil, badInput("Event at index %d is not a JSON object: %v.", i, err)
		}
		e, apiErr := checkCloudEvent(o, i)
		if apiErr != nil {
			return nil, apiErr
		}
		events = append(events, e)
	}
	return events, nil
}

func checkCloudEvent(o object, i int) (Event, *APIError) {
	for _, k := range []string{"id", "source", "type", "specversion"} {
		if s, ok := o.str(k); !ok || strings.TrimSpace(s) == "" {
			return Event{}, badInput("Required CloudEvents attribute '%s' was not set (event at index %d).", k, i)
		}
	}
	if v, _ := o.str("specversion"); v != "1.0" {
		return Event{}, badInput("CloudEvents attribute 'specversion' of the event at index %d is '%s'; only '1.0' is supported.", i, v)
	}
	if t, ok := o.str("time"); ok {
		if _, err := time.Parse(time.RFC3339Nano, t); err != nil {
			return Event{}, badInput("CloudEvents attribute 'time' of the event at index %d is not a valid RFC 3339 time: '%s'.", i, t)
		}
	}
	return Event{Schema: SchemaCloudEvents, fields: o}, nil
}

// binaryCloudEvent builds the event of a binary-mode request: attributes
// in ce-* headers, the body as data.
func binaryCloudEvent(header map[string][]string, contentType string, body []byte) (Event, *APIError) {
	var o object
	for k, vs := range header {
		lk := strings.ToLower(k)
		if !strings.HasPrefix(lk, "ce-") || len(vs) == 0 {
			continue
		}
		o = o.withString(strings.TrimPrefix(lk, "ce-"), vs[0])
	}
	if contentType != "" {
		o = o.withString("datacontenttype", contentType)
	}
	if len(body) > 0 {
		if json.Valid(body) && strings.Contains(strings.ToLower(contentType), "json") {
			o = o.with("data", body)
		} else {
			b, _ := json.Marshal(body) // base64
			o = o.with("data_base64", b)
		}
	}
	return checkCloudEvent(o, 0)
}
