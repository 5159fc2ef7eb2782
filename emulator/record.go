package emulator

import (
	"encoding/json"
	"time"
)

// Input is what triggered an invocation, as received, so the journal can
// store it and replay can send it again. Exactly one field is set.
type Input struct {
	HTTP   *HTTPRequest  `json:"http,omitempty"`
	Queue  *QueueMessage `json:"queue,omitempty"`
	Blob   *BlobInput    `json:"blob,omitempty"`
	Timer  *TimerInput   `json:"timer,omitempty"`
	Manual *ManualInput  `json:"manual,omitempty"` // admin API or funcemu invoke
	// EventGrid is an eventGridTrigger's event with its delivery.
	EventGrid *EventGridInput `json:"eventGrid,omitempty"`
}

// EventGridInput is one Event Grid delivery of one event.
type EventGridInput struct {
	Event json.RawMessage `json:"event"` // in the delivery schema
	// Subscription is the local subscription that delivered it; empty
	// for events posted to /runtime/webhooks/EventGrid.
	Subscription  string `json:"subscription,omitempty"`
	Topic         string `json:"topic,omitempty"`
	DeliveryCount int    `json:"deliveryCount,omitempty"` // 1 for the first attempt
	// Cause says what published the event: "PutBlob photos/a.png",
	// "topic orders", "webhook".
	Cause string `json:"cause,omitempty"`
}

// HTTPRequest is an HTTP trigger's request.
type HTTPRequest struct {
	Method  string              `json:"method"`
	URL     string              `json:"url"` // as the caller sent it: path and query
	Headers map[string][]string `json:"headers"`
	Body    []byte              `json:"body,omitempty"`
	// BodyTruncated is set when Body holds only the first bytes.
	BodyTruncated bool `json:"bodyTruncated,omitempty"`
}

// QueueMessage is a queue trigger's message.
type QueueMessage struct {
	Account        string    `json:"account,omitempty"`
	Queue          string    `json:"queue"`
	ID             string    `json:"id"`
	Body           string    `json:"body"` // as stored (base64 when the encoding is base64)
	DequeueCount   int64     `json:"dequeueCount"`
	InsertionTime  time.Time `json:"insertionTime"`
	ExpirationTime time.Time `json:"expirationTime"`
}

// BlobInput is a blob trigger's blob.
type BlobInput struct {
	Account   string            `json:"account,omitempty"`
	Container string            `json:"container"`
	Name      string            `json:"name"`
	ETag      string            `json:"etag"`
	Metadata  map[string]string `json:"metadata,omitempty"`
	Content   []byte            `json:"content,omitempty"`
	// ContentTruncated is set when Content holds only the first bytes.
	ContentTruncated bool `json:"contentTruncated,omitempty"`
}

// TimerInput is a timer trigger's TimerInfo as sent to the handler.
type TimerInput struct {
	Info json.RawMessage `json:"info"`
}

// ManualInput is the "input" string of POST /admin/functions/{name}.
type ManualInput struct {
	Input string `json:"input"`
}

// Output is one thing an invocation wrote through an output binding.
type Output struct {
	Binding string        `json:"binding"`
	HTTP    *HTTPResponse `json:"http,omitempty"`
	Queue   *QueueOutput  `json:"queue,omitempty"`
	Blob    *BlobOutput   `json:"blob,omitempty"`
	Table   *TableOutput  `json:"table,omitempty"`
	// EventGrid are events an eventGrid output binding published.
	EventGrid *EventGridOutput `json:"eventGrid,omitempty"`
}

// EventGridOutput is one batch an eventGrid output binding published.
type EventGridOutput struct {
	Endpoint string            `json:"endpoint"`
	Events   []json.RawMessage `json:"events"`
}

// TableOutput is an entity written by a table output binding.
type TableOutput struct {
	Table        string          `json:"table"`
	PartitionKey string          `json:"partitionKey"`
	RowKey       string          `json:"rowKey"`
	Entity       json.RawMessage `json:"entity,omitempty"` // the properties as the function returned them
}

// HTTPResponse is the response an HTTP-triggered invocation gave the caller.
type HTTPResponse struct {
	Status  int                 `json:"status"`
	Headers map[string][]string `json:"headers,omitempty"`
	Body    []byte              `json:"body,omitempty"`
}

// QueueOutput is a message written by a queue output binding.
type QueueOutput struct {
	Queue   string `json:"queue"`
	Message string `json:"message"`
}

// BlobOutput is a blob written by a blob output binding.
type BlobOutput struct {
	Container string `json:"container"`
	Name      string `json:"name"`
	Content   []byte `json:"content,omitempty"`
}
