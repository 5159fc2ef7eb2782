package bindings

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/bindexpr"
)

// QueueTrigger is a received queue message as its invocation's binding
// data sees it. Zero times are left out.
type QueueTrigger struct {
	ID              string
	PopReceipt      string
	DequeueCount    int64
	InsertionTime   time.Time
	ExpirationTime  time.Time
	NextVisibleTime time.Time
	Body            []byte // decoded message content
}

// Metadata returns the binding data of a queue-triggered invocation, as
// the host builds it: QueueTrigger (the text, when it is valid UTF-8),
// DequeueCount, ExpirationTime, Id, InsertionTime, NextVisibleTime and
// PopReceipt, then the top-level properties of a JSON object body, which
// replace built-ins of the same name (the host's ApplyBindingData), so
// {id} in an output path reads the body's id.
func (q QueueTrigger) Metadata() map[string]any {
	// The message's own keys differ even ignoring case, so they go in
	// directly; only the body's properties may replace one of them.
	m := make(map[string]any, 8)
	if utf8.Valid(q.Body) {
		m["QueueTrigger"] = string(q.Body)
	}
	m["DequeueCount"] = q.DequeueCount
	if q.ID != "" {
		m["Id"] = q.ID
	}
	putTime(m, "ExpirationTime", q.ExpirationTime)
	putTime(m, "InsertionTime", q.InsertionTime)
	putTime(m, "NextVisibleTime", q.NextVisibleTime)
	if q.PopReceipt != "" {
		m["PopReceipt"] = q.PopReceipt
	}
	for k, v := range jsonProperties(q.Body) {
		set(m, k, v)
	}
	return m
}

// BlobTrigger is a blob as its invocation's binding data sees it.
type BlobTrigger struct {
	Info     *emulator.BlobInfo
	URI      string            // the blob's URL, empty when unknown
	Captures map[string]string // {name} captures of the trigger path
}

// Metadata returns the binding data of a blob-triggered invocation:
// the path captures, BlobTrigger ("container/blob"), Uri, Properties and
// Metadata (the blob's user metadata).
func (b BlobTrigger) Metadata() map[string]any {
	m := map[string]any{}
	for k, v := range b.Captures {
		set(m, k, v)
	}
	set(m, "BlobTrigger", b.Info.Container+"/"+b.Info.Name)
	if b.URI != "" {
		set(m, "Uri", b.URI)
	}
	set(m, "Properties", BlobProperties(b.Info))
	meta := map[string]any{}
	for k, v := range b.Info.Metadata {
		meta[k] = v
	}
	set(m, "Metadata", meta)
	return m
}

// dotnetTime is a DateTimeOffset as Newtonsoft writes it.
const dotnetTime = "2006-01-02T15:04:05.9999999-07:00"

// BlobProperties is the Properties object of a blob trigger's binding
// data, with the field names of the SDK's BlobProperties.
func BlobProperties(info *emulator.BlobInfo) map[string]any {
	p := map[string]any{
		"BlobType":      "Block",
		"ContentLength": info.Size,
		"ContentType":   info.ContentType,
		"ETag":          info.ETag,
	}
	if !info.LastModified.IsZero() {
		p["LastModified"] = info.LastModified.UTC().Format(dotnetTime)
	}
	if !info.CreatedOn.IsZero() {
		p["CreatedOn"] = info.CreatedOn.UTC().Format(dotnetTime)
	}
	return p
}

// set stores v under key, replacing any key that differs only in case,
// since binding data keys are case-insensitive.
func set(m map[string]any, key string, v any) {
	for k := range m {
		if k != key && strings.EqualFold(k, key) {
			delete(m, k)
		}
	}
	m[key] = v
}

// putTime adds a time that is set under key, which no key of m matches
// ignoring case.
func putTime(m map[string]any, key string, t time.Time) {
	if !t.IsZero() {
		m[key] = t
	}
}

// jsonProperties is the binding data a JSON object body adds: its
// top-level properties, scalars as the strings .NET prints.
func jsonProperties(body []byte) map[string]any {
	m := map[string]any{}
	for k, v := range bindexpr.BindingData(body) {
		m[k] = v
	}
	return m
}
