package cmd

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/data/aztables"

	"github.com/funcemu/funcemu/emulator/azstore/azuritetest"
)

// checkTableTemplate drives a function made by `new --template table
// --name notes` at baseURL: a POST saves through the table output, a GET
// reads back through the table input, a second POST finds the row, and
// the entity is in the storage that conn names.
func checkTableTemplate(t *testing.T, baseURL, conn string) {
	t.Helper()
	if resp, body := do(t, "GET", baseURL+"/api/notes/n1", "", nil); resp.StatusCode != 404 {
		t.Fatalf("GET /api/notes/n1 before any write = %d %q, want 404", resp.StatusCode, body)
	}
	if resp, body := do(t, "POST", baseURL+"/api/notes/n1", "hello table", nil); resp.StatusCode != 201 || body != "saved n1" {
		t.Fatalf("POST /api/notes/n1 = %d %q", resp.StatusCode, body)
	}
	if resp, body := do(t, "GET", baseURL+"/api/notes/n1", "", nil); resp.StatusCode != 200 || body != "hello table" {
		t.Fatalf("GET /api/notes/n1 = %d %q", resp.StatusCode, body)
	}
	if resp, body := do(t, "POST", baseURL+"/api/notes/n1", "again", nil); resp.StatusCode != 409 {
		t.Fatalf("second POST /api/notes/n1 = %d %q, want 409", resp.StatusCode, body)
	}
	svc, err := aztables.NewServiceClientFromConnectionString(conn, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := svc.NewClient("notes").GetEntity(context.Background(), "notes", "n1", nil)
	if err != nil || !strings.Contains(string(got.Value), `"Text":"hello table"`) {
		t.Fatalf("entity notes/n1 = %s (%v)", got.Value, err)
	}
}

// TestTableTemplateOnAzurite runs the table template with
// AzureWebJobsStorage pointing at a real Azurite: the table bindings then
// go through the Go SDK. Its subject is the bindings, not the build: the
// handler is linked once per source (TestFirstRunEveryTemplate has start
// build a new app).
func TestTableTemplateOnAzurite(t *testing.T) {
	t.Parallel()
	srv := azuritetest.Shared(t) // one Azurite for the package; each test uses its own names
	dir := newApp(t, map[string]string{"notes": "table"})
	if err := linkedFixture(dir, filepath.Join(dir, "handler")); err != nil {
		t.Fatal(err)
	}
	r := launchEnv(t, []string{"start", dir, "--port", "0", "--no-watch", "--in-memory", "--no-tui", "--no-build"},
		[]string{"AzureWebJobsStorage=" + srv.ConnectionString()})
	checkTableTemplate(t, r.url, srv.ConnectionString())
}
