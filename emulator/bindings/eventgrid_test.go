package bindings

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/funcemu/funcemu/emulator"
)

// topic records what the output binding posts.
type topic struct {
	mu     sync.Mutex
	status int
	reqs   []*http.Request
	bodies []string
}

func (tp *topic) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	tp.mu.Lock()
	defer tp.mu.Unlock()
	tp.reqs, tp.bodies = append(tp.reqs, r), append(tp.bodies, string(b))
	if tp.status != 0 {
		w.WriteHeader(tp.status)
		io.WriteString(w, `{"error":{"code":"Unauthorized","message":"bad key"}}`)
	}
}

func eventGridFixture(t *testing.T, status int) (*fixture, *topic, *emulator.Function) {
	t.Helper()
	tp := &topic{status: status}
	srv := httptest.NewServer(tp)
	t.Cleanup(srv.Close)
	fn := queueFunction(&emulator.Binding{Type: "eventGrid", Name: "events",
		Properties: map[string]any{"topicEndpointUri": "TopicUri", "topicKeySetting": "TopicKey"}})
	f := newFixture("base64", fn)
	settings := map[string]string{"TopicUri": srv.URL + "/orders/api/events", "TopicKey": "secret"}
	f.b.opts.Lookup = func(n string) (string, bool) { v, ok := settings[n]; return v, ok }
	return f, tp, fn
}

func TestEventGridOutputPublishesOneBatchWithTheKey(t *testing.T) {
	t.Parallel()
	f, tp, fn := eventGridFixture(t, 0)
	value := `[{"subject":"orders/1","eventType":"Order.Shipped","dataVersion":"1","data":{"n":1}},
		"{\"id\":\"given\",\"subject\":\"orders/2\",\"eventType\":\"Order.Shipped\",\"dataVersion\":\"1\",\"eventTime\":\"2026-12-02T08:00:00Z\"}"]`
	out, err := f.b.Write(context.Background(), fn, &emulator.Invocation{ID: "inv-1"},
		map[string]*emulator.OutputValue{"events": {Value: json.RawMessage(value)}})
	if err != nil {
		t.Fatal(err)
	}
	if len(tp.reqs) != 1 {
		t.Fatalf("%d requests, want one batch", len(tp.reqs))
	}
	r := tp.reqs[0]
	if r.Header.Get("aeg-sas-key") != "secret" || r.URL.Query().Get("api-version") != "2018-01-01" ||
		r.Header.Get("x-funcemu-parent-id") != "inv-1" || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		t.Errorf("request %s %v", r.URL, r.Header)
	}
	var events []map[string]any
	if err := json.Unmarshal([]byte(tp.bodies[0]), &events); err != nil || len(events) != 2 {
		t.Fatalf("body %s: %v", tp.bodies[0], err)
	}
	if events[0]["id"] == "" || events[0]["eventTime"] != epoch.Format("2006-01-02T15:04:05.0000000Z") || events[1]["id"] != "given" {
		t.Errorf("events %v", events)
	}
	if len(out) != 1 || out[0].EventGrid == nil || len(out[0].EventGrid.Events) != 2 {
		t.Errorf("recorded %+v", out)
	}
}

func TestEventGridOutputCloudEvents(t *testing.T) {
	t.Parallel()
	f, tp, fn := eventGridFixture(t, 0)
	value := `{"type":"Order.Shipped","source":"/shop","data":{"n":1}}`
	if _, err := f.b.Write(context.Background(), fn, &emulator.Invocation{ID: "i"},
		map[string]*emulator.OutputValue{"events": {Value: json.RawMessage(value)}}); err != nil {
		t.Fatal(err)
	}
	var events []map[string]any
	json.Unmarshal([]byte(tp.bodies[0]), &events)
	if ct := tp.reqs[0].Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/cloudevents-batch+json") ||
		len(events) != 1 || events[0]["specversion"] != "1.0" || events[0]["id"] == nil || events[0]["time"] == nil {
		t.Errorf("content type %s, events %v", ct, events)
	}
}

func TestEventGridOutputFailures(t *testing.T) {
	t.Parallel()
	f, _, fn := eventGridFixture(t, 401)
	write := func(v string) error {
		_, err := f.b.Write(context.Background(), fn, &emulator.Invocation{ID: "i"},
			map[string]*emulator.OutputValue{"events": {Value: json.RawMessage(v)}})
		return err
	}
	if err := write(`{"subject":"s","eventType":"T","dataVersion":"1"}`); err == nil || !strings.Contains(err.Error(), "401") || !strings.Contains(err.Error(), `output "events"`) {
		t.Errorf("401 topic: %v", err)
	}
	if err := write(`{"subject":"s","eventType":"T"}`); err == nil || !strings.Contains(err.Error(), `"dataVersion" is missing`) {
		t.Errorf("missing dataVersion: %v", err)
	}
	if err := write(`[1]`); err == nil || !strings.Contains(err.Error(), "not a JSON object") {
		t.Errorf("number event: %v", err)
	}
	f.b.opts.Lookup = func(string) (string, bool) { return "", false }
	if err := write(`{"subject":"s","eventType":"T","dataVersion":"1"}`); err == nil || !strings.Contains(err.Error(), `app setting "TopicUri" (topicEndpointUri) is not defined`) {
		t.Errorf("missing setting: %v", err)
	}
}
