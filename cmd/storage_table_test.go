package cmd

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/data/aztables"
)

// TestStorageServesTables runs `funcemu storage` with free blob and queue
// ports (so the table port is picked free too), reaches the Table service
// through the printed connection string, and finds the entity again after
// a restart on the same data folder.
func TestStorageServesTables(t *testing.T) {
	t.Parallel()
	bin := buildFuncemu(t)
	dataDir := t.TempDir()
	ctx := context.Background()
	first, ends := startStorage(t, bin, dataDir)
	if ends.Table == "" {
		t.Fatalf("ready file has no table URL: %+v", ends)
	}
	svc, err := aztables.NewServiceClientFromConnectionString(connectionString(ends), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateTable(ctx, "people", nil); err != nil {
		t.Fatalf("create table: %v", err)
	}
	entity, _ := json.Marshal(aztables.EDMEntity{Entity: aztables.Entity{PartitionKey: "p", RowKey: "1"}, Properties: map[string]any{"Name": "Ann"}})
	if _, err := svc.NewClient("people").AddEntity(ctx, entity, nil); err != nil {
		t.Fatalf("add entity: %v", err)
	}
	_ = first.Process.Kill()
	_ = first.Wait()

	_, ends = startStorage(t, bin, dataDir)
	svc, err = aztables.NewServiceClientFromConnectionString(connectionString(ends), nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := svc.NewClient("people").GetEntity(ctx, "p", "1", nil)
	if err != nil {
		t.Fatalf("get entity after restart: %v", err)
	}
	var e aztables.EDMEntity
	if err := json.Unmarshal(got.Value, &e); err != nil || e.Properties["Name"] != "Ann" {
		t.Fatalf("entity after restart = %s (%v)", got.Value, err)
	}
}
