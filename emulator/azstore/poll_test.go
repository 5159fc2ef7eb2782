package azstore

import (
	"context"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/azstore/azuritetest"
	"github.com/funcemu/funcemu/emulator/poll"
)

// TestContainerScanOnAzurite runs the blob trigger's scan over a remote
// account, the cursor kept in the account's azure-webjobs-hosts container
// where the Functions host keeps it.
func TestContainerScanOnAzurite(t *testing.T) {
	ctx := context.Background()
	bs, err := NewBlobStore(azuriteAccount(t), fast)
	if err != nil {
		t.Fatal(err)
	}
	const c = "scan-input"
	if err := bs.CreateContainer(ctx, c); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"a.txt", "b.txt"} {
		if _, err := bs.WriteBlob(ctx, c, n, strings.NewReader(n), emulator.WriteBlob{}); err != nil {
			t.Fatal(err)
		}
	}
	scan := &poll.ContainerScan{Blobs: bs, Hosts: bs, HostID: "scanhost", Account: DevelopmentAccount, Container: c}
	got, err := scan.Scan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range got {
		names = append(names, b.Name)
	}
	if !slices.Equal(names, []string{"a.txt", "b.txt"}) {
		t.Errorf("first scan: %q, want both blobs", names)
	}
	r, _, err := bs.ReadBlob(ctx, poll.HostsContainer, poll.ScanInfoPath("scanhost", DevelopmentAccount, c))
	if err != nil {
		t.Fatalf("the cursor is not in the hosts container: %v", err)
	}
	body, _ := io.ReadAll(r)
	r.Close()
	saved, err := poll.ParseScanInfo(body)
	if err != nil {
		t.Fatal(err)
	}
	if want := scan.Cursor().Add(-time.Millisecond); !saved.Equal(want) {
		t.Errorf("saved cursor %v, want %v", saved, want)
	}
}

// TestReporterNamesFunctionAndSetting feeds the reporter the errors a
// listener gets from a wrong key and from a missing container.
func TestReporterNamesFunctionAndSetting(t *testing.T) {
	a, err := Resolve(func(k string) (string, bool) {
		if k == "AzureWebJobsStorage" {
			return strings.Replace(azuritetest.Shared(t).ConnectionString(), DevelopmentKey, "d3Jvbmcga2V5", 1), true
		}
		return "", false
	}, "")
	if err != nil {
		t.Fatal(err)
	}
	bs, _ := NewBlobStore(a, fast)
	_, err = bs.ListBlobs(context.Background(), "input", "")
	r := &poll.Reporter{Function: "Resize", Setting: a.Setting}
	line, ok := r.Failure(err)
	if !ok || !strings.Contains(line, "Function 'Resize': the storage account refused the credentials") ||
		!strings.Contains(line, "setting 'AzureWebJobsStorage'") || !strings.Contains(line, `list blobs in container "input"`) {
		t.Errorf("wrong key: %q", line)
	}
	if strings.Contains(line, "d3Jvbmcga2V5") {
		t.Errorf("the line shows the key: %q", line)
	}

	good, _ := NewBlobStore(azuriteAccount(t), fast)
	_, err = good.ListBlobs(context.Background(), "no-such-container", "")
	line, ok = (&poll.Reporter{Function: "Resize", Setting: "AzureWebJobsStorage"}).Failure(err)
	if !ok || !strings.Contains(line, "a queue or container is missing") || !strings.Contains(line, "ContainerNotFound (HTTP 404)") {
		t.Errorf("missing container: %q", line)
	}
}
