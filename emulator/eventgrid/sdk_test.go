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
	// One node process publishes them all, in order.
	publishes := []struct{ topic, mode, want string }{
		{"orders", "eventgrid", "sent"},
		{"orders", "sas", "sent"},
		{"ce-orders", "cloudevents", "sent"},
		{"orders", "wrongkey", "status 401"},
	}
	args := []string{filepath.Join("testdata", "publish.js"), topicKey}
	for _, p := range publishes {
		args = append(args, srv.URL+"/"+p.topic+"/api/events", p.mode)
	}
	cmd := exec.Command("node", args...)
	cmd.Env = append(os.Environ(), "NODE_PATH="+nodePath)
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("publish.js: %v\n%s", err, b)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != len(publishes) {
		t.Fatalf("publish.js printed %q, want one line for each of %d publishes", b, len(publishes))
	}
	for i, p := range publishes {
		if !strings.HasPrefix(lines[i], p.want) {
			t.Errorf("%s: %s, want %s", p.mode, lines[i], p.want)
		}
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
