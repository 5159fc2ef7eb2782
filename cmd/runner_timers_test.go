package cmd

import (
	"context"
	"io"
	"os"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/storage"
	"github.com/funcemu/funcemu/emulator/storage/rest"
	"github.com/funcemu/funcemu/emulator/trigger/timer"
)

// TestTimerStatusesLiveInTheEmbeddedStore: useMonitor statuses are kept
// as the host keeps them, in azure-webjobs-hosts/timers/..., in the
// embedded store, so they survive a restart with the data folder.
func TestTimerStatusesLiveInTheEmbeddedStore(t *testing.T) {
	t.Parallel()
	store, err := storage.Open(storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	dir := t.TempDir()
	r := &runner{store: store, app: &emulator.App{Dir: dir}}
	ms := r.timerStatusStore()
	ctx := context.Background()
	if _, found, err := ms.Load(ctx, "Nightly"); found || err != nil {
		t.Fatalf("before any run: found %v, err %v", found, err)
	}
	want := timer.Status{
		Last:        time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC),
		Next:        time.Date(2024, 5, 2, 12, 0, 0, 0, time.UTC),
		LastUpdated: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC),
	}
	if err := ms.Save(ctx, "Nightly", want); err != nil {
		t.Fatal(err)
	}
	got, found, err := ms.Load(ctx, "Nightly")
	if err != nil || !found || !got.Next.Equal(want.Next) || !got.Last.Equal(want.Last) {
		t.Fatalf("Load = %+v, %v, %v; want %+v", got, found, err, want)
	}
	machine, _ := os.Hostname()
	name := timer.StatusBlobName(timer.HostID(machine, dir), "Nightly")
	rc, _, err := store.BlobStore(rest.DevAccountName).ReadBlob(ctx, timer.StatusContainer, name)
	if err != nil {
		t.Fatalf("status blob %s/%s: %v", timer.StatusContainer, name, err)
	}
	body, _ := io.ReadAll(rc)
	rc.Close()
	if len(body) == 0 {
		t.Error("empty status blob")
	}
}
