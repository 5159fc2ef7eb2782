package cmd

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/container"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/adminclient"
)

// startEventGridFixture runs fixtures/eventgrid on a virtual clock with
// its topics on a free port, written into the app's settings and
// subscriptions file as a user would.
func startEventGridFixture(t *testing.T) (appDir, topicURL string, ends emulator.Endpoints) {
	t.Helper()
	appDir = fixtureCopy(t, "eventgrid")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	for _, f := range []string{"local.settings.json", "funcemu.eventgrid.json"} {
		p := filepath.Join(appDir, f)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		b = []byte(strings.ReplaceAll(strings.ReplaceAll(string(b), "127.0.0.1:7073", "127.0.0.1:"+port), `"port": 7073`, `"port": `+port))
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := launchEnv(t, []string{"start", appDir, "--port", "0", "--no-build", "--blob-port", "0", "--queue-port", "0",
		"--no-tui", "--clock", "virtual"}, nil)
	waitFor(t, "the subscriptions printed at start", func() bool {
		out := r.stdout.String()
		return strings.Contains(out, "Event Grid subscriptions (funcemu.eventgrid.json):") &&
			strings.Contains(out, "  uploads: storage -> OnUpload (EventGridSchema)") &&
			strings.Contains(out, "  topic orders: http://127.0.0.1:")
	})
	dataDir := filepath.Join(appDir, ".funcemu")
	waitFor(t, "the instance file", func() bool { ends, err = adminclient.ReadInstance(dataDir); return err == nil && ends.Queue != "" })
	return appDir, "http://127.0.0.1:" + port + "/orders/api/events", ends
}

// nextMessage waits for a message on queue and decodes it (the queue
// output binding writes base64).
func nextMessage(t *testing.T, ends emulator.Endpoints, queue string, into any) {
	t.Helper()
	ctx := context.Background()
	q := queueClient(t, ends, queue)
	var text string
	waitFor(t, "a message on "+queue, func() bool {
		resp, err := q.DequeueMessage(ctx, nil)
		if err != nil || len(resp.Messages) == 0 {
			return false
		}
		text = *resp.Messages[0].MessageText
		return true
	})
	b, err := base64.StdEncoding.DecodeString(text)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, into); err != nil {
		t.Fatalf("%s: %s: %v", queue, b, err)
	}
}

type invocationRecord struct {
	ID, Function, ParentID, Status, Trigger string
}

func journalRecords(t *testing.T, dataDir string) []invocationRecord {
	t.Helper()
	out, err := runCmd(t, "events", "list", "--data-dir", dataDir, "--json")
	if err != nil {
		return nil
	}
	var rs []invocationRecord
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var r invocationRecord
		if json.Unmarshal(sc.Bytes(), &r) == nil && r.Function != "" {
			rs = append(rs, r)
		}
	}
	return rs
}

// TestEventGridEndToEnd: a blob upload reaches an eventGridTrigger as a
// BlobCreated event in the host's envelope; its eventGrid output publishes
// to a local topic whose filtered subscription hands the order to Ship as
// a CloudEvent; a .png runs an EventGrid-sourced blob trigger; the webhook
// answers the validation handshake; and a failing subscriber is retried
// on Event Grid's schedule as the virtual clock advances, then
// dead-lettered.
func TestEventGridEndToEnd(t *testing.T) {
	t.Parallel()
	appDir, topicURL, ends := startEventGridFixture(t)
	dataDir := filepath.Join(appDir, ".funcemu")
	ctx := context.Background()
	blobs := blobClient(t, ends)
	for _, c := range []string{"uploads", "photos"} {
		if _, err := blobs.CreateContainer(ctx, c, nil); err != nil {
			t.Fatal(err)
		}
	}
	put, err := blobs.UploadBuffer(ctx, "uploads", "report.txt", []byte("hello"), nil)
	if err != nil {
		t.Fatal(err)
	}

	var seen struct {
		Event        map[string]any
		Indented     string
		Raw          string
		MetadataData map[string]any
	}
	nextMessage(t, ends, "uploads-seen", &seen)
	e := seen.Event
	data, _ := e["data"].(map[string]any)
	if e["eventType"] != "Microsoft.Storage.BlobCreated" || e["subject"] != "/blobServices/default/containers/uploads/blobs/report.txt" ||
		e["topic"] != "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/funcemu/providers/Microsoft.Storage/storageAccounts/devstoreaccount1" ||
		data["api"] != "PutBlob" || data["contentLength"] != 5.0 || data["blobType"] != "BlockBlob" ||
		data["eTag"] != strings.Trim(string(*put.ETag), `"`) || data["url"] != ends.Blob+"/uploads/report.txt" || data["requestId"] != *put.RequestID {
		t.Errorf("OnUpload got %v", e)
	}
	// The host's envelope: Data.event is a JSON string of a JSON string
	// of the indented event; Metadata.data is the event's data object.
	if !strings.HasPrefix(seen.Raw, `"\"{\\n  \\\"topic\\\"`) || !strings.HasPrefix(seen.Indented, "{\n  \"topic\": ") {
		t.Errorf("Data.event arrived as %.80q (indented %.40q)", seen.Raw, seen.Indented)
	}
	if seen.MetadataData["api"] != "PutBlob" {
		t.Errorf("Metadata.data = %v", seen.MetadataData)
	}

	// The order OnUpload published reaches Ship as a CloudEvent; the
	// "quote" order is filtered out by the advanced filter.
	var order map[string]any
	nextMessage(t, ends, "shipped", &order)
	if order["specversion"] != "1.0" || order["type"] != "Shop.Order" || order["subject"] != "orders/report.txt" ||
		order["source"] != "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/funcemu/providers/Microsoft.EventGrid/topics/orders" {
		t.Errorf("Ship got %v", order)
	}
	var records []invocationRecord
	waitFor(t, "OnUpload and Ship in the journal", func() bool {
		records = journalRecords(t, dataDir)
		n := 0
		for _, r := range records {
			if (r.Function == "OnUpload" || r.Function == "Ship") && r.Status == "succeeded" {
				n++
			}
		}
		return n == 2
	})
	byFn := map[string]invocationRecord{}
	for _, r := range records {
		byFn[r.Function] = r
	}
	if byFn["Ship"].ParentID != byFn["OnUpload"].ID || byFn["Ship"].Trigger != "eventgrid" {
		t.Errorf("Ship's record %+v, want the parent %s (OnUpload)", byFn["Ship"], byFn["OnUpload"].ID)
	}

	// The delivery replays from the journal with the same outputs.
	if out, err := runCmd(t, "replay", "--data-dir", dataDir, "--dry-run", "--diff", byFn["Ship"].ID); err != nil || !strings.Contains(out, "outputs match") {
		t.Errorf("replay Ship --dry-run --diff: %v\n%s", err, out)
	}
	// funcemu invoke fires Ship with a saved event.
	eventFile := filepath.Join(t.TempDir(), "event.json")
	saved := `{"id":"m1","source":"/cli","type":"Shop.Order","subject":"orders/cli","specversion":"1.0","data":{"kind":"ship"}}`
	if err := os.WriteFile(eventFile, []byte(saved), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := runCmd(t, "invoke", "Ship", "--data-dir", dataDir, "--input", eventFile); err != nil {
		t.Fatalf("invoke: %v\n%s", err, out)
	}
	var fired map[string]any
	nextMessage(t, ends, "shipped", &fired)
	if fired["id"] != "m1" || fired["subject"] != "orders/cli" {
		t.Errorf("invoke sent %v", fired)
	}

	// An EventGrid-sourced blob trigger runs on the .png; the .txt is
	// filtered out by the subscription.
	if _, err := blobs.UploadBuffer(ctx, "photos", "skip.txt", []byte("no"), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := blobs.UploadBuffer(ctx, "photos", "cat.png", []byte("pixels"), nil); err != nil {
		t.Fatal(err)
	}
	var thumb map[string]string
	nextMessage(t, ends, "thumbs", &thumb)
	if thumb["name"] != "cat.png" || thumb["content"] != "pixels" {
		t.Errorf("Thumbnail got %v", thumb)
	}

	// The blobs webhook runs the blob trigger on the blob an event names,
	// here a .jpg the subscription's filter left out.
	jpg, err := blobs.UploadBuffer(ctx, "photos", "dog.jpg", []byte("woof"), nil)
	if err != nil {
		t.Fatal(err)
	}
	blobEvent := `[{"topic":"t","subject":"/blobServices/default/containers/photos/blobs/dog.jpg","eventType":"Microsoft.Storage.BlobCreated",
		"id":"w1","data":{"api":"PutBlob","eTag":` + strconv.Quote(strings.Trim(string(*jpg.ETag), `"`)) + `,"blobType":"BlockBlob",
		"url":"` + ends.Blob + `/photos/dog.jpg"},"dataVersion":"","metadataVersion":"1","eventTime":"2026-12-02T08:00:00Z"}]`
	hook, _ := http.NewRequest(http.MethodPost, ends.HTTP+"/runtime/webhooks/blobs?functionName=Host.Functions.Thumbnail", strings.NewReader(blobEvent))
	hook.Header.Set("aeg-event-type", "Notification")
	hook.Header.Set("Content-Type", "application/json") // as Event Grid sends it; the webhooks refuse form posts
	hookResp, err := http.DefaultClient.Do(hook)
	if err != nil {
		t.Fatal(err)
	}
	hookResp.Body.Close()
	if hookResp.StatusCode != http.StatusAccepted {
		t.Fatalf("blobs webhook = %d", hookResp.StatusCode)
	}
	nextMessage(t, ends, "thumbs", &thumb)
	if thumb["name"] != "dog.jpg" || thumb["content"] != "woof" {
		t.Errorf("Thumbnail through the webhook got %v", thumb)
	}

	// The webhook answers the validation handshake as func start does.
	req, _ := http.NewRequest(http.MethodPost, ends.HTTP+"/runtime/webhooks/EventGrid?functionName=Ship",
		strings.NewReader(`[{"id":"1","topic":"t","subject":"","eventType":"Microsoft.EventGrid.SubscriptionValidationEvent","eventTime":"2026-12-02T08:00:00Z","data":{"validationCode":"code-1"},"dataVersion":"2","metadataVersion":"1"}]`))
	req.Header.Set("aeg-event-type", "SubscriptionValidation")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"validationResponse":"code-1"`) {
		t.Errorf("validation = %d %s", resp.StatusCode, body)
	}

	checkRetriesUnderVirtualClock(t, dataDir, topicURL, ends)
}

// checkRetriesUnderVirtualClock publishes an event Flaky always fails:
// each clock advance runs the next attempt, and after three attempts the
// event is dead-lettered to the deadletters container.
func checkRetriesUnderVirtualClock(t *testing.T, dataDir, topicURL string, ends emulator.Endpoints) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, topicURL, strings.NewReader(
		`[{"id":"f1","subject":"orders/flaky","eventType":"Shop.Flaky","eventTime":"2026-12-02T08:00:00Z","data":{},"dataVersion":"1"}]`))
	req.Header.Set("aeg-sas-key", "wrong")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a wrong key got %d", resp.StatusCode)
	}
	req, _ = http.NewRequest(http.MethodPost, topicURL, strings.NewReader(
		`[{"id":"f1","subject":"orders/flaky","eventType":"Shop.Flaky","eventTime":"2026-12-02T08:00:00Z","data":{},"dataVersion":"1"}]`))
	req.Header.Set("aeg-sas-key", "b3JkZXJzLXRvcGljLWtleS1mb3ItbG9jYWwtdXNlLW9ubHk=")
	if resp, err = http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("publish: %v %v", resp, err)
	}
	resp.Body.Close()
	attempts := func() int {
		n := 0
		for _, r := range journalRecords(t, dataDir) {
			if r.Function == "Flaky" && r.Status == "failed" {
				n++
			}
		}
		return n
	}
	waitFor(t, "the first attempt", func() bool { return attempts() == 1 })
	for want := 2; want <= 3; want++ {
		// A retry is scheduled once the attempt has failed; advancing
		// before that moves the clock without it, so advance until the
		// next attempt runs.
		waitFor(t, "attempt "+strconv.Itoa(want), func() bool {
			if out, err := runCmd(t, "clock", "advance", "10s", "--data-dir", dataDir); err != nil {
				t.Fatalf("clock advance: %v %s", err, out)
			}
			return attempts() == want
		})
	}
	dead := blobClient(t, ends).ServiceClient().NewContainerClient("deadletters")
	waitFor(t, "the dead-lettered event", func() bool {
		pager := dead.NewListBlobsFlatPager(&container.ListBlobsFlatOptions{Prefix: to.Ptr("FLAKY/")})
		if !pager.More() {
			return false
		}
		page, err := pager.NextPage(context.Background())
		return err == nil && len(page.Segment.BlobItems) == 1
	})
	for i := 0; i < 5; i++ {
		runCmd(t, "clock", "advance", "1h", "--data-dir", dataDir)
	}
	if n := attempts(); n != 3 {
		t.Errorf("%d attempts, want maxDeliveryAttempts 3", n)
	}
}

// TestStartRejectsABadSubscriptionsFile: a mistake in
// funcemu.eventgrid.json stops start-up, naming the file and field,
// before the handler starts.
func TestStartRejectsABadSubscriptionsFile(t *testing.T) {
	t.Parallel()
	appDir := filepath.Join(t.TempDir(), "eventgrid")
	if err := copyDir(filepath.Join("..", "fixtures", "eventgrid"), appDir); err != nil {
		t.Fatal(err)
	}
	bad := `{"subscriptions": [{"name": "uploads", "topic": "storage", "function": "Missing"}]}`
	if err := os.WriteFile(filepath.Join(appDir, "funcemu.eventgrid.json"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stderr := runToExit(t, "start", appDir, "--no-build", "--port", "0", "--in-memory", "--no-tui")
	want := `funcemu.eventgrid.json: subscriptions[0].function: the app has no function "Missing"`
	if code != 1 || !strings.Contains(stderr, want) {
		t.Fatalf("exit %d, stderr %q; want 1 and %q", code, stderr, want)
	}
}
