package eventgrid

import (
	"encoding/json"
	"time"
)

// TriggerValues are what the host binds for an eventGridTrigger: the
// trigger value is the event as indented JSON text (a string, which the
// host then JSON-encodes like any string input), and the binding data has
// only "data", the event's data member. The caller adds them to an
// emulator.InvokeRequest's Data (under the binding's name) and Metadata.
func TriggerValues(e Event) (value string, metadata map[string]any) {
	metadata = map[string]any{}
	if d := e.Data(); d != nil {
		metadata["data"] = json.RawMessage(d)
	}
	return e.Indented(), metadata
}

// TriggerReason is the Executing line's reason, as the extension writes
// it: the local time of the firing in round-trip format.
func TriggerReason(now time.Time) string {
	return "EventGrid trigger fired at " + now.Format("2006-01-02T15:04:05.0000000-07:00")
}

// ValidationCode finds the code of a SubscriptionValidation request: in
// an array's first event's data (Event Grid schema), or in a CloudEvent's
// data, which the host parses once more when it is a JSON string.
func ValidationCode(body []byte) (string, bool) {
	events, err := ParseEvents(body)
	if err != nil || len(events) == 0 {
		return "", false
	}
	data := events[0].Data()
	var text string
	if json.Unmarshal(data, &text) == nil {
		data = json.RawMessage(text)
	}
	var v struct {
		ValidationCode string `json:"validationCode"`
	}
	if json.Unmarshal(data, &v) != nil || v.ValidationCode == "" {
		return "", false
	}
	return v.ValidationCode, true
}
