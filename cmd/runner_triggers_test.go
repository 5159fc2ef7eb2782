package cmd

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/adminclient"
	"github.com/funcemu/funcemu/emulator/azstore/azuritetest"
)

// startTriggerFixture builds a copy of a trigger fixture and runs funcemu
// start on it with its storage on random ports, returning the app folder.
func startTriggerFixture(t *testing.T, name string, env ...string) string {
	t.Helper()
	appDir, _ := runTriggerFixture(t, name, env...)
	return appDir
}

// runTriggerFixture is startTriggerFixture that also returns the run.
func runTriggerFixture(t *testing.T, name string, env ...string) (string, *running) {
	t.Helper()
	appDir := fixtureCopy(t, name)
	r := launchEnv(t, []string{"start", appDir, "--port", "0", "--no-build",
		"--blob-port", "0", "--queue-port", "0", "--no-tui"}, env)
	return appDir, r
}

// waitFor polls cond for readiness, failing after patience.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestStartRunsTheQueueChain enqueues an order through the Azure SDK into
// the storage funcemu start serves: Archive writes a blob, the blob runs
// Notify, and its message lands on "notifications"; the journal records
// each invocation's parent.
func TestStartRunsTheQueueChain(t *testing.T) {
	t.Parallel()
	appDir, r := runTriggerFixture(t, "queue-chain")
	dataDir := filepath.Join(appDir, ".funcemu")
	var ends, err = adminclient.ReadInstance(dataDir)
	waitFor(t, "the instance file", func() bool { ends, err = adminclient.ReadInstance(dataDir); return err == nil && ends.Queue != "" })
	archiveID, notifyID := checkQueueChain(t, r, dataDir, ends)

	// Replaying the queue message with --dry-run runs Archive again with
	// the listener's own request and records its blob output, but the blob
	// is not written again: its ETag stays.
	blobs := blobClient(t, ends)
	ctx := context.Background()
	before, err := blobs.ServiceClient().NewContainerClient("archive").NewBlobClient("5.json").GetProperties(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	out, err := runCmd(t, "replay", "--data-dir", dataDir, "--dry-run", "--diff", archiveID)
	if err != nil || !strings.Contains(out, "replayed Archive through the admin API") || !strings.Contains(out, "outputs match") {
		t.Fatalf("replay --dry-run: %v\n%s", err, out)
	}
	after, err := blobs.ServiceClient().NewContainerClient("archive").NewBlobClient("5.json").GetProperties(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if *before.ETag != *after.ETag {
		t.Errorf("a dry-run replay rewrote archive/5.json (ETag %s -> %s)", *before.ETag, *after.ETag)
	}
	// The blob-triggered Notify replays through its listener too: dry, its
	// message is recorded but not queued; for real, it is.
	notes := queueClient(t, ends, "notifications")
	count := func() int64 {
		p, err := notes.GetProperties(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		return *p.ApproximateMessagesCount
	}
	queued := count()
	if out, err := runCmd(t, "replay", "--data-dir", dataDir, "--dry-run", "--diff", notifyID); err != nil || !strings.Contains(out, "outputs match") {
		t.Fatalf("replay Notify --dry-run: %v\n%s", err, out)
	}
	if n := count(); n != queued {
		t.Errorf("a dry-run replay of Notify queued a message: %d -> %d", queued, n)
	}
	if out, err := runCmd(t, "replay", "--data-dir", dataDir, notifyID); err != nil {
		t.Fatalf("replay Notify: %v\n%s", err, out)
	}
	if n := count(); n != queued+1 {
		t.Errorf("replaying Notify left %d messages, want %d", n, queued+1)
	}

	// Without --dry-run the Archive replay writes the blob again (last: the
	// new version triggers Notify once more).
	if out, err := runCmd(t, "replay", "--data-dir", dataDir, archiveID); err != nil {
		t.Fatalf("replay: %v\n%s", err, out)
	}
	again, err := blobs.ServiceClient().NewContainerClient("archive").NewBlobClient("5.json").GetProperties(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if *again.ETag == *after.ETag {
		t.Error("a replay without --dry-run did not write archive/5.json again")
	}
}

// TestStartRunsTheQueueChainOnAzurite runs the same chain with
// AzureWebJobsStorage pointing at a real Azurite through a normal
// connection string: the listeners poll and scan it as the host does.
func TestStartRunsTheQueueChainOnAzurite(t *testing.T) {
	t.Parallel()
	srv := azuritetest.Shared(t) // one Azurite for the package; each test uses its own names
	appDir, r := runTriggerFixture(t, "queue-chain", "AzureWebJobsStorage="+srv.ConnectionString())
	checkQueueChain(t, r, filepath.Join(appDir, ".funcemu"), emulator.Endpoints{Queue: srv.QueueURL, Blob: srv.BlobURL})
}

// checkQueueChain drives the queue-chain fixture run by r through the
// queue service at ends and checks the notification and the journal's
// causality. It waits for Notify on r's output before it looks at the
// queue: on a remote account the blob listener's scan takes seconds, and
// polling the queue all that while was most of the test's work.
func checkQueueChain(t *testing.T, r *running, dataDir string, ends emulator.Endpoints) (archiveID, notifyID string) {
	t.Helper()
	ctx := context.Background()
	orders := queueClient(t, ends, "orders")
	if _, err := orders.Create(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := orders.EnqueueMessage(ctx, base64.StdEncoding.EncodeToString([]byte(`{"id":5,"item":"jam"}`)), nil); err != nil {
		t.Fatal(err)
	}
	waitOutput(t, r, "Executed 'Functions.Notify' (")
	notes := queueClient(t, ends, "notifications")
	var text string
	waitFor(t, "the notification", func() bool {
		resp, err := notes.PeekMessages(ctx, nil)
		if err != nil || len(resp.Messages) == 0 {
			return false
		}
		text = *resp.Messages[0].MessageText
		return true
	})
	note, err := base64.StdEncoding.DecodeString(text)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]string
	if err := json.Unmarshal(note, &got); err != nil || got["blob"] != "5" || got["content"] != `{"dequeueCount":"1","id":5,"item":"jam"}` {
		t.Fatalf("notification = %s (%v)", note, err)
	}

	type record struct {
		ID, Function, ParentID, Status string
	}
	var records map[string]record
	waitFor(t, "both invocations in the journal", func() bool {
		out, err := runCmd(t, "events", "list", "--data-dir", dataDir, "--json")
		if err != nil {
			return false
		}
		records = map[string]record{}
		sc := bufio.NewScanner(strings.NewReader(out))
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var r record
			if json.Unmarshal(sc.Bytes(), &r) == nil && r.Function != "" {
				records[r.Function] = r
			}
		}
		return records["Notify"].Status == "succeeded" && records["Archive"].Status == "succeeded"
	})
	if records["Notify"].ParentID == "" || records["Notify"].ParentID != records["Archive"].ID {
		t.Errorf("Notify's parent = %q, want Archive's %q", records["Notify"].ParentID, records["Archive"].ID)
	}
	return records["Archive"].ID, records["Notify"].ID
}

// TestStartPoisonsAFailingMessage runs fixtures/poison: its message is
// tried three times and moved to work-poison.
func TestStartPoisonsAFailingMessage(t *testing.T) {
	t.Parallel()
	appDir := startTriggerFixture(t, "poison")
	dataDir := filepath.Join(appDir, ".funcemu")
	var ends, err = adminclient.ReadInstance(dataDir)
	waitFor(t, "the instance file", func() bool { ends, err = adminclient.ReadInstance(dataDir); return err == nil && ends.Queue != "" })
	ctx := context.Background()
	work := queueClient(t, ends, "work")
	if _, err := work.Create(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := work.EnqueueMessage(ctx, base64.StdEncoding.EncodeToString([]byte("job-9")), nil); err != nil {
		t.Fatal(err)
	}
	poison := queueClient(t, ends, "work-poison")
	waitFor(t, "work-poison", func() bool {
		resp, err := poison.PeekMessages(ctx, nil)
		return err == nil && len(resp.Messages) == 1 && *resp.Messages[0].MessageText == base64.StdEncoding.EncodeToString([]byte("job-9"))
	})
}

// TestStartRunsTheTimerFixtureOnAVirtualClock runs fixtures/timer: three
// virtual days make three runs of its 03:00 timer, each handed the
// schedule status the store keeps.
func TestStartRunsTheTimerFixtureOnAVirtualClock(t *testing.T) {
	t.Parallel()
	appDir := fixtureCopy(t, "timer")
	run := launchEnv(t, []string{"start", appDir, "--port", "0", "--no-build", "--no-tui",
		"--blob-port", "0", "--queue-port", "0", "--clock", "virtual"}, nil)
	if out, err := runCmd(t, "clock", "advance", "72h", "--url", run.url); err != nil {
		t.Fatalf("clock advance: %v\n%s", err, out)
	}
	// The handler prints its line before funcemu prints Executed: wait for
	// the last Executed line, then check what each run was told.
	waitFor(t, "three successful Nightly runs", func() bool {
		return strings.Count(run.stdout.String(), "Executed 'Functions.Nightly' (Succeeded") == 3
	})
	if n := strings.Count(run.stdout.String(), "Nightly ran (past due: false), next "); n != 3 {
		t.Fatalf("%d Nightly runs on schedule, want 3\n%s", n, run.stdout)
	}
}
