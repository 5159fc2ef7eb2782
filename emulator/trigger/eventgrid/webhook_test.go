package eventgridtrigger

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/eventgrid"
)

// invoker records requests and fails those whose event subject ends in
// "/fail".
type invoker struct {
	mu   sync.Mutex
	reqs []emulator.InvokeRequest
}

func (i *invoker) Invoke(_ context.Context, req emulator.InvokeRequest) (*emulator.Result, error) {
	i.mu.Lock()
	i.reqs = append(i.reqs, req)
	i.mu.Unlock()
	if v, _ := req.Data["ev"].(string); strings.Contains(v, `/fail"`) {
		return &emulator.Result{}, errors.New("handler answered 500")
	}
	return &emulator.Result{}, nil
}

func (i *invoker) requests() []emulator.InvokeRequest {
	i.mu.Lock()
	defer i.mu.Unlock()
	return append([]emulator.InvokeRequest(nil), i.reqs...)
}

type blobListener struct {
	mu    sync.Mutex
	blobs []string
}

func (l *blobListener) BlobEvent(_ context.Context, container, name, etag string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.blobs = append(l.blobs, container+"/"+name+" "+etag)
	return true
}

func (l *blobListener) queued() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.blobs...)
}

func setup(t *testing.T) (*httptest.Server, *invoker, *blobListener) {
	t.Helper()
	a := &emulator.App{Functions: []*emulator.Function{
		{Name: "OnEvent", Bindings: []*emulator.Binding{{Type: "eventGridTrigger", Direction: "in", Name: "ev"}}},
		{Name: "Thumb", Bindings: []*emulator.Binding{{Type: "blobTrigger", Direction: "in", Name: "img", Path: "photos/{name}", Source: "EventGrid"}}},
		{Name: "Work", Bindings: []*emulator.Binding{{Type: "queueTrigger", Direction: "in", Name: "m"}}},
	}}
	inv, bl := &invoker{}, &blobListener{}
	tr := New(Options{App: func() *emulator.App { return a }, Invoker: inv,
		BlobListener: func(fn string) BlobListener {
			if fn == "Thumb" {
				return bl
			}
			return nil
		}})
	srv := httptest.NewServer(tr)
	t.Cleanup(srv.Close)
	return srv, inv, bl
}

func send(t *testing.T, method, url, kind, body string, header ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if kind != "" {
		req.Header.Set("aeg-event-type", kind)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

const egEvent = `{"id":"e1","topic":"/t","subject":"orders/1","eventType":"Order.Created","eventTime":"2026-12-02T08:00:00Z","data":{"n":1,"s":"x"},"dataVersion":"1","metadataVersion":"1"}`
const ceEvent = `{"id":"c1","source":"/shop","type":"Order.Created","subject":"orders/2","specversion":"1.0","data":"plain"}`

func TestNotificationInvokesOncePerEventInBothSchemas(t *testing.T) {
	t.Parallel()
	srv, inv, _ := setup(t)
	url := srv.URL + "/runtime/webhooks/EventGrid?functionName=OnEvent"
	if resp, body := send(t, "POST", url, "Notification", "["+egEvent+","+ceEvent+"]"); resp.StatusCode != 202 {
		t.Fatalf("notification = %d %s", resp.StatusCode, body)
	}
	if resp, body := send(t, "POST", strings.Replace(url, "EventGrid", "eventgrid", 1), "notification", ceEvent, "aeg-delivery-count", "2"); resp.StatusCode != 202 {
		t.Fatalf("single CloudEvent = %d %s", resp.StatusCode, body)
	}
	reqs := inv.requests()
	if len(reqs) != 3 {
		t.Fatalf("%d invocations, want 3", len(reqs))
	}
	var eg, ce *emulator.InvokeRequest
	for i := range reqs {
		if strings.Contains(reqs[i].Data["ev"].(string), `"e1"`) {
			eg = &reqs[i]
		} else {
			ce = &reqs[i]
		}
	}
	if eg == nil || ce == nil {
		t.Fatalf("requests %+v", reqs)
	}
	// The trigger value is the event as indented JSON text, the binding
	// data only "data".
	wantText := "{\n  \"id\": \"e1\",\n  \"topic\": \"/t\",\n  \"subject\": \"orders/1\""
	if got := eg.Data["ev"].(string); !strings.HasPrefix(got, wantText) {
		t.Errorf("Data.ev = %q", got)
	}
	if got := string(eg.Metadata["data"].(json.RawMessage)); got != `{"n":1,"s":"x"}` || len(eg.Metadata) != 1 {
		t.Errorf("Metadata = %v", eg.Metadata)
	}
	if eg.Trigger != emulator.TriggerEventGrid || !strings.HasPrefix(eg.Reason, "EventGrid trigger fired at ") ||
		eg.Input.EventGrid == nil || eg.Input.EventGrid.Cause != "webhook" || eg.Input.EventGrid.DeliveryCount != 1 {
		t.Errorf("request %+v input %+v", eg, eg.Input.EventGrid)
	}
	if got := string(ce.Metadata["data"].(json.RawMessage)); got != `"plain"` {
		t.Errorf("CloudEvent Metadata.data = %s", got)
	}
}

func TestNotificationFailureIs500WithTheMessage(t *testing.T) {
	t.Parallel()
	srv, inv, _ := setup(t)
	failing := strings.Replace(egEvent, "orders/1", "orders/fail", 1)
	resp, body := send(t, "POST", srv.URL+"/runtime/webhooks/EventGrid?functionName=OnEvent", "Notification", "["+egEvent+","+failing+"]")
	if resp.StatusCode != 500 || !strings.Contains(body, "handler answered 500") {
		t.Errorf("= %d %q", resp.StatusCode, body)
	}
	if n := len(inv.requests()); n != 2 {
		t.Errorf("%d invocations, want both events run", n)
	}
}

func TestSubscriptionValidationBothSchemas(t *testing.T) {
	t.Parallel()
	srv, inv, _ := setup(t)
	url := srv.URL + "/runtime/webhooks/EventGrid?functionName=OnEvent"
	eg := `[{"id":"v","topic":"/t","subject":"","eventType":"Microsoft.EventGrid.SubscriptionValidationEvent","eventTime":"2026-12-02T08:00:00Z",
		"data":{"validationCode":"512d38b6-c7b8-40c8-89fe-f46f9e9622b6","validationUrl":"https://x"},"dataVersion":"2","metadataVersion":"1"}]`
	resp, body := send(t, "POST", url, "SubscriptionValidation", eg)
	var got map[string]string
	if json.Unmarshal([]byte(body), &got); resp.StatusCode != 200 || got["validationResponse"] != "512d38b6-c7b8-40c8-89fe-f46f9e9622b6" {
		t.Errorf("Event Grid validation = %d %s", resp.StatusCode, body)
	}
	ce := `{"id":"v","source":"/t","type":"Microsoft.EventGrid.SubscriptionValidationEvent","specversion":"1.0","data":"{\"validationCode\":\"abc\"}"}`
	resp, body = send(t, "POST", srv.URL+"/runtime/webhooks/blobs?functionName=Host.Functions.Thumb", "SubscriptionValidation", ce)
	if json.Unmarshal([]byte(body), &got); resp.StatusCode != 200 || got["validationResponse"] != "abc" {
		t.Errorf("CloudEvents validation = %d %s", resp.StatusCode, body)
	}
	resp, _ = send(t, "OPTIONS", url, "", "", "WebHook-Request-Origin", "eventgrid.azure.net")
	if resp.StatusCode != 200 || resp.Header.Get("WebHook-Allowed-Origin") != "eventgrid.azure.net" {
		t.Errorf("abuse protection = %d %v", resp.StatusCode, resp.Header)
	}
	if n := len(inv.requests()); n != 0 {
		t.Errorf("validation invoked the function %d times", n)
	}
}

func TestWebhookErrorsAsTheHost(t *testing.T) {
	t.Parallel()
	srv, inv, _ := setup(t)
	tests := []struct {
		name, url, kind, body string
		status                int
		text                  string
	}{
		{"unknown function", "/runtime/webhooks/EventGrid?functionName=Nope", "Notification", egEvent, 404, "cannot find function: 'Nope'"},
		{"case differs", "/runtime/webhooks/EventGrid?functionName=onevent", "Notification", egEvent, 404, "cannot find function: 'onevent'"},
		{"not an eventGridTrigger", "/runtime/webhooks/EventGrid?functionName=Work", "Notification", egEvent, 404, "cannot find function"},
		{"no event type", "/runtime/webhooks/EventGrid?functionName=OnEvent", "", egEvent, 400, ""},
		{"other event type", "/runtime/webhooks/EventGrid?functionName=OnEvent", "Other", egEvent, 400, ""},
		{"unsubscribe", "/runtime/webhooks/EventGrid?functionName=OnEvent", "Unsubscribe", "", 202, ""},
		{"malformed body", "/runtime/webhooks/EventGrid?functionName=OnEvent", "Notification", "[1,", 400, "not an event"},
		{"scalar body", "/runtime/webhooks/EventGrid?functionName=OnEvent", "Notification", "42", 400, "not an event"},
		{"validation without code", "/runtime/webhooks/EventGrid?functionName=OnEvent", "SubscriptionValidation", egEvent, 400, "validationCode"},
		{"unknown extension", "/runtime/webhooks/servicebus?functionName=OnEvent", "Notification", egEvent, 404, ""},
	}
	for _, tt := range tests {
		resp, body := send(t, "POST", srv.URL+tt.url, tt.kind, tt.body)
		if resp.StatusCode != tt.status || !strings.Contains(body, tt.text) {
			t.Errorf("%s: %d %q, want %d %q", tt.name, resp.StatusCode, body, tt.status, tt.text)
		}
	}
	if n := len(inv.requests()); n != 0 {
		t.Errorf("%d invocations from rejected requests", n)
	}
}

func TestBlobsWebhookQueuesTheEventsBlob(t *testing.T) {
	t.Parallel()
	srv, inv, bl := setup(t)
	ev := `[{"topic":"/t","subject":"/blobServices/default/containers/photos/blobs/a.png","eventType":"Microsoft.Storage.BlobCreated","id":"1",
		"data":{"api":"PutBlob","eTag":"0x8D4BCC2E4835CD0","blobType":"BlockBlob","url":"http://127.0.0.1:10000/devstoreaccount1/photos/a.png"},
		"dataVersion":"","metadataVersion":"1","eventTime":"2026-12-02T08:00:00Z"}]`
	resp, body := send(t, "POST", srv.URL+"/runtime/webhooks/blobs?functionName=Host.Functions.Thumb", "Notification", ev)
	if resp.StatusCode != 202 {
		t.Fatalf("= %d %s", resp.StatusCode, body)
	}
	if q := bl.queued(); len(q) != 1 || q[0] != `photos/a.png "0x8D4BCC2E4835CD0"` {
		t.Errorf("queued %v", q)
	}
	bad := strings.Replace(ev, `"BlockBlob"`, `"Block"`, 1)
	if resp, body := send(t, "POST", srv.URL+"/runtime/webhooks/blobs?functionName=Host.Functions.Thumb", "Notification", bad); resp.StatusCode != 400 || !strings.Contains(body, "blobType") {
		t.Errorf("bad blobType = %d %s", resp.StatusCode, body)
	}
	// The host takes events for any FunctionId; nothing runs.
	if resp, _ := send(t, "POST", srv.URL+"/runtime/webhooks/blobs?functionName=Host.Functions.Nope", "Notification", ev); resp.StatusCode != 202 {
		t.Errorf("unknown FunctionId = %d", resp.StatusCode)
	}
	if len(inv.requests()) != 0 || len(bl.queued()) != 1 {
		t.Errorf("invocations %d, blobs %v", len(inv.requests()), bl.queued())
	}
}

func TestDeliverToADisabledFunctionFails(t *testing.T) {
	t.Parallel()
	a := &emulator.App{Functions: []*emulator.Function{{Name: "OnEvent", Disabled: true,
		Bindings: []*emulator.Binding{{Type: "eventGridTrigger", Direction: "in", Name: "ev"}}}}}
	inv := &invoker{}
	tr := New(Options{App: func() *emulator.App { return a }, Invoker: inv})
	e, _ := eventgrid.ParseEvent([]byte(egEvent))
	if err := tr.Deliver(context.Background(), &eventgrid.Delivery{Function: "OnEvent", Event: e, Attempt: 1}); err == nil {
		t.Error("a disabled function took a delivery")
	}
	if err := tr.Deliver(context.Background(), &eventgrid.Delivery{Function: "Gone", Event: e, Attempt: 1}); err == nil {
		t.Error("a missing function took a delivery")
	}
	if n := len(inv.requests()); n != 0 {
		t.Errorf("%d invocations", n)
	}
}
