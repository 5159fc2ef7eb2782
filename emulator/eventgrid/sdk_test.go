package eventgrid

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestJavaScriptPublisherSDK publishes with @azure/eventgrid (installed by
// .ci/eventgrid-sdk) to local topics: with aeg-sas-key, with a SAS token
// the SDK generates, as CloudEvents, and with a wrong key.
func TestJavaScriptPublisherSDK(t *testing.T) {
	t.Parallel()
	install := exec.Command(filepath.Join("..", "..", ".ci", "eventgrid-sdk"))
	install.Stderr = os.Stderr
	out, err := install.Output()
	if err != nil {
		t.Fatalf(".ci/eventgrid-sdk: %v", err)
	}
	nodePath := strings.TrimSpace(string(out))
	rec := newRecorder(0)
	srv := topicServer(t, rec)
	publish := func(topic, mode string) string {
		t.Helper()
		cmd := exec.Command("node", filepath.Join("testdata", "publish.js"), srv.URL+"/"+topic+"/api/events", topicKey, mode)
		cmd.Env = append(os.Environ(), "NODE_PATH="+nodePath)
		b, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("publish %s: %v\n%s", mode, err, b)
		}
		return strings.TrimSpace(string(b))
	}
	for _, mode := range []string{"eventgrid", "sas"} {
		if got := publish("orders", mode); got != "sent" {
			t.Errorf("%s: %s", mode, got)
		}
	}
	if got := publish("ce-orders", "cloudevents"); got != "sent" {
		t.Errorf("cloudevents: %s", got)
	}
	if got := publish("orders", "wrongkey"); !strings.HasPrefix(got, "status 401") {
		t.Errorf("wrong key: %s", got)
	}
	rec.waitCount(t, 3)
	subjects := map[string]Schema{}
	rec.mu.Lock()
	for _, d := range rec.deliveries {
		subjects[d.Event.Subject()] = d.Event.Schema
	}
	rec.mu.Unlock()
	want := map[string]Schema{"orders/js-eventgrid": SchemaEventGrid, "orders/js-sas": SchemaEventGrid, "orders/js-cloudevents": SchemaCloudEvents}
	for s, schema := range want {
		if subjects[s] != schema {
			t.Errorf("delivered %v, want %s in %s", subjects, s, schema)
		}
	}
}
