// Package eventgrid is Event Grid as funcemu runs it on one machine: event
// shapes in both schemas (Event Grid and CloudEvents 1.0), the blob events
// Azure Storage publishes, subscription filters, the subscriptions file of
// an app folder, local topic endpoints, and delivery with Event Grid's
// retry schedule on the emulator's clock, time-to-live and dead-lettering.
// Delivering to a function is the caller's part (see Target).
package eventgrid

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"
)

// Schema names an event schema as Event Grid's API spells it.
type Schema string

const (
	SchemaEventGrid   Schema = "EventGridSchema"
	SchemaCloudEvents Schema = "CloudEventSchemaV1_0"
)

// ParseSchema accepts a schema name in any case, "" as Event Grid's.
func ParseSchema(s string) (Schema, bool) {
	switch {
	case s == "" || strings.EqualFold(s, string(SchemaEventGrid)):
		return SchemaEventGrid, true
	case strings.EqualFold(s, string(SchemaCloudEvents)) || strings.EqualFold(s, "CloudEventV1_0"):
		return SchemaCloudEvents, true
	}
	return "", false
}

// timeFormat is how Event Grid writes eventTime: seven fraction digits.
const timeFormat = "2006-01-02T15:04:05.0000000Z"

// FormatTime writes t as Event Grid does.
func FormatTime(t time.Time) string { return t.UTC().Format(timeFormat) }

// Event is one event in its schema, its members in the order written.
type Event struct {
	Schema Schema
	fields object
}

// ParseEvent reads one event object; its schema is CloudEvents when it
// has a specversion, else Event Grid's. It does not validate the event.
func ParseEvent(raw []byte) (Event, error) {
	o, err := parseObject(raw)
	if err != nil {
		return Event{}, err
	}
	s := SchemaEventGrid
	if _, ok := o.get("specversion"); ok {
		s = SchemaCloudEvents
	}
	return Event{Schema: s, fields: o}, nil
}

// ParseEvents reads a body that is one event object or an array of them,
// as the Functions webhook accepts.
func ParseEvents(body []byte) ([]Event, error) {
	if firstByte(body) != '[' {
		e, err := ParseEvent(body)
		if err != nil {
			return nil, err
		}
		return []Event{e}, nil
	}
	items, err := splitArray(body)
	if err != nil {
		return nil, err
	}
	events := make([]Event, 0, len(items))
	for _, it := range items {
		e, err := ParseEvent(it)
		if err != nil {
			return nil, err
		}
		events = append(events, e)
	}
	return events, nil
}

// JSON is the event as compact JSON text.
func (e Event) JSON() json.RawMessage { return e.fields.marshal() }

// Indented is the event as the host hands it to a function: the
// extension's JObject-to-string conversion, indented by two spaces.
func (e Event) Indented() string {
	var b bytes.Buffer
	if err := json.Indent(&b, e.JSON(), "", "  "); err != nil {
		return string(e.JSON())
	}
	return b.String()
}

func (e Event) member(eg, ce string) string {
	k := eg
	if e.Schema == SchemaCloudEvents {
		k = ce
	}
	s, _ := e.fields.str(k)
	return s
}

// ID is the event's id.
func (e Event) ID() string { return e.member("id", "id") }

// Type is eventType (Event Grid) or type (CloudEvents).
func (e Event) Type() string { return e.member("eventType", "type") }

// Subject is the event's subject.
func (e Event) Subject() string { return e.member("subject", "subject") }

// Topic is topic (Event Grid) or source (CloudEvents).
func (e Event) Topic() string { return e.member("topic", "source") }

// Time is eventTime (Event Grid) or time (CloudEvents), as written.
func (e Event) Time() string { return e.member("eventTime", "time") }

// Data is the event's data, nil when absent.
func (e Event) Data() json.RawMessage {
	v, _ := e.fields.get("data")
	return v
}

// As returns the event in schema s. Event Grid events convert to
// CloudEvents as Event Grid maps them (topic to source, eventType to
// type, eventTime to time); CloudEvents stay CloudEvents, because Event
// Grid delivers CloudEvents input only in that schema.
func (e Event) As(s Schema) Event {
	if s == e.Schema || s != SchemaCloudEvents {
		return e
	}
	var o object
	copyTo := func(from, to string) {
		if v, ok := e.fields.get(from); ok {
			o = o.with(to, v)
		}
	}
	copyTo("id", "id")
	copyTo("topic", "source")
	o = o.withString("specversion", "1.0")
	copyTo("eventType", "type")
	copyTo("subject", "subject")
	copyTo("eventTime", "time")
	copyTo("dataschema", "dataschema")
	copyTo("data", "data")
	return Event{Schema: SchemaCloudEvents, fields: o}
}

// lookup finds a filter key: a top-level member (case-insensitive, as
// Event Grid matches keys) or a path into data ("data.a.b").
func (e Event) lookup(key string) (any, bool) {
	head, rest, nested := strings.Cut(key, ".")
	var raw json.RawMessage
	found := false
	for _, m := range e.fields {
		if strings.EqualFold(m.Key, head) {
			raw, found = m.Value, true
		}
	}
	if !found {
		return nil, false
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	if !nested {
		return v, true
	}
	for _, part := range strings.Split(rest, ".") {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = obj[part]; !ok {
			return nil, false
		}
	}
	return v, true
}
