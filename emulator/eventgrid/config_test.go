package eventgrid

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator"
)

// testApp has an eventGridTrigger (OnEvent), an EventGrid blob trigger
// (Thumb), a queue trigger (Work) and an eventGrid output (Send).
func testApp(t *testing.T) *emulator.App {
	t.Helper()
	fn := func(name string, b ...*emulator.Binding) *emulator.Function {
		return &emulator.Function{Name: name, Bindings: b}
	}
	return &emulator.App{Dir: t.TempDir(), Functions: []*emulator.Function{
		fn("OnEvent", &emulator.Binding{Type: "eventGridTrigger", Direction: "in", Name: "ev"}),
		fn("Send", &emulator.Binding{Type: "httpTrigger", Direction: "in", Name: "req"},
			&emulator.Binding{Type: "eventGrid", Direction: "out", Name: "out",
				Properties: map[string]any{"topicEndpointUri": "TopicUri", "topicKeySetting": "TopicKey"}}),
		fn("Thumb", &emulator.Binding{Type: "blobTrigger", Direction: "in", Name: "img", Path: "photos/{name}", Source: "EventGrid"}),
		fn("Work", &emulator.Binding{Type: "queueTrigger", Direction: "in", Name: "m", QueueName: "q"}),
	}}
}

func TestDefaultSubscriptionsWithoutAFile(t *testing.T) {
	t.Parallel()
	a := testApp(t)
	c, err := LoadConfig(a, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Default || len(c.Subscriptions) != 2 {
		t.Fatalf("config = %+v", c)
	}
	on, thumb := c.Subscriptions[0], c.Subscriptions[1]
	if on.Function != "OnEvent" || on.Topic != StorageTopicName || on.Filter != nil {
		t.Errorf("OnEvent subscription = %+v", on)
	}
	if thumb.Function != "Thumb" || thumb.Filter == nil || thumb.Filter.SubjectBeginsWith != "/blobServices/default/containers/photos/" ||
		len(thumb.Filter.IncludedEventTypes) != 1 || thumb.Filter.IncludedEventTypes[0] != BlobCreated {
		t.Errorf("Thumb subscription = %+v", thumb)
	}
}

func TestImpliedTopicsFromOutputSettings(t *testing.T) {
	t.Parallel()
	a := testApp(t)
	settings := map[string]string{"TopicUri": "http://127.0.0.1:7073/orders/api/events", "TopicKey": "k"}
	got := ImpliedTopics(a, func(n string) (string, bool) { v, ok := settings[n]; return v, ok })
	if len(got) != 1 || got[0].Name != "orders" || got[0].Key != "k" {
		t.Fatalf("implied = %+v", got)
	}
	// Without a file the topics are served on the port of the setting.
	settings["TopicUri"] = "http://localhost:7099/orders/api/events"
	c, err := LoadConfig(a, ImpliedTopics(a, func(n string) (string, bool) { v, ok := settings[n]; return v, ok }))
	if err != nil || c.TopicPort() != 7099 || c.Topic("ORDERS") == nil {
		t.Errorf("config %+v, port %d: %v", c, c.TopicPort(), err)
	}
	settings["TopicUri"] = "https://orders.westus-1.eventgrid.azure.net/api/events"
	if got := ImpliedTopics(a, func(n string) (string, bool) { v, ok := settings[n]; return v, ok }); len(got) != 0 {
		t.Errorf("an Azure endpoint implied a local topic: %+v", got)
	}
}

func TestConfigFileLoads(t *testing.T) {
	t.Parallel()
	a := testApp(t)
	write(t, a, `{"port": 0, "topics": [{"name": "orders", "key": "k", "inputSchema": "cloudeventschemav1_0"}],
	  "subscriptions": [{"name": "ship", "topic": "orders", "function": "OnEvent",
	    "filter": {"advancedFilters": [{"operatorType": "StringIn", "key": "data.kind", "values": ["ship"]}]},
	    "retryPolicy": {"maxDeliveryAttempts": 3}, "deadLetterDestination": {"container": "dead"}}]}`)
	c, err := LoadConfig(a, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := c.Subscriptions[0]
	if c.Default || c.TopicPort() != 0 || s.EventDeliverySchema != SchemaCloudEvents || s.MaxAttempts() != 3 || s.TTLMinutes() != 1440 {
		t.Errorf("config = %+v, subscription %+v", c, s)
	}
}

func write(t *testing.T, a *emulator.App, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(a.Dir, ConfigFile), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestConfigErrorsNameFileAndField(t *testing.T) {
	t.Parallel()
	tests := []struct{ body, want string }{
		{`{"subscriptions": [}`, "funcemu.eventgrid.json: line 1:"},
		{`{"subscription": []}`, `funcemu.eventgrid.json: json: unknown field "subscription"`},
		{`{"subscriptions": [{"name": "a", "topic": "storage", "function": "OnEvent"}]}`, "funcemu.eventgrid.json: subscriptions[0].name:"},
		{`{"subscriptions": [{"name": "abc", "topic": "nowhere", "function": "OnEvent"}]}`, "funcemu.eventgrid.json: subscriptions[0].topic:"},
		{`{"subscriptions": [{"name": "abc", "topic": "storage", "function": "Nope"}]}`, "funcemu.eventgrid.json: subscriptions[0].function: the app has no function"},
		{`{"subscriptions": [{"name": "abc", "topic": "storage", "function": "Work"}]}`, "funcemu.eventgrid.json: subscriptions[0].function: function Work is neither"},
		{`{"subscriptions": [{"name": "abc", "topic": "storage", "function": "OnEvent", "eventDeliverySchema": "Custom"}]}`, "subscriptions[0].eventDeliverySchema:"},
		{`{"subscriptions": [{"name": "abc", "topic": "storage", "function": "OnEvent", "retryPolicy": {"maxDeliveryAttempts": 31}}]}`, "subscriptions[0].retryPolicy.maxDeliveryAttempts: 31 is outside 1..30"},
		{`{"subscriptions": [{"name": "abc", "topic": "storage", "function": "OnEvent", "retryPolicy": {"eventTimeToLiveInMinutes": 2000}}]}`, "subscriptions[0].retryPolicy.eventTimeToLiveInMinutes"},
		{`{"subscriptions": [{"name": "abc", "topic": "storage", "function": "OnEvent", "deadLetterDestination": {"container": "Bad_Name"}}]}`, "subscriptions[0].deadLetterDestination.container"},
		{`{"subscriptions": [{"name": "abc", "topic": "storage", "function": "OnEvent", "filter": {"advancedFilters": [{"operatorType": "Foo", "key": "data.a"}]}}]}`, "funcemu.eventgrid.json: subscriptions[0].filter.advancedFilters[0].operatorType"},
		{`{"topics": [{"name": "storage"}], "subscriptions": []}`, "funcemu.eventgrid.json: topics[0].name:"},
		{`{"topics": [{"name": "ce1", "inputSchema": "CloudEventSchemaV1_0"}], "subscriptions": [{"name": "abc", "topic": "ce1", "function": "OnEvent", "eventDeliverySchema": "EventGridSchema"}]}`, "subscriptions[0].eventDeliverySchema: topic \"ce1\" takes CloudEvents"},
		{`{"subscriptions": [{"name": "abc", "topic": "storage", "function": "Thumb", "eventDeliverySchema": "CloudEventSchemaV1_0"}]}`, "subscriptions[0].eventDeliverySchema: blob triggers"},
		{`{"port": 70000, "subscriptions": []}`, "funcemu.eventgrid.json: port:"},
		{`{"subscriptions": [{"name": 5}]}`, "funcemu.eventgrid.json: subscriptions.name: must be string"},
	}
	for _, tt := range tests {
		a := testApp(t)
		write(t, a, tt.body)
		_, err := LoadConfig(a, nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s:\n error %v\n want it to contain %q", tt.body, err, tt.want)
		}
	}
}
