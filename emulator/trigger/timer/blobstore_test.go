package timer

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestHostID(t *testing.T) {
	tests := []struct {
		machine, dir, want string
	}{
		{"DEV-BOX_01", "", "devbox01-23"},
		{"pc", "ab", "pc-25208"}, // (23*31+97)*31+98
		{"A-Very-Long-Machine-Name-Indeed-2026", "/x", "averylongmachinenameindeed2026-2"},
		{"abcdefghijklmnopqrstuvwxyz01234", "/app", "abcdefghijklmnopqrstuvwxyz01234"}, // 31 chars + "-": the '-' is trimmed
	}
	for _, tt := range tests {
		if got := HostID(tt.machine, tt.dir); got != tt.want {
			t.Errorf("HostID(%q, %q) = %q, want %q", tt.machine, tt.dir, got, tt.want)
		}
	}
	if h := stableHash("\U0001F600"); h != (23*31+0xD83D)*31+0xDE00 {
		t.Errorf("stableHash of a surrogate pair = %d", h)
	}
}

func TestBlobMonitorStore(t *testing.T) {
	blobs := map[string][]byte{}
	store := BlobMonitorStore{
		HostID: "devbox-42",
		Get: func(_ context.Context, container, blob string) ([]byte, bool, error) {
			b, ok := blobs[container+"/"+blob]
			return b, ok, nil
		},
		Put: func(_ context.Context, container, blob string, data []byte) error {
			blobs[container+"/"+blob] = data
			return nil
		},
	}
	ctx := context.Background()
	if _, ok, err := store.Load(ctx, "Nightly"); ok || err != nil {
		t.Fatalf("Load of a missing blob = %v, %v", ok, err)
	}
	next := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	if err := store.Save(ctx, "Nightly", Status{Last: next.Add(-time.Hour), Next: next, LastUpdated: next.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	const path = "azure-webjobs-hosts/timers/devbox-42/Host.Functions.Nightly/status"
	if got, want := string(blobs[path]), `{"Last":"2024-05-01T11:00:00+00:00","Next":"2024-05-01T12:00:00+00:00","LastUpdated":"2024-05-01T11:00:00+00:00"}`; got != want {
		t.Fatalf("blob %s = %s, want %s", path, got, want)
	}
	st, ok, err := store.Load(ctx, "Nightly")
	if err != nil || !ok || !st.Next.Equal(next) {
		t.Fatalf("Load = %+v, %v, %v", st, ok, err)
	}
	blobs[path] = []byte("not json")
	if _, _, err := store.Load(ctx, "Nightly"); err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("Load of a bad blob: %v, want the blob path named", err)
	}
}
