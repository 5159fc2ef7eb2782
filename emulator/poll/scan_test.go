package poll

import (
	"context"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

var t0 = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

func names(blobs []*emulator.BlobInfo) []string {
	var out []string
	for _, b := range blobs {
		out = append(out, b.Name)
	}
	return out
}

func TestContainerScan(t *testing.T) {
	ctx := context.Background()
	store := newMemBlobs("input")
	store.writeAt(t0, "input", "old.txt", "x")
	store.writeAt(t0.Add(time.Second), "input", "new.txt", "x")
	scan := &ContainerScan{Blobs: store, Hosts: store, HostID: "myhost", Account: "devstoreaccount1", Container: "input"}

	steps := []struct {
		name  string
		write []string // blobs written at the step's time before scanning
		at    time.Time
		want  []string
	}{
		{"first scan of a new host sees every blob", nil, t0, []string{"new.txt", "old.txt"}},
		{"blobs at the cursor stay candidates (1 s precision)", nil, t0, []string{"new.txt"}},
		{"a later write (and the blob still at the cursor)", []string{"later.txt"}, t0.Add(5 * time.Second), []string{"later.txt", "new.txt"}},
		{"a rewrite at the same second and a new blob", []string{"later.txt", "b.txt"}, t0.Add(5 * time.Second), []string{"b.txt", "later.txt"}},
	}
	for _, st := range steps {
		for _, n := range st.write {
			store.writeAt(st.at, "input", n, "y")
		}
		got, err := scan.Scan(ctx)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if !slices.Equal(names(got), st.want) {
			t.Errorf("%s: candidates %q, want %q", st.name, names(got), st.want)
		}
	}
	if !scan.Cursor().Equal(t0.Add(5 * time.Second)) {
		t.Errorf("cursor %v, want the newest modification %v", scan.Cursor(), t0.Add(5*time.Second))
	}

	// The cursor was saved one millisecond early in the hosts container.
	r, _, err := store.ReadBlob(ctx, HostsContainer, "blobscaninfo/myhost/devstoreaccount1/input/scanInfo")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(r)
	if want := `{"LatestScan":"2024-05-01T12:00:04.999Z"}`; string(body) != want {
		t.Errorf("saved cursor %s, want %s", body, want)
	}

	// A restarted host resumes from the saved cursor.
	restarted := &ContainerScan{Blobs: store, Hosts: store, HostID: "myhost", Account: "devstoreaccount1", Container: "input"}
	got, err := restarted.Scan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"b.txt", "later.txt"}; !slices.Equal(names(got), want) {
		t.Errorf("after restart: %q, want %q", names(got), want)
	}
	// Another host id starts over.
	other := &ContainerScan{Blobs: store, Hosts: store, HostID: "otherhost", Account: "devstoreaccount1", Container: "input"}
	if got, _ := other.Scan(ctx); len(got) != 4 {
		t.Errorf("new host id: %d candidates, want all 4", len(got))
	}
}

func TestContainerScanWritesOnlyWhenTheCursorMoves(t *testing.T) {
	ctx := context.Background()
	store := newMemBlobs("input")
	store.writeAt(t0, "input", "a", "x")
	scan := &ContainerScan{Blobs: store, Hosts: store, HostID: "h", Account: "a", Container: "input"}
	for range 3 {
		if _, err := scan.Scan(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// One blob write plus one cursor write (the hosts container was created).
	if store.writes != 2 {
		t.Errorf("%d writes, want 2 (the cursor saved once)", store.writes)
	}
}

func TestContainerScanErrors(t *testing.T) {
	ctx := context.Background()
	missing := &ContainerScan{Blobs: newMemBlobs(), Hosts: newMemBlobs(), HostID: "h", Account: "a", Container: "input"}
	_, err := missing.Scan(ctx)
	if emulator.ErrorCode(err) != emulator.ENOTFOUND || err.Error() != "scan container input: container input not found" {
		t.Errorf("missing container: %v (%s)", err, emulator.ErrorCode(err))
	}

	hosts := newMemBlobs(HostsContainer)
	hosts.writeAt(t0, HostsContainer, ScanInfoPath("h", "a", "input"), `{"LatestScan": 7}`)
	corrupt := &ContainerScan{Blobs: newMemBlobs("input"), Hosts: hosts, HostID: "h", Account: "a", Container: "input"}
	if _, err := corrupt.Scan(ctx); err == nil {
		t.Error("a corrupt cursor blob gave no error")
	}

	down := newMemBlobs("input")
	down.failList = emulator.Errorf(emulator.EUNAVAILABLE, "connection refused")
	unavailable := &ContainerScan{Blobs: down, Hosts: newMemBlobs(), HostID: "h", Account: "a", Container: "input"}
	if _, err := unavailable.Scan(ctx); emulator.ErrorCode(err) != emulator.EUNAVAILABLE {
		t.Errorf("unreachable account: %v, want unavailable", err)
	}
}

func TestParseScanInfo(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Time
		wantErr string
	}{
		{`{"LatestScan":"2024-05-01T12:00:04.999Z"}`, t0.Add(4999 * time.Millisecond), ""},
		{`{"LatestScan":"2024-05-01T12:00:04.9990000+00:00"}`, t0.Add(4999 * time.Millisecond), ""},
		{`{"LatestScan":"2024-05-01T14:00:00+02:00"}`, t0, ""},
		{`{"LatestScan":"2024-05-01T12:00:00.1234567"}`, t0.Add(123456700), ""},
		{`{}`, time.Time{}, "scan cursor: no LatestScan"},
		{`{"LatestScan":"yesterday"}`, time.Time{}, `scan cursor: LatestScan "yesterday" is not an ISO 8601 time`},
		{`not json`, time.Time{}, "scan cursor: invalid character"},
	}
	for _, tc := range tests {
		got, err := ParseScanInfo([]byte(tc.in))
		if tc.wantErr != "" {
			if err == nil || !startsWith(err.Error(), tc.wantErr) {
				t.Errorf("%s: error %v, want %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("%s: %v %v, want %v", tc.in, got, err, tc.want)
		}
	}
	back, err := ParseScanInfo(MarshalScanInfo(t0.Add(123456789)))
	if err != nil || !back.Equal(t0.Add(123456789)) {
		t.Errorf("round trip: %v %v", back, err)
	}
}

func startsWith(s, prefix string) bool { return len(s) >= len(prefix) && s[:len(prefix)] == prefix }

func FuzzParseScanInfo(f *testing.F) {
	f.Add([]byte(`{"LatestScan":"2024-05-01T12:00:04.999Z"}`))
	f.Add([]byte(`{"LatestScan":"2024-05-01T12:00:00.1234567"}`))
	f.Add([]byte(`{"LatestScan":null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := ParseScanInfo(body)
		if err != nil {
			return
		}
		again, err := ParseScanInfo(MarshalScanInfo(got))
		if err != nil || !again.Equal(got) {
			t.Fatalf("%q: round trip gave %v %v, want %v", body, again, err, got)
		}
	})
}

func TestPaths(t *testing.T) {
	if got := ReceiptPath("myhost", FunctionID("Resize"), `"0x8DC1"`, "images", "a/b.png"); got != `blobreceipts/myhost/Host.Functions.Resize/"0x8DC1"/images/a/b.png` {
		t.Errorf("ReceiptPath = %s", got)
	}
	if got := ScanInfoPath("myhost", "acct", "images"); got != "blobscaninfo/myhost/acct/images/scanInfo" {
		t.Errorf("ScanInfoPath = %s", got)
	}
}
