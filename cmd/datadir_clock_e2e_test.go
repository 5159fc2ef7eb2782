package cmd

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/trigger/timer"
)

// TestVirtualThenSystemClock moves a virtual clock to 2027 in a data
// folder, stops, and starts the same folder on the system clock: the
// timer's stored status is the system run's own (its next occurrence
// within a day, not in 2027), and the journal marks the virtual run's
// invocations as virtual.
func TestVirtualThenSystemClock(t *testing.T) {
	t.Parallel()
	app := fixtureCopy(t, "timer")
	data := filepath.Join(t.TempDir(), "data")
	virtual := launchProcess(t, []string{"start", app, "--port", "0", "--no-build", "--no-tui", "--clock", "virtual", "--data-dir", data})
	if out, err := runCmd(t, "clock", "set", "2027-01-01T00:00:00Z", "--data-dir", data); err != nil {
		t.Fatalf("clock set: %v\n%s", err, out)
	}
	var rows []struct {
		ID string `json:"id"`
	}
	waitFor(t, "the virtual run's invocations in the journal", func() bool {
		out, err := runFuncemu(t, "", "events", "list", "--data-dir", data, "--json", "--function", "Nightly", "--status", "succeeded")
		rows = nil
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var r struct {
				ID string `json:"id"`
			}
			if json.Unmarshal([]byte(line), &r) == nil && r.ID != "" {
				rows = append(rows, r)
			}
		}
		return err == nil && len(rows) > 0
	})
	show, err := runFuncemu(t, "", "events", "show", rows[0].ID, "--data-dir", data)
	if err != nil || !strings.Contains(show, "Clock      virtual") {
		t.Fatalf("events show of a virtual invocation: %v\n%s", err, show)
	}
	virtual.cmd.Process.Signal(os.Interrupt)
	<-virtual.exited

	system := launch(t, []string{"start", app, "--port", "0", "--no-build", "--no-tui", "--data-dir", data})
	blobs := blobClient(t, emulator.Endpoints{Blob: system.blob})
	ctx := context.Background()
	var status timer.Status
	waitFor(t, "the system run's timer status", func() bool {
		pager := blobs.NewListBlobsFlatPager(timer.StatusContainer, &azblob.ListBlobsFlatOptions{Prefix: ptr("timers/")})
		if !pager.More() {
			return false
		}
		page, err := pager.NextPage(ctx)
		if err != nil || len(page.Segment.BlobItems) != 1 {
			return false
		}
		resp, err := blobs.DownloadStream(ctx, timer.StatusContainer, *page.Segment.BlobItems[0].Name, nil)
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return json.Unmarshal(b, &status) == nil
	})
	if until := time.Until(status.Next); until <= 0 || until > 24*time.Hour {
		t.Fatalf("the system-clock run's next occurrence is %s: want within a day of now", status.Next)
	}
}

func ptr[T any](v T) *T { return &v }
